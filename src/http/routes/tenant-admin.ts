import { Hono } from "hono";
import { z } from "zod";
import type { TenantEnv } from "../context";
import { requireBearer } from "../bearer";
import { jsonBodyLimit, readJsonBody } from "../json-body";
import { adminKeyMatches } from "../../tenancy/admin-key";
import { changePolicy, changeStatus, deleteTenant, rotateAdminKey, rotateClientSecret, suspendedByOperator } from "../tenant-admin-actions";
import { ClientSecretSchema, SecretExpirySchema } from "../../tenancy/inputs";
import { daysUntil } from "../../tenancy/maintenance";
import type { Config } from "../../config";
import { cloudEndpoints } from "../../tenancy/clouds";
import { onboardingLinks } from "../../tenancy/onboarding";
import { TenantPolicyPatchSchema } from "../../tenancy/policy";
import { publicTenantView, type Tenant } from "../../tenancy/tenant";
import { tenantAdminAuditRoutes } from "./tenant-admin-audit";
import { tenantAdminNoticesRoutes } from "./tenant-admin-notices";
import { tenantAdminStreamRoutes } from "./tenant-admin-stream";
import { tenantAdminUsersRoutes } from "./tenant-admin-users";
import { tenantAdminVerifyRoutes } from "./tenant-admin-verify";
import { tenantAdminCredentialsRoutes } from "./tenant-admin-credentials";
import { actionDeps } from "./admin-deps";

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

function settingsView(tenant: Tenant, requestUrl: string, config: Config) {
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
      ...cloudEndpoints(config, tenant.cloud),
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      enabledGroups: tenant.policy.enabledGroups,
      readOnly: tenant.policy.readOnly,
    }),
  };
}

export const tenantAdminRoutes = new Hono<TenantEnv>()
  .use("/api/admin/*", requireAdminKey, jsonBodyLimit(ADMIN_BODY_LIMIT))
  .get("/api/admin/tenant", (c) => c.json(settingsView(c.get("tenant"), c.req.url, c.get("config"))))
  .get("/api/admin/alerts", async (c) => {
    const alerts = await c.get("registry").alerts(c.get("tenant").id);
    return c.json({ alerts: alerts.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })) });
  })
  .route("/", tenantAdminUsersRoutes)
  .route("/", tenantAdminAuditRoutes)
  .route("/", tenantAdminStreamRoutes)
  .route("/", tenantAdminNoticesRoutes)
  .route("/", tenantAdminVerifyRoutes)
  .route("/", tenantAdminCredentialsRoutes)
  .put("/api/admin/client-secret", async (c) => {
    const input = await readJsonBody(c, RotateSecretSchema);
    const { updated, verified } = await rotateClientSecret(actionDeps(c), input);
    return c.json({ clientSecret: updated ? publicTenantView(updated).clientSecret : null, credentialsVerified: verified });
  })
  .patch("/api/admin/policy", async (c) => {
    const patch = await readJsonBody(c, TenantPolicyPatchSchema);
    return c.json({ policy: await changePolicy(actionDeps(c), patch) });
  })
  .post("/api/admin/suspend", async (c) => c.json({ status: (await changeStatus(actionDeps(c), "suspended")).status }))
  .post("/api/admin/resume", async (c) => c.json({ status: (await changeStatus(actionDeps(c), "active")).status }))
  .post("/api/admin/admin-key", async (c) => {
    const adminKey = await rotateAdminKey(actionDeps(c));
    return c.json({ adminKey, adminKeyNotice: "The previous admin key no longer works. This one is shown only once." }, 200, {
      "cache-control": "no-store",
    });
  })
  .delete("/api/admin/tenant", async (c) => {
    const tenant = c.get("tenant");
    // Checked before the body, as before: an operator's suspension is refused whatever was sent.
    if (tenant.suspendedBy === "operator") throw suspendedByOperator();
    const { confirm } = await readJsonBody(c, DeleteTenantSchema);
    const purged = await deleteTenant(actionDeps(c), confirm);
    return c.json(purged.body, purged.status);
  });
