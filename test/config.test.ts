import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../src/config";
import type { Env } from "../src/env";
import worker from "../src/index";

/** Configuration is parsed once and fails fast with a message naming the setting. */
function envWith(overrides: Partial<Record<keyof Env | `KEK_${string}`, string | undefined>>): Env {
  return { ...env, ...overrides } as Env;
}

function configErrorOf(bad: Env): ConfigError {
  try {
    readConfig(bad);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected readConfig to refuse this configuration");
}

const THIRTY_ONE_BYTES = btoa("x".repeat(31));

describe("readConfig", () => {
  it("accepts the test Worker's configuration and normalises it", () => {
    const config = readConfig(envWith({ BASE_DOMAIN: "MCP.Example.COM.", LOGIN_BASE: `${env.LOGIN_BASE}/` }));
    expect(config.BASE_DOMAIN).toBe("mcp.example.com");
    expect(config.LOGIN_BASE).toBe(env.LOGIN_BASE.replace(/\/+$/, ""));
    expect(config.VERIFY_ENTRA_CREDENTIALS).toBe(true);
    expect(config.TENANT_CACHE_TTL_SECONDS).toBe(30);
    expect([...config.keks.keys()].sort()).toEqual(expect.arrayContaining(["1", "2"]));
    expect(config.keks.get("1")).toHaveLength(32);
  });

  it.each([
    ["ACTIVE_KEK_ID without a matching KEK_ secret", { ACTIVE_KEK_ID: "7" }, /ACTIVE_KEK_ID is "7" but secret KEK_7 is not set/],
    ["a KEK that is not 32 bytes", { KEK_2: THIRTY_ONE_BYTES }, /KEK_2 must be base64 of exactly 32 random bytes/],
    ["a KEK that is not base64", { KEK_2: "not base64 at all!" }, /KEK_2 must be base64/],
    ["the active KEK that is too short", { KEK_1: btoa("short") }, /KEK_1 must be base64 of exactly 32/],
    ["ACTIVE_KEK_ID with odd characters", { ACTIVE_KEK_ID: "1;drop" }, /ACTIVE_KEK_ID: letters, digits or underscore/],
    ["LOGIN_BASE that is not a URL", { LOGIN_BASE: "login.microsoftonline.com" }, /LOGIN_BASE/],
    ["LOGIN_BASE with a non-http scheme", { LOGIN_BASE: "ftp://login.example.com" }, /LOGIN_BASE/],
    ["GRAPH_BASE that is not a URL", { GRAPH_BASE: "graph" }, /GRAPH_BASE/],
    ["OPERATOR_TOKEN that is too short", { OPERATOR_TOKEN: "short-token" }, /OPERATOR_TOKEN: at least 32 characters/],
    ["VERIFY_ENTRA_CREDENTIALS that is not true/false", { VERIFY_ENTRA_CREDENTIALS: "yes" }, /VERIFY_ENTRA_CREDENTIALS/],
    ["TENANT_CACHE_TTL_SECONDS that is not a positive integer", { TENANT_CACHE_TTL_SECONDS: "-5" }, /TENANT_CACHE_TTL_SECONDS/],
    ["TOKEN_CACHE_TTL_SECONDS beyond KV's 60 s", { TOKEN_CACHE_TTL_SECONDS: "61" }, /TOKEN_CACHE_TTL_SECONDS: at most 60 seconds/],
    ["a negative TOKEN_CACHE_TTL_SECONDS", { TOKEN_CACHE_TTL_SECONDS: "-1" }, /TOKEN_CACHE_TTL_SECONDS/],
    ["an empty BASE_DOMAIN", { BASE_DOMAIN: "" }, /BASE_DOMAIN/],
    ["a missing CONSENT_SECRET", { CONSENT_SECRET: undefined }, /CONSENT_SECRET/],
    ["a CONSENT_SECRET that is too short", { CONSENT_SECRET: "short" }, /CONSENT_SECRET: at least 32 characters/],
    ["a missing CURSOR_SECRET", { CURSOR_SECRET: undefined }, /CURSOR_SECRET/],
    ["a CURSOR_SECRET that is too short", { CURSOR_SECRET: "short" }, /CURSOR_SECRET: at least 32 characters/],
  ])("rejects %s with a message naming the setting", (_why, overrides, message) => {
    const error = configErrorOf(envWith(overrides));
    expect(error.message).toMatch(message);
  });

  it("never puts a KEK's value in its error message", () => {
    const error = configErrorOf(envWith({ KEK_2: THIRTY_ONE_BYTES }));
    expect(error.message).not.toContain(THIRTY_ONE_BYTES);
  });

  it("caches token records for 30 s when TOKEN_CACHE_TTL_SECONDS is unset, and accepts 0 to turn that off", () => {
    expect(readConfig(envWith({ TOKEN_CACHE_TTL_SECONDS: undefined })).TOKEN_CACHE_TTL_SECONDS).toBe(30);
    expect(readConfig(envWith({ TOKEN_CACHE_TTL_SECONDS: "0" })).TOKEN_CACHE_TTL_SECONDS).toBe(0);
  });

  it("treats OPERATOR_TOKEN as optional", () => {
    expect(readConfig(envWith({ OPERATOR_TOKEN: undefined })).OPERATOR_TOKEN).toBeUndefined();
  });
});

describe("a misconfigured Worker", () => {
  it("answers 500 gateway_misconfigured without revealing which setting is wrong", async () => {
    // The Worker's own fetch handler, given a broken copy of the bindings; the
    // global bindings other tests use are untouched.
    const bad = envWith({ ACTIVE_KEK_ID: "9", KEK_2: THIRTY_ONE_BYTES });
    for (const url of ["https://mcp.example.com/", "https://mcp.example.com/health", "https://acme-corp.mcp.example.com/"]) {
      const response = await worker.fetch(new Request(url), bad, createExecutionContext());
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: "gateway_misconfigured",
        message: "The gateway is misconfigured; the operator has been told",
      });
      for (const detail of ["KEK", "ACTIVE_KEK_ID", THIRTY_ONE_BYTES]) expect(text).not.toContain(detail);
    }
  });

  it("skips a cron run instead of throwing", async () => {
    const bad = envWith({ ACTIVE_KEK_ID: "9" });
    const ctx = createExecutionContext();
    const controller = { cron: "*/15 * * * *", scheduledTime: Date.now(), noRetry: () => {} } satisfies ScheduledController;
    await expect(worker.scheduled(controller, bad, ctx)).resolves.toBeUndefined();
    await waitOnExecutionContext(ctx);
  });

  it("keeps answering normally with the real bindings afterwards", async () => {
    const response = await worker.fetch(new Request("https://mcp.example.com/health"), env, createExecutionContext());
    expect(response.status).toBe(200);
  });
});
