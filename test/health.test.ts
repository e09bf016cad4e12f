import { describe, expect, it } from "vitest";
import { GATEWAY_VERSION } from "../src/env";
import { APEX, call, createTenant, json, tenantUrl } from "./helpers/gateway";

/** GET /health reports D1 and KV reachability and the running version. */
describe("GET /health", () => {
  const expected = { status: "ok", version: GATEWAY_VERSION, checks: { d1: "ok", kv: "ok" } };

  it("answers 200 with version and D1/KV checks on the apex, uncached", async () => {
    const response = await call(`${APEX}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await json(response)).toEqual(expected);
  });

  it("answers the same on an active tenant's host", async () => {
    const tenant = await createTenant();
    const response = await call(tenantUrl(tenant.tenant.slug, "/health"));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual(expected);
  });

  it("reports a semantic version", () => {
    expect(GATEWAY_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
