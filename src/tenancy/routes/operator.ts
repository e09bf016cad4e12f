import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../../http/context";
import { ApiError, validationError } from "../../http/errors";
import { logEvent } from "../../lib/log";
import { secretsMatch } from "../admin-key";
import { rewrapAllTenants } from "../key-rotation";
import { purgeResponseBody, purgeTenant } from "../offboarding";
import { publicTenantView, type Tenant } from "../tenant";

/** Operator API on the apex, behind the OPERATOR_TOKEN Worker secret. */
const requireOperator: MiddlewareHandler<ApexEnv> = async (c, next) => {
  const configured = c.get("config").OPERATOR_TOKEN;
  if (!configured) {
    throw new ApiError(503, "operator_api_disabled", "The operator API is off: set the OPERATOR_TOKEN secret");
  }
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match?.[1] || !(await secretsMatch(match[1], configured))) {
    throw new ApiError(401, "unauthorized", "Send the operator token as 'Authorization: Bearer <token>'", {
      headers: { "www-authenticate": 'Bearer realm="operator"' },
    });
  }
  await next();
};

const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.uuid("expected the nextCursor of a previous page").optional(),
});

async function tenantById(c: Context<ApexEnv>): Promise<Tenant> {
  const id = c.req.param("id") ?? "";
  const tenant = z.uuid().safeParse(id).success ? await c.get("registry").findById(id) : undefined;
  if (!tenant) throw new ApiError(404, "tenant_not_found", `No tenant has id "${id}"`);
  return tenant;
}

async function setStatus(c: Context<ApexEnv>, status: "active" | "suspended") {
  const tenant = await tenantById(c);
  if (tenant.status === "deleting") {
    throw new ApiError(409, "tenant_deleting", "This tenant is being deleted; its status can no longer change");
  }
  const updated = await c.get("registry").setStatus(tenant.id, status, status === "suspended" ? "operator" : null);
  c.get("tenantCache").invalidate(tenant.slug);
  logEvent("tenant_status_changed", { tenantId: tenant.id, status, by: "operator" });
  return c.json(updated ? publicTenantView(updated) : { status });
}

export const operatorRoutes = new Hono<ApexEnv>()
  .use("/api/operator/*", requireOperator)
  .get("/api/operator/tenants", async (c) => {
    const query = ListQuerySchema.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, "query");
    const page = await c.get("registry").list(query.data.limit, query.data.cursor);
    const nextCursor = page.length === query.data.limit ? page.at(-1)?.id : undefined;
    return c.json({ tenants: page.map(publicTenantView), nextCursor: nextCursor ?? null });
  })
  .get("/api/operator/tenants/:id", async (c) => c.json(publicTenantView(await tenantById(c))))
  .post("/api/operator/tenants/:id/suspend", (c) => setStatus(c, "suspended"))
  .post("/api/operator/tenants/:id/resume", (c) => setStatus(c, "active"))
  .delete("/api/operator/tenants/:id", async (c) => {
    const tenant = await tenantById(c);
    const purged = purgeResponseBody(
      await purgeTenant({ registry: c.get("registry"), kv: c.env.OAUTH_KV, tenantCache: c.get("tenantCache"), agents: c.env.USER_AGENT }, tenant),
    );
    return c.json({ id: tenant.id, ...purged.body }, purged.status);
  })
  .post("/api/operator/rotate-keys", async (c) => {
    const result = await rewrapAllTenants(c.get("registry"), c.get("config"));
    logEvent("kek_rotation", { activeKekId: result.activeKekId, rewrapped: result.rewrapped, failed: result.failed.length });
    return c.json(result, result.failed.length > 0 ? 500 : 200);
  });
