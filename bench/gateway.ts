import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import type { BenchTls } from "./tls";

/**
 * The gateway as `wrangler dev` runs it (workerd, local D1/KV/Durable
 * Objects, wrangler's dev proxy in front), started through wrangler's
 * programmatic API with wrangler.toml and local-only overrides: the apex is
 * `localhost`, Microsoft is the emulator, keys are fixed bench values, and
 * storage lives in the run's temp directory.
 */
export const BENCH_OPERATOR_TOKEN = "bench-operator-token-0123456789abcdef";
const BENCH_KEK = "YmVuY2gtb25seS1rZXktZW5jcnlwdGlvbi1rZXkhISE=";
/** No account, no network: keep wrangler from phoning home. */
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
Object.assign(process.env, OFFLINE_ENV);

export interface RunningGateway {
  port: number;
  /** `https://localhost:<port>` or `https://<slug>.localhost:<port>`. */
  origin(slug?: string): string;
  /** Worker `console.error` lines seen so far. */
  errorLogs: string[];
  close(): Promise<void>;
}

export function wrangler(args: string[]): string {
  const result = spawnSync("node_modules/.bin/wrangler", args, { env: { ...process.env, ...OFFLINE_ENV, CI: "true" }, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Applies the D1 migrations to the run's storage, then any seed SQL files. */
export function prepareDatabase(persistDir: string, seedFiles: string[] = []): void {
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir]);
  for (const file of seedFiles) wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistDir, "--file", file]);
}

export async function startGateway(options: { dir: string; emulatorUrl: string; tls: BenchTls }): Promise<RunningGateway> {
  const port = await freePort();
  const emptyEnvFile = join(options.dir, "bench.env");
  // An explicit (empty) env file: a developer's .dev.vars must not change what is measured.
  writeFileSync(emptyEnvFile, "");
  const plain = (value: string) => ({ type: "plain_text" as const, value });
  const errorLogs: string[] = [];
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    envFiles: [emptyEnvFile],
    bindings: {
      BASE_DOMAIN: plain("localhost"),
      LOGIN_BASE: plain(options.emulatorUrl),
      GRAPH_BASE: plain(options.emulatorUrl),
      ACTIVE_KEK_ID: plain("1"),
      KEK_1: plain(BENCH_KEK),
      OPERATOR_TOKEN: plain(BENCH_OPERATOR_TOKEN),
      CONSENT_SECRET: plain("bench-consent-secret-0123456789abcdef"),
      VERIFY_ENTRA_CREDENTIALS: plain("true"),
      TENANT_CACHE_TTL_SECONDS: plain("30"),
      // The bench signs up a dozen organizations from one address in a minute.
      SIGNUP_RATE_LIMITER: { type: "ratelimit", namespace_id: "1001", simple: { limit: 1000, period: 60 } },
    },
    dev: {
      server: { hostname: "127.0.0.1", port, secure: true, httpsKeyPath: options.tls.keyPath, httpsCertPath: options.tls.certPath },
      inspector: false,
      persist: options.dir,
      watch: false,
      logLevel: "warn",
      structuredLogsHandler: (log: { level: string; message: string }) => {
        if (log.level === "error" && errorLogs.length < 1000) errorLogs.push(log.message);
      },
    },
  });
  await worker.ready;
  return {
    port,
    origin: (slug) => `https://${slug ? `${slug}.` : ""}localhost:${port}`,
    errorLogs,
    close: () => worker.dispose(),
  };
}

/** Resident set size of a process in bytes, from /proc (0 once it is gone). */
export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** workerd processes started by this process (directly or through wrangler's helpers). */
export function workerdPids(root = process.pid): number[] {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const parent = Number(stat.slice(close + 2).split(" ")[1]);
      names.set(Number(entry), name);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() ?? 0;
    if (names.get(pid) === "workerd") found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}
