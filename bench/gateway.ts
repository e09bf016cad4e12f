import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import { pdfReaderWorker } from "../scripts/pdf-reader-bundle";
import { AUDIT_QUEUE, CHAOS_WORKER, withAuditChaos, type AuditChaosPlan, type AuditChaosStats } from "./audit-chaos";
import type { BenchTls } from "./tls";

/**
 * The gateway as production runs it, locally: the exact bundle `wrangler
 * deploy` uploads (`wrangler deploy --dry-run --outdir`), served by workerd
 * through Miniflare, the runtime under `wrangler dev`, with wrangler.toml's
 * compatibility settings and bindings (local D1, KV, rate limiters and
 * Durable Objects, persisted in the run's directory). What `wrangler dev`
 * adds on top is tooling that production does not have, and it is left out:
 * a second workerd in front as a reload proxy, dev-only middleware in the
 * bundle, and a local trace collector that writes every request's spans to
 * SQLite with an fsync. The PDF reader Worker's deploy bundle runs beside
 * it (built into `<bundleDir>-pdf-reader`), so its PDF_READER service binding
 * resolves as it does in production. Local-only overrides: the apex is
 * `localhost`, Microsoft is the emulator, keys are fixed bench values.
 */
export const BENCH_OPERATOR_TOKEN = "bench-operator-token-0123456789abcdef";
const BENCH_KEK = "YmVuY2gtb25seS1rZXktZW5jcnlwdGlvbi1rZXkhISE=";
const WRANGLER_CONFIG = "wrangler.toml";
/** No account, no network: keep wrangler from phoning home. */
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
Object.assign(process.env, OFFLINE_ENV);

export interface RunningGateway {
  port: number;
  /** `https://localhost:<port>` or `https://<slug>.localhost:<port>`. */
  origin(slug?: string): string;
  /** Worker `console.error` lines seen so far. */
  errorLogs: string[];
  /** The D1 database as the Worker sees it, for setting it up without a wrangler process. */
  database(): ReturnType<Miniflare["getD1Database"]>;
  /** Writes a tenant's pending audit events to R2 now, through its audit log's own `flush()`. */
  flushAuditLog(tenantId: string): Promise<{ objects: number; events: number }>;
  /** Every stored trail object under a key prefix, as R2 holds it (gzip bodies). */
  auditObjects(prefix: string): Promise<{ key: string; body: Uint8Array }[]>;
  /** What the chaos consumer of the audit queue has delivered and failed so far (undefined without `auditChaos`). */
  auditChaosStats(): Promise<AuditChaosStats | undefined>;
  /** With the broker backend only: what its AUDIT_QUEUE forwarder does with each send (see AuditForwarding). */
  setAuditForwarding(mode: AuditForwarding): Promise<void>;
  /** With the broker backend only: the `send`/`sendBatch` calls its forwarder took so far, and the events in them. */
  auditSends(): Promise<{ calls: number; events: number }>;
  close(): Promise<void>;
}

