import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import type { TenantEnv } from "../context";
import { requireBearer } from "../bearer";
import { ApiError } from "../errors";
import { jsonBodyLimit, readJsonBody } from "../json-body";
import { logEvent } from "../../lib/log";
import { adminKeyMatches, generateAdminKey, hashAdminKey } from "../../tenancy/admin-key";
import { verifyAndSealCredentials } from "../credentials";
import { ClientSecretSchema, SecretExpirySchema } from "../../tenancy/inputs";
import { purgeResponseBody, purgeTenant } from "../../tenancy/offboarding";
import { daysUntil } from "../../tenancy/maintenance";
import { onboardingLinks } from "../../tenancy/onboarding";
import { applyPolicyPatch, TenantPolicyPatchSchema } from "../../tenancy/policy";
import { publicTenantView, type Tenant } from "../../tenancy/tenant";
import { tenantAdminUsersRoutes } from "./tenant-admin-users";

/**
 * @module Tenant admin API on `<slug>.<BASE_DOMAIN>/api/admin/*`, authenticated by the
 * admin key issued at signup. The key is checked against the tenant that the
 * host names, so one org's key is useless on another org's host.
 */

const ADMIN_BODY_LIMIT = 4096;

const requireAdminKey = requireBearer<TenantEnv>({
  realm: "tenant-admin",
  message: "Send this tenant's admin key as 'Authorization: Bearer <key>'",
  async verify(key, c) {
    // The row is read fresh, not from the isolate cache: a rotated key or a
    // changed status must take effect at once everywhere.
    const tenant = await c.get("registry").findById(c.get("tenant").id);
    if (!tenant || !(await adminKeyMatches(key, tenant.adminKeyHash))) return false;
    c.set("tenant", tenant);
    return true;
  },
});

const RotateSecretSchema = z.strictObject({
  clientSecret: ClientSecretSchema,
  clientSecretExpiresAt: SecretExpirySchema.optional(),
});

const DeleteTenantSchema = z.strictObject({
  confirm: z.string({ error: "expected confirm: the tenant's slug" }),
});

function settingsView(tenant: Tenant, requestUrl: string, loginBase: string) {
  const url = new URL(requestUrl);
  const apex = new URL(`${url.protocol}//${url.host.slice(tenant.slug.length + 1)}`);
  const days = tenant.secretExpiresAt ? daysUntil(tenant.secretExpiresAt) : undefined;
  const warnings =
    days === undefined || days > 30
      ? []
      : [days < 0 ? "The client secret has expired; set a new one" : `The client secret expires in ${days} days; set a new one soon`];
  return {
    ...publicTenantView(tenant),
    warnings,
    ...onboardingLinks({
      apexUrl: apex,
      slug: tenant.slug,
      loginBase,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      enabledGroups: tenant.policy.enabledGroups,
      readOnly: tenant.policy.readOnly,
    }),
  };
}

export const tenantAdminRoutes = new Hono<TenantEnv>()
  .use("/api/admin/*", requireAdminKey, jsonBodyLimit(ADMIN_BODY_LIMIT))
  .get("/api/admin/tenant", (c) => c.json(settingsView(c.get("tenant"), c.req.url, c.get("config").LOGIN_BASE)))
  .get("/api/admin/alerts", async (c) => {
    const alerts = await c.get("registry").alerts(c.get("tenant").id);
    return c.json({ alerts: alerts.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) });
  })
  .route("/", tenantAdminUsersRoutes)
  .put("/api/admin/client-secret", async (c) => {
    const tenant = c.get("tenant");
    const input = await readJsonBody(c, RotateSecretSchema);
    const sealed = await verifyAndSealCredentials(c.get("config"), {
      tenantId: tenant.id,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      clientSecret: input.clientSecret,
    });
    const updated = await c.get("registry").setSecret(tenant.id, sealed.envelope, sealed.secretHint, input.clientSecretExpiresAt ?? null);
    c.get("tenantCache").invalidate(tenant.slug);
    logEvent("tenant_secret_rotated", { tenantId: tenant.id, verified: sealed.verified });
    return c.json({ clientSecret: updated ? publicTenantView(updated).clientSecret : null, credentialsVerified: sealed.verified });
  })
  .patch("/api/admin/policy", async (c) => {
    const tenant = c.get("tenant");
    const patch = await readJsonBody(c, TenantPolicyPatchSchema);
    const policy = applyPolicyPatch(tenant.policy, patch);
    await c.get("registry").setPolicy(tenant.id, policy);
    c.get("tenantCache").invalidate(tenant.slug);
    logEvent("tenant_policy_changed", { tenantId: tenant.id });
    return c.json({ policy });
  })
  .post("/api/admin/suspend", (c) => setStatus(c, "suspended"))
  .post("/api/admin/resume", (c) => setStatus(c, "active"))
  .post("/api/admin/admin-key", async (c) => {
    const tenant = c.get("tenant");
    const adminKey = generateAdminKey();
    await c.get("registry").setAdminKeyHash(tenant.id, await hashAdminKey(adminKey));
    c.get("tenantCache").invalidate(tenant.slug);
    logEvent("tenant_admin_key_rotated", { tenantId: tenant.id });
    return c.json({ adminKey, adminKeyNotice: "The previous admin key no longer works. This one is shown only once." }, 200, {
      "cache-control": "no-store",
    });
  })
  .delete("/api/admin/tenant", async (c) => {
    const tenant = c.get("tenant");
    // Deleting would end the operator's suspension (and free the slug): only the operator may.
    if (tenant.suspendedBy === "operator") throw suspendedByOperator();
    const { confirm } = await readJsonBody(c, DeleteTenantSchema);
    if (confirm !== tenant.slug) {
      throw new ApiError(400, "confirmation_mismatch", `Set confirm to "${tenant.slug}" to delete this organization`, {
        issues: [{ field: "confirm", message: `expected "${tenant.slug}"` }],
      });
    }
    const purged = purgeResponseBody(
      await purgeTenant(
        { registry: c.get("registry"), kv: c.env.OAUTH_KV, tenantCache: c.get("tenantCache"), agents: c.env.USER_AGENT },
        tenant,
      ),
    );
    return c.json(purged.body, purged.status);
  });

async function setStatus(c: Parameters<MiddlewareHandler<TenantEnv>>[0], status: "active" | "suspended") {
  const registry = c.get("registry");
  const tenant = c.get("tenant");
  if (tenant.suspendedBy === "operator") throw suspendedByOperator();
  const updated = await registry.setStatus(tenant.id, status, status === "suspended" ? "tenant-admin" : null);
  c.get("tenantCache").invalidate(tenant.slug);
  if (!updated) throw new ApiError(404, "tenant_not_found", "This organization is being deleted");
  logEvent("tenant_status_changed", { tenantId: tenant.id, status, by: "tenant-admin" });
  return c.json({ status: updated.status });
}

function suspendedByOperator(): ApiError {
  return new ApiError(
    403,
    "suspended_by_operator",
    "The gateway's operator suspended this organization; only they can change its status or delete it",
  );
}
