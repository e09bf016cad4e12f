import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { requireBearer } from "../bearer";
import { ApiError, validationError } from "../errors";
import { logEvent } from "../../lib/log";
import { auditSource, operatorActionEvent } from "../../audit/events";
import { auditOf } from "../audit";
import { secretsMatch } from "../../tenancy/admin-key";
import { ClientIdSchema, EntraTenantIdSchema } from "../../tenancy/inputs";
import { rewrapAllTenants } from "../../tenancy/key-rotation";
import { auditTrailOf } from "../../tenancy/audit-retention";
import { purgeResponseBody, purgeTenant } from "../../tenancy/offboarding";
import { SlugSchema } from "../../tenancy/slug";
import { publicTenantView } from "../../tenancy/tenant";
import { operatorQuotaRoutes } from "./operator-quotas";
import { tenantById } from "./operator-tenant";
import { operatorUsageRoutes } from "./operator-usage";

/** @module Operator API on the apex, behind the OPERATOR_TOKEN Worker secret. */

const operatorToken = requireBearer<ApexEnv>({
  realm: "operator",
  message: "Send the operator token as 'Authorization: Bearer <token>'",
  verify: async (token, c) => secretsMatch(token, c.get("config").OPERATOR_TOKEN ?? ""),
});

const requireOperator: MiddlewareHandler<ApexEnv> = async (c, next) => {
  if (!c.get("config").OPERATOR_TOKEN) {
    throw new ApiError(503, "operator_api_disabled", "The operator API is off: set the OPERATOR_TOKEN secret");
  }
  return operatorToken(c, next);
};

const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid("expected the nextCursor of a previous page").optional(),
});

const BlockListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number({ error: "expected the nextCursor of a previous page" }).int().min(0).optional(),
});

/** A block is lifted by the signup field and the value as signup would normalize it. */
const LiftBlockSchema = z.discriminatedUnion(
  "field",
  [
    z.object({ field: z.literal("slug"), value: SlugSchema }),
    z.object({ field: z.literal("entraTenantId"), value: EntraTenantIdSchema }),
    z.object({ field: z.literal("clientId"), value: ClientIdSchema }),
  ],
  { error: "expected slug, entraTenantId or clientId" },
);

async function setStatus(c: Context<ApexEnv>, status: "active" | "suspended") {
  const tenant = await tenantById(c);
  if (tenant.status === "deleting") {
    throw new ApiError(409, "tenant_deleting", "This tenant is being deleted; its status can no longer change");
  }
  const registry = c.get("registry");
  // A suspension also blocks signups with the tenant's slug, Entra tenant and
  // client ID, so deleting and signing up again cannot undo it; resuming lifts them.
  const updated = status === "suspended" ? await registry.suspendByOperator(tenant) : await registry.resumeByOperator(tenant.id);
  c.get("tenantCache").invalidate(tenant.slug);
  logEvent("tenant_status_changed", { tenantId: tenant.id, status, by: "operator" });
  auditOf(c).record(
    operatorActionEvent(tenant.id, auditSource(c.req.raw.headers), {
      action: status === "suspended" ? "tenant.suspend" : "tenant.resume",
      outcome: "ok",
      before: { status: tenant.status, suspendedBy: tenant.suspendedBy },
      after: { status: updated?.status ?? status, suspendedBy: updated?.suspendedBy ?? null },
    }),
  );
  return c.json(updated ? publicTenantView(updated) : { status });
}

/**
 * Audits lifted signup blocks in the trail of each organization whose
 * suspension made them and that still exists (a deleted one's trail is gone,
 * and nothing may be written for it again).
 */
async function auditLiftedBlocks(c: Context<ApexEnv>, tenantIds: string[], block: { field: string; value: string }) {
  const source = auditSource(c.req.raw.headers);
  for (const tenantId of new Set(tenantIds)) {
    if (!(await c.get("registry").findById(tenantId))) continue;
    auditOf(c).record(operatorActionEvent(tenantId, source, { action: "signup_block.lift", outcome: "ok", before: block }));
  }
}

export const operatorRoutes = new Hono<ApexEnv>()
  .use("/api/operator/*", requireOperator)
  .route("/", operatorUsageRoutes)
  .get("/api/operator/tenants", async (c) => {
    const query = ListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, "query");
    const page = await c.get("registry").list(query.data.limit, query.data.cursor);
    const nextCursor = page.length === query.data.limit ? page.at(-1)?.id : undefined;
    return c.json({ tenants: page.map(publicTenantView), nextCursor: nextCursor ?? null });
  })
  .get("/api/operator/tenants/:id", async (c) => c.json(publicTenantView(await tenantById(c))))
  .route("/", operatorQuotaRoutes)
  .post("/api/operator/tenants/:id/suspend", (c) => setStatus(c, "suspended"))
  .post("/api/operator/tenants/:id/resume", (c) => setStatus(c, "active"))
  .delete("/api/operator/tenants/:id", async (c) => {
    const tenant = await tenantById(c);
    const purged = purgeResponseBody(
      await purgeTenant(
        {
          registry: c.get("registry"),
          kv: c.env.OAUTH_KV,
          tenantCache: c.get("tenantCache"),
          agents: c.env.USER_AGENT,
          audit: auditTrailOf(c.env),
        },
        tenant,
      ),
    );
    return c.json({ id: tenant.id, ...purged.body }, purged.status);
  })
  .get("/api/operator/blocks", async (c) => {
    const query = BlockListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, "query");
    const page = await c.get("registry").listBlocks(query.data.limit, query.data.cursor);
    const nextCursor = page.length === query.data.limit ? page.at(-1)?.id : undefined;
    return c.json({
      blocks: page.map((block) => ({ ...block, createdAt: block.createdAt.toISOString() })),
      nextCursor: nextCursor === undefined ? null : String(nextCursor),
    });
  })
  .delete("/api/operator/blocks/:field/:value", async (c) => {
    const parsed = LiftBlockSchema.safeParse({ field: c.req.param("field"), value: c.req.param("value") });
    if (!parsed.success) throw validationError(parsed.error, "path");
    const { field, value } = parsed.data;
    const tenantIds = await c.get("registry").liftBlocksOf(field, value);
    const lifted = tenantIds.length;
    if (lifted === 0) throw new ApiError(404, "block_not_found", `No signup block on ${field} "${value}"`);
    logEvent("signup_block_lifted", { field, lifted });
    await auditLiftedBlocks(c, tenantIds, { field, value });
    return c.json({ field, value, lifted });
  })
  .post("/api/operator/rotate-keys", async (c) => {
    const audit = auditOf(c);
    const source = auditSource(c.req.raw.headers);
    const activeKekId = c.get("config").ACTIVE_KEK_ID;
    // Each organization's trail says its data key was re-wrapped, from which KEK to which (ids only, never key material).
    const result = await rewrapAllTenants(c.get("registry"), c.get("config"), (tenantId, fromKekId) =>
      audit.record(
        operatorActionEvent(tenantId, source, {
          action: "kek.rotate",
          outcome: "ok",
          before: { kekId: fromKekId },
          after: { kekId: activeKekId },
        }),
      ),
    );
    logEvent("kek_rotation", { activeKekId: result.activeKekId, rewrapped: result.rewrapped, failed: result.failed.length });
    return c.json(result, result.failed.length > 0 ? 500 : 200);
  });
