import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Tests run inside workerd with the real local D1/KV from wrangler.toml.
 * Microsoft is replaced by the emulator, started over real HTTP by the
 * global setup; the gateway only sees different base URLs.
 */
export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => {
      const emulatorUrl = inject("emulatorUrl");
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Every setting is explicit, so a developer's generated .dev.vars
          // (which wrangler would also load) cannot change what tests see.
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations("./migrations"),
            BASE_DOMAIN: "mcp.example.com",
            VERIFY_ENTRA_CREDENTIALS: "true",
            SIGNUP_MAX_BODY_BYTES: "8192",
            LOGIN_BASE: emulatorUrl,
            GRAPH_BASE: emulatorUrl,
            // Fixed test-only keys: 32 bytes each, base64.
            KEK_1: "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=",
            KEK_2: "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=",
            ACTIVE_KEK_ID: "1",
            OPERATOR_TOKEN: "test-operator-token-0123456789abcdef",
            CONSENT_SECRET: "test-consent-secret-0123456789abcdef",
            CURSOR_SECRET: "test-cursor-secret-0123456789abcdef0123",
            TENANT_CACHE_TTL_SECONDS: "30",
            TOKEN_CACHE_TTL_SECONDS: "30",
          },
        },
      };
    }),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    silent: "passed-only",
    // In CI a JSON report too, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".vitest-results.json" }]] : ["default"],
    setupFiles: ["./test/apply-migrations.ts"],
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
  },
});