export function wrangler(args: string[]): string {
  const result = spawnSync("node_modules/.bin/wrangler", args, {
    env: { ...process.env, ...OFFLINE_ENV, CI: "true" },
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Where the PDF reader Worker's bundle is built beside a gateway bundle directory. */
export const pdfReaderBundleDir = (bundleDir: string) => `${bundleDir}-pdf-reader`;

/** `wrangler deploy --dry-run --outdir`: what an upload would contain, and wrangler's report of it. */
export function buildDeployBundle(outdir: string): string {
  return wrangler(["deploy", "--dry-run", "--outdir", outdir]);
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

/**
 * wrangler.toml's bindings and compatibility settings as Miniflare options,
 * without its vars (the bench sets its own) and without wrangler's module
 * rules (the bundle is one module). Quietly: wrangler would announce a
 * developer's .dev.vars, which is not used.
 */
function configuredWorkerOptions(config: ReturnType<typeof unstable_readConfig>): Record<string, unknown> {
  const previous = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = "warn";
  try {
    const {
      bindings: _devVars,
      modulesRules: _rules,
      ...options
    } = unstable_getMiniflareWorkerOptions(config).workerOptions as Record<string, unknown>;
    return options;
  } finally {
    if (previous === undefined) delete process.env.WRANGLER_LOG;
    else process.env.WRANGLER_LOG = previous;
  }
}

/** What stands behind the gateway's AUDIT_QUEUE binding in a bench gateway (see startGateway). */
export type AuditBackend =
  /** wrangler.toml's queue, consumed by the gateway itself in the same workerd process (as `npm run dev` runs it). */
  | { kind: "queue" }
  /** A Worker whose `send` does nothing: events are built, checked and serialized, never queued, consumed or stored. */
  | { kind: "sink" }
  /**
   * wrangler.toml's queue, but its consumer invocations run in another
   * workerd process (startAuditConsumer at `url`): a relay Worker takes the
   * gateway's place as the queue's consumer (same batch size, timeout,
   * retries and dead-letter queue) and posts each batch to that process,
   * where the gateway's own `queue()` handler, the audit logs and their R2
   * and D1 writes run; what the handler acknowledged or retried is passed on
   * to the queue. The send and the queue's broker stay in the gateway's
   * process; the consumer does not share its thread, as in production.
   */
  | { kind: "remote"; url: string }
  /**
   * AUDIT_QUEUE bound to a Worker that posts each send, over a service
   * binding to an external server (workerd keeps its connections open), to
   * another workerd process (startAuditConsumer at `address`) that puts it
   * on the queue there and answers once the queue accepted it: the broker,
   * the consumer, the audit logs and their writes all run in that process.
   */
  | { kind: "broker"; address: string };

/**
 * What the broker backend's forwarder does with a send: "on" posts it to the
 * other process's queue and resolves once the queue accepted it; "post"
 * posts it there too, but the other process answers at once without queueing
 * it (the send's own cost, without the pipeline behind it); "off" drops it
 * and resolves, as the sink does.
 */
export type AuditForwarding = "on" | "post" | "off";

/** The no-op AUDIT_QUEUE: an RPC `send`/`sendBatch` that resolves at once. */
const SINK_SCRIPT = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Sink extends WorkerEntrypoint { async send() {} async sendBatch() {} }
export default { fetch() { return new Response(null, { status: 404 }); } };`;

/**
 * A send resolves only once the other process's queue accepted it (202), so
 * it is as durable as a queue's send. `POST /forwarding?mode=…` switches it,
 * for the whole isolate, between the modes of AuditForwarding: the bench
 * compares one gateway's tools/calls with and without the pipeline in the
 * same process (see setAuditForwarding).
 */
const FORWARD_SCRIPT = `import { WorkerEntrypoint } from "cloudflare:workers";
let forwarding = "on";
const stats = { calls: 0, events: 0 };
async function post(env, bodies) {
  stats.calls += 1;
  stats.events += bodies.length;
  if (forwarding === "off") return;
  const response = await env.INGEST.fetch(forwarding === "on" ? "http://ingest/send" : "http://ingest/accept", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(bodies) });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error("the audit ingest answered " + response.status);
}
export class Forward extends WorkerEntrypoint {
  async send(body) { await post(this.env, [body]); }
  async sendBatch(messages) { await post(this.env, messages.map((message) => message.body)); }
}
export default {
  fetch(request) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/stats") return Response.json(stats);
    if (request.method !== "POST" || url.pathname !== "/forwarding") return new Response(null, { status: 404 });
    const mode = url.searchParams.get("mode");
    if (mode !== "on" && mode !== "off" && mode !== "post") return new Response(null, { status: 400 });
    forwarding = mode;
    return new Response(null, { status: 204 });
  },
};`;

/** The AUDIT_QUEUE replacement Worker for the sink and broker backends (undefined otherwise). */
function sinkWorker(backend: AuditBackend, compatibilityDate: unknown): { name: string; entrypoint: string; worker: object } | undefined {
  if (backend.kind === "sink")
    return {
      name: "audit-sink",
      entrypoint: "Sink",
      worker: { name: "audit-sink", modules: true, compatibilityDate, script: SINK_SCRIPT },
    };
  if (backend.kind !== "broker") return undefined;
  return {
    name: "audit-forward",
    entrypoint: "Forward",
    worker: {
      name: "audit-forward",
      modules: true,
      compatibilityDate,
      script: FORWARD_SCRIPT,
      serviceBindings: { INGEST: { external: { address: backend.address, http: {} } } },
    },
  };
}

export const AUDIT_RELAY_WORKER = "audit-relay";

/**
 * The relay consumer of the remote backend: one POST per batch, and the
 * remote handler's verdict (as `Fetcher.queue` reports it) applied to the
 * batch; a batch the other process did not answer for is retried whole.
 */
function relayScript(url: string): string {
  return `const url = ${JSON.stringify(url)};
export default {
  fetch() { return new Response(null, { status: 404 }); },
  async queue(batch) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        queue: batch.queue,
        messages: batch.messages.map((m) => ({ id: m.id, timestamp: m.timestamp.getTime(), body: m.body, attempts: m.attempts })),
      }),
    });
    if (response.status !== 200) {
      await response.arrayBuffer();
      batch.retryAll();
      return;
    }
    const result = await response.json();
    const retryAll = result.retryBatch.retry || result.outcome !== "ok";
    const retried = new Map((result.retryMessages ?? []).map((r) => [r.msgId, r.delaySeconds]));
    for (const m of batch.messages) {
      if (retryAll || retried.has(m.id)) {
        const delaySeconds = retried.get(m.id) ?? result.retryBatch.delaySeconds;
        m.retry(delaySeconds === undefined ? {} : { delaySeconds });
      } else {
        m.ack();
      }
    }
  },
};`;
}

/** The gateway's bindings in a bench run: wrangler.toml's vars with the local overrides. */
function benchBindings(vars: Record<string, unknown>, port: number, emulatorUrl: string): Record<string, unknown> {
  return {
    ...vars,
    BASE_DOMAIN: `localhost:${port}`,
    LOGIN_BASE: emulatorUrl,
    GRAPH_BASE: emulatorUrl,
    LOGIN_BASE_USGOV_HIGH: `${emulatorUrl}/cloud/usgov-high`,
    GRAPH_BASE_USGOV_HIGH: `${emulatorUrl}/cloud/usgov-high`,
    LOGIN_BASE_USGOV_DOD: `${emulatorUrl}/cloud/usgov-dod`,
    GRAPH_BASE_USGOV_DOD: `${emulatorUrl}/cloud/usgov-dod`,
    LOGIN_BASE_CHINA: `${emulatorUrl}/cloud/china`,
    GRAPH_BASE_CHINA: `${emulatorUrl}/cloud/china`,
    ACTIVE_KEK_ID: "1",
    KEK_1: BENCH_KEK,
    OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN,
    CONSENT_SECRET: "bench-consent-secret-0123456789abcdef",
    CURSOR_SECRET: "bench-cursor-secret-0123456789abcdef0123",
    VERIFY_ENTRA_CREDENTIALS: "true",
    TENANT_CACHE_TTL_SECONDS: "30",
  };
}

/**
 * The deploy bundle (built when `bundleDir` has none) as Miniflare's gateway
 * Worker, with wrangler.toml's settings and the bench's bindings, and the PDF
 * reader Worker its PDF_READER binding reaches: the part every bench
 * workerd process that runs the gateway's code shares.
 */
function bundledGateway(bundleDir: string, port: number, emulatorUrl: string) {
  if (!existsSync(join(bundleDir, "index.js"))) buildDeployBundle(bundleDir);
  const config = unstable_readConfig({ config: WRANGLER_CONFIG });
  const configured = configuredWorkerOptions(config);
  const name = config.name ?? "";
  return {
    name,
    configured,
    worker: {
      ...configured,
      name,
      modules: true,
      modulesRoot: bundleDir,
      scriptPath: join(bundleDir, "index.js"),
      bindings: benchBindings(config.vars, port, emulatorUrl),
    },
    pdfReader: pdfReaderWorker(pdfReaderBundleDir(bundleDir)),
  };
}

/** The gateway's queue consumers without the audit queue, and the relay Worker that consumes it with the gateway's settings for it. */
function withAuditRelay(
  consumers: Record<string, Record<string, unknown>>,
  compatibilityDate: unknown,
  url: string,
): { gatewayConsumers: Record<string, Record<string, unknown>>; relayWorker: Record<string, unknown> } {
  const { [AUDIT_QUEUE]: audit, ...gatewayConsumers } = consumers;
  if (!audit) throw new Error(`wrangler.toml has no consumer for ${AUDIT_QUEUE}`);
  return {
    gatewayConsumers,
    relayWorker: {
      name: AUDIT_RELAY_WORKER,
      modules: true,
      script: relayScript(url),
      compatibilityDate,
      queueConsumers: { [AUDIT_QUEUE]: audit },
    },
  };
}

export async function startGateway(options: {
  dir: string;
  bundleDir: string;
  emulatorUrl: string;
  tls: BenchTls;
  /** Consumer failures injected into the audit queue's deliveries (see audit-chaos.ts); only with the real queue. */
  auditChaos?: AuditChaosPlan;
  /** What AUDIT_QUEUE is bound to (default: wrangler.toml's queue). */
  audit?: AuditBackend;
}): Promise<RunningGateway> {
  const port = await freePort();
  const { name, configured, worker: gatewayWorker, pdfReader } = bundledGateway(options.bundleDir, port, options.emulatorUrl);
  const rateLimits = configured.ratelimits as Record<string, { namespace_id: string }>;
  const errorLogs: string[] = [];
  const consumers = configured.queueConsumers as Record<string, Record<string, unknown>>;
  const chaos = options.auditChaos ? withAuditChaos(name, consumers, configured.compatibilityDate, options.auditChaos) : undefined;
  const { AUDIT_QUEUE: _auditQueue, ...otherProducers } = configured.queueProducers as Record<string, unknown>;
  const backend = options.audit ?? { kind: "queue" };
  const replacement = sinkWorker(backend, configured.compatibilityDate);
  const relay = backend.kind === "remote" ? withAuditRelay(consumers, configured.compatibilityDate, backend.url) : undefined;
  const gateway = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      https: true,
      httpsKey: readFileSync(options.tls.keyPath, "utf8"),
      httpsCert: readFileSync(options.tls.certPath, "utf8"),
      // A placeholder `request.cf`: the real one would be fetched from Cloudflare.
      cf: false,
      logRequests: false,
      log: new Log(LogLevel.WARN),
      handleStructuredLogs: (log: { level: string; message: string }) => {
        if (log.level === "error" && errorLogs.length < 1000) errorLogs.push(log.message);
      },
      // Where `wrangler d1 migrations apply --persist-to <dir>` put the database.
      resourcePersistencePath: join(options.dir, "v3"),
      workers: [
        {
          ...gatewayWorker,
          ratelimits: {
            ...rateLimits,
            // The bench signs up a dozen organizations from one address in a minute.
            SIGNUP_RATE_LIMITER: { ...rateLimits.SIGNUP_RATE_LIMITER, simple: { limit: 1000, period: 60 } },
          },
          queueConsumers: chaos ? chaos.gatewayConsumers : relay ? relay.gatewayConsumers : consumers,
          ...(replacement
            ? {
                queueProducers: otherProducers,
                serviceBindings: {
                  ...(configured.serviceBindings as object | undefined),
                  AUDIT_QUEUE: { name: replacement.name, entrypoint: replacement.entrypoint },
                },
              }
            : {}),
        },
        pdfReader,
        ...(replacement ? [replacement.worker] : []),
        ...(relay ? [relay.relayWorker] : []),
        ...(chaos ? [chaos.chaosWorker] : []),
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await gateway.ready;
  return {
    port,
    origin: (slug) => `https://${slug ? `${slug}.` : ""}localhost:${port}`,
    errorLogs,
    database: () => gateway.getD1Database("DB"),
    flushAuditLog: async (tenantId) => {
      const logs = await gateway.getDurableObjectNamespace("AUDIT_LOG");
      // Named as the gateway names it (auditLogName): the log reads its tenant id from its name.
      const log = logs.getByName(`audit:${tenantId}`) as unknown as { flush(): Promise<{ objects: number; events: number }> };
      const result = await log.flush();
      return { objects: result.objects, events: result.events };
    },
    auditObjects: async (prefix) => {
      const bucket = await gateway.getR2Bucket("AUDIT_BUCKET");
      const keys: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 1000; page += 1) {
        const listed = await bucket.list({ prefix, cursor });
        keys.push(...listed.objects.map((object) => object.key));
        if (!listed.truncated) break;
        cursor = listed.cursor;
      }
      const objects: { key: string; body: Uint8Array }[] = [];
      for (const key of keys) {
        const object = await bucket.get(key);
        if (object) objects.push({ key, body: new Uint8Array(await object.arrayBuffer()) });
      }
      return objects;
    },
    auditChaosStats: async () => {
      if (!chaos) return undefined;
      const worker = await gateway.getWorker(CHAOS_WORKER);
      return (await (await worker.fetch("http://chaos/stats")).json()) as AuditChaosStats;
    },
    setAuditForwarding: async (mode) => {
      if (backend.kind !== "broker" || !replacement) throw new Error("only a gateway with the broker audit backend forwards its sends");
      const worker = await gateway.getWorker(replacement.name);
      const response = await worker.fetch(`http://forward/forwarding?mode=${mode}`, { method: "POST" });
      await response.arrayBuffer();
      if (response.status !== 204) throw new Error(`the audit forwarder answered ${response.status}`);
    },
    auditSends: async () => {
      if (backend.kind !== "broker" || !replacement) throw new Error("only a gateway with the broker audit backend counts its sends");
      const worker = await gateway.getWorker(replacement.name);
      return (await (await worker.fetch("http://forward/stats")).json()) as { calls: number; events: number };
    },
    close: () => gateway.dispose(),
  };
}

