import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { purgeTenantKv, tenantKeyPrefix } from "../src/tenancy/tenant-kv";
import { call, createTenant, json, tenantUrl } from "./helpers/gateway";

async function seedKeys(tenantId: string, count: number) {
  await Promise.all(Array.from({ length: count }, (_, i) => env.OAUTH_KV.put(`${tenantKeyPrefix(tenantId)}grant:user:${i}`, "x")));
}

async function keysLeft(tenantId: string) {
  return (await env.OAUTH_KV.list({ prefix: tenantKeyPrefix(tenantId) })).keys.length;
}

async function runScheduled() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("offboarding larger than one invocation", () => {
  it("purges KV within a budget and says whether keys remain", async () => {
    const tenantId = crypto.randomUUID();
    await seedKeys(tenantId, 12);
    expect(await purgeTenantKv(env.OAUTH_KV, tenantId, 5)).toEqual({ removed: 5, complete: false });
    expect(await keysLeft(tenantId)).toBe(7);
    expect(await purgeTenantKv(env.OAUTH_KV, tenantId, 100)).toEqual({ removed: 7, complete: true });
  });

  it("takes a tenant offline at once, and the scheduled sweep finishes a deletion that was cut short", async () => {
    const tenant = await createTenant();
    await seedKeys(tenant.tenant.id, 3);
    // A deletion that stopped after marking the tenant: the row remains as the record of work to do.
    await env.DB.prepare("UPDATE tenants SET status = 'deleting' WHERE id = ?").bind(tenant.tenant.id).run();
    const health = await call(tenantUrl(tenant.tenant.slug, "/health"));
    // The tenant cache may still hold the active row for this isolate; the sweep must not care.
    expect([200, 404]).toContain(health.status);
    await runScheduled();
    expect(await keysLeft(tenant.tenant.id)).toBe(0);
    expect(await env.DB.prepare("SELECT id FROM tenants WHERE id = ?").bind(tenant.tenant.id).first()).toBeNull();
  });
});

describe("secret expiry warnings", () => {
  it("alerts the tenant admin once when the client secret expires within 30 days", async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const tenant = await createTenant({ clientSecretExpiresAt: soon });
    await runScheduled();
    await runScheduled();
    const alerts = await json<{ alerts: { kind: string; detail: string }[] }>(
      await call(tenantUrl(tenant.tenant.slug, "/api/admin/alerts"), { bearer: tenant.adminKey }),
    );
    const expiring = alerts.alerts.filter((alert) => alert.kind === "secret_expiring");
    expect(expiring).toHaveLength(1);
    expect(expiring[0]?.detail).toMatch(/expires in (9|10) days/);
    const settings = await json<{ warnings: string[] }>(
      await call(tenantUrl(tenant.tenant.slug, "/api/admin/tenant"), { bearer: tenant.adminKey }),
    );
    expect(settings.warnings[0]).toMatch(/expires in (9|10) days/);
  });
});
