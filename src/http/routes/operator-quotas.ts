import { Hono } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { jsonBodyLimit, readJsonBody } from "../json-body";
import { logEvent } from "../../lib/log";
import { auditSource, operatorActionEvent } from "../../audit/events";
import { auditOf } from "../audit";
import type { Tenant } from "../../tenancy/tenant";
import { tenantById } from "./operator-tenant";

/**
 * @module The operator's quotas on an organization's tool calls (mounted
 * under operator.ts, behind the operator token):
 * `GET /api/operator/tenants/:id/quotas` and `PUT /api/operator/tenants/:id/quotas`
 * `{ userPerMinute?, tenantPerDay? }`: a whole number sets a limit, null
 * lifts it, a field left out keeps its value. Enforced on every tools/call
 * (src/agent/quota.ts); other isolates see a change within
 * TENANT_CACHE_TTL_SECONDS.
 */

const MAX_PER_MINUTE = 100_000;
const MAX_PER_DAY = 1_000_000_000;

function limitField(max: number) {
  const expected = `expected a whole number from 1 to ${max}, or null for no limit`;
  return z.number({ error: expected }).int(expected).min(1, expected).max(max, expected).nullable().optional();
}

const QuotasSchema = z.strictObject({
  userPerMinute: limitField(MAX_PER_MINUTE),
  tenantPerDay: limitField(MAX_PER_DAY),
});

function quotasView(tenant: Tenant) {
  return { id: tenant.id, quotas: tenant.quotas };
}

export const operatorQuotaRoutes = new Hono<ApexEnv>()
  .get("/api/operator/tenants/:id/quotas", async (c) => c.json(quotasView(await tenantById(c))))
  .put("/api/operator/tenants/:id/quotas", jsonBodyLimit(1024), async (c) => {
    const tenant = await tenantById(c);
    const input = await readJsonBody(c, QuotasSchema);
    const quotas = {
      userPerMinute: input.userPerMinute === undefined ? tenant.quotas.userPerMinute : input.userPerMinute,
      tenantPerDay: input.tenantPerDay === undefined ? tenant.quotas.tenantPerDay : input.tenantPerDay,
    };
    const updated = await c.get("registry").setQuotas(tenant.id, quotas);
    c.get("tenantCache").invalidate(tenant.slug);
    logEvent("tenant_quotas_changed", { tenantId: tenant.id, userPerMinute: quotas.userPerMinute, tenantPerDay: quotas.tenantPerDay });
    const change = { before: { ...tenant.quotas }, after: { ...quotas } };
    auditOf(c).record(operatorActionEvent(tenant.id, auditSource(c.req.raw.headers), { action: "quotas.set", outcome: "ok", ...change }));
    return c.json(quotasView(updated ?? tenant));
  });
