import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { experimental_readRawConfig } from "wrangler";
import { configDefaults, defineConfig } from "vitest/config";
import { buildPdfReader, pdfReaderWorker } from "./scripts/pdf-reader-bundle";

/**
 * wrangler.toml as JSON in a directory of its own (under the git-ignored
 * .wrangler/), with its paths made absolute. Wrangler loads `.dev.vars` (or
 * `.env`) from beside the configuration file, so pointing the test pool here
 * keeps a developer's local variables (SIGNUP_INVITE_TOKEN, …) out of tests.
 */
function configWithoutDevVars(source: string): string {
  const { rawConfig, userConfigPath } = experimental_readRawConfig({ config: source });
  const base = dirname(userConfigPath ?? resolve(source));
  const absolute = (path: string | undefined) => (path === undefined ? undefined : resolve(base, path));
  const config = {
    ...rawConfig,
    main: absolute(rawConfig.main),
    d1_databases: rawConfig.d1_databases?.map((db: { migrations_dir?: string }) => ({
      ...db,
      migrations_dir: absolute(db.migrations_dir),
    })),
    // Queue batches are delivered at once instead of after up to 5 s of
    // gathering: tests wait for what a consumer stored, not for the batch window.
    queues: rawConfig.queues && {
      ...rawConfig.queues,
      consumers: rawConfig.queues.consumers?.map((consumer: { max_batch_timeout?: number }) => ({ ...consumer, max_batch_timeout: 0 })),
    },
  };
  const dir = resolve(base, ".wrangler", "test-config");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "wrangler.json");
  // Written aside and renamed, so a run starting alongside never reads half a file.
  const written = `${path}.${process.pid}`;
  writeFileSync(written, JSON.stringify(config, null, 2));
  renameSync(written, path);
  return path;
}

/**
 * The PDF reader Worker, built from the current source once per run (the
 * pool may ask for its options more than once): the gateway's PDF_READER
 * binding reaches it as it reaches the deployed one.
 */
let pdfReader: ReturnType<typeof pdfReaderWorker> | undefined;
function currentPdfReader(): ReturnType<typeof pdfReaderWorker> {
  if (!pdfReader) {
    const outdir = resolve(".wrangler", "pdf-build");
    buildPdfReader(outdir);
    pdfReader = pdfReaderWorker(outdir);
  }
  return pdfReader;
}

/**
 * Three projects. `workers`: tests run inside workerd with the real local
 * D1/KV from wrangler.toml and the PDF reader Worker beside it; Microsoft is
 * replaced by the emulator, started over real HTTP by the global setup; the
 * gateway only sees different base URLs. `browser`: the deploy bundle served
 * over https, looked at by a headless Chromium (test/browser/). `bundle`:
 * what the deploy bundles contain (test/bundle/).
 */
export default defineConfig({
  test: {
    silent: "passed-only",
    // In CI a JSON report too, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-results.json" }]] : ["default"],
    projects: [
      {
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const emulatorUrl = inject("emulatorUrl");
            // Not provided by the bench's global setup, which streams nowhere.
            const siemReceiverUrl: string | undefined = inject("siemReceiverUrl");
            return {
              wrangler: { configPath: configWithoutDevVars("./wrangler.toml") },
              miniflare: {
                workers: [currentPdfReader()],
                // Every setting is explicit; with the configuration above, nothing
                // from a developer's .dev.vars or .env reaches the tests either.
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                  BASE_DOMAIN: "mcp.example.com",
                  VERIFY_ENTRA_CREDENTIALS: "true",
                  SIGNUP_MAX_BODY_BYTES: "8192",
                  LOGIN_BASE: emulatorUrl,
                  GRAPH_BASE: emulatorUrl,
                  // The emulator serves each national cloud under its own prefix (emulator/clouds.ts).
                  LOGIN_BASE_USGOV_HIGH: `${emulatorUrl}/cloud/usgov-high`,
                  GRAPH_BASE_USGOV_HIGH: `${emulatorUrl}/cloud/usgov-high`,
                  LOGIN_BASE_USGOV_DOD: `${emulatorUrl}/cloud/usgov-dod`,
                  GRAPH_BASE_USGOV_DOD: `${emulatorUrl}/cloud/usgov-dod`,
                  LOGIN_BASE_CHINA: `${emulatorUrl}/cloud/china`,
                  GRAPH_BASE_CHINA: `${emulatorUrl}/cloud/china`,
                  // Fixed test-only keys: 32 bytes each, base64.
                  KEK_1: "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=",
                  KEK_2: "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=",
                  ACTIVE_KEK_ID: "1",
                  OPERATOR_TOKEN: "test-operator-token-0123456789abcdef",
                  CONSENT_SECRET: "test-consent-secret-0123456789abcdef",
                  CURSOR_SECRET: "test-cursor-secret-0123456789abcdef0123",
                  TENANT_CACHE_TTL_SECONDS: "30",
                  TOKEN_CACHE_TTL_SECONDS: "30",
                  // The audit stream's test collector (test/siem-receiver.ts) is plain http on 127.0.0.1.
                  AUDIT_STREAM_ALLOWED_ORIGINS: siemReceiverUrl ?? "",
                },
              },
            };
          }),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/global-setup.ts"],
          setupFiles: ["./test/apply-migrations.ts"],
          include: ["test/**/*.test.ts", "src/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/browser/**", "test/bundle/**"],
          // Test files share a runner (one workerd and its local D1/KV per pool
          // worker) instead of starting one each: 3 to 4 times faster. Files must not
          // assume an empty database or namespace: each creates its own tenants and
          // looks only at what it wrote.
          isolate: false,
          // Tests wait on workerd, the emulator and Retry-After more than they compute:
          // one runner more than there are cores keeps them busy.
          deps: { optimizer: { ssr: { enabled: true } } },
          maxWorkers: Math.max(3, availableParallelism()),
        },
      },
      {
        test: {
          name: "browser",
          // Node, not workerd: the test file starts the gateway and one Chromium (test/browser/world.ts).
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          // Starting the gateway and Chromium takes seconds on a busy machine.
          hookTimeout: 60_000,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "bundle",
          // Node: the test builds the deploy bundles with wrangler and reads them.
          environment: "node",
          include: ["test/bundle/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