/** The audit queue's consumer side, in a workerd process of its own (see AuditBackend "remote"). */
export interface RunningAuditConsumer {
  /** Where the gateway's relay consumer posts the audit queue's batches. */
  url: string;
  /** `127.0.0.1:<port>`, for the broker backend's external service binding. */
  address: string;
  /** This process's D1, where the tenants whose events it stores must exist as they do in the gateway's. */
  database(): ReturnType<Miniflare["getD1Database"]>;
  /** As RunningGateway.flushAuditLog, on this process's logs. */
  flushAuditLog(tenantId: string): Promise<{ objects: number; events: number }>;
  close(): Promise<void>;
}

/**
 * The other end of a "remote" audit backend: a second Miniflare (its own
 * workerd process) running an ingest Worker, which hands each posted batch
 * to the gateway bundle's own `queue()` handler, and that bundle with its
 * Durable Objects, R2 and D1 (its own storage under `dir`). The consumer
 * invocations, the tenants' logs and their flushes run here, as Cloudflare
 * runs them outside the isolate that served the tool call; they still share
 * this machine's cores.
 */
export async function startAuditConsumer(options: { dir: string; bundleDir: string; emulatorUrl: string }): Promise<RunningAuditConsumer> {
  const port = await freePort();
  const { name, configured, worker: gatewayWorker, pdfReader } = bundledGateway(options.bundleDir, port, options.emulatorUrl);
  // Hands each relayed batch to the gateway's own queue() handler, exactly as a queue broker does (`Fetcher.queue`).
  const ingest = {
    name: "audit-ingest",
    modules: true,
    compatibilityDate: configured.compatibilityDate,
    compatibilityFlags: ["service_binding_extra_handlers"],
    serviceBindings: { GATEWAY: name },
    queueProducers: { AUDIT_QUEUE: { queueName: AUDIT_QUEUE } },
    script: `export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/accept") {
      await request.arrayBuffer();
      return new Response(null, { status: 202 });
    }
    if (path === "/send") {
      const bodies = await request.json();
      await env.AUDIT_QUEUE.sendBatch(bodies.map((body) => ({ body, contentType: "json" })));
      return new Response(null, { status: 202 });
    }
    const { queue, messages } = await request.json();
    const result = await env.GATEWAY.queue(queue, messages.map((m) => ({ ...m, timestamp: new Date(m.timestamp) })));
    return Response.json(result);
  },
};`,
  };
  const consumer = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      cf: false,
      logRequests: false,
      log: new Log(LogLevel.WARN),
      resourcePersistencePath: join(options.dir, "v3"),
      workers: [ingest, gatewayWorker, pdfReader],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await consumer.ready;
  return {
    url: `http://127.0.0.1:${port}/batch`,
    address: `127.0.0.1:${port}`,
    database: () => consumer.getD1Database("DB", name),
    flushAuditLog: async (tenantId) => {
      const logs = await consumer.getDurableObjectNamespace("AUDIT_LOG", name);
      const log = logs.getByName(`audit:${tenantId}`) as unknown as { flush(): Promise<{ objects: number; events: number }> };
      const result = await log.flush();
      return { objects: result.objects, events: result.events };
    },
    close: () => consumer.dispose(),
  };
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 1/100 s (USER_HZ on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
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
