import type { Config } from "../config";
import type { Env } from "../env";
import { logEvent } from "../lib/log";
import { generateAdminKey, hashAdminKey } from "../tenancy/admin-key";
import { auditTrailOf } from "../tenancy/audit-retention";
import { purgeResponseBody, purgeTenant } from "../tenancy/offboarding";
import { applyPolicyPatch, type TenantPolicy, type TenantPolicyPatch } from "../tenancy/policy";
import type { Registry } from "../tenancy/registry";
import type { TenantCache } from "../tenancy/tenant-cache";
import type { Tenant } from "../tenancy/tenant";
import { verifyAndSealCredentials } from "./credentials";
import { ApiError } from "./errors";

/**
 * @module What an org admin can change, once: the admin API (admin key) and
 * the admin console (Entra sign-in) both call these, so both apply the same
 * rules (secret checked with Entra first, an operator's suspension that only
 * the operator lifts, typed confirmation before a purge). Refusals are
 * ApiErrors naming the field; each caller shows them its own way.
 */

export interface AdminActionDeps {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  env: Env;
  /** The tenant as just read from D1, not from the isolate cache. */
  tenant: Tenant;
}

/** Verifies the new secret with Entra, then seals and stores it; a refused secret changes nothing. */
export async function rotateClientSecret(deps: AdminActionDeps, input: { clientSecret: string; clientSecretExpiresAt?: Date }) {
  const { tenant } = deps;
  const sealed = await verifyAndSealCredentials(deps.config, {
    tenantId: tenant.id,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    clientSecret: input.clientSecret,
  });
  const updated = await deps.registry.setSecret(tenant.id, sealed.envelope, sealed.secretHint, input.clientSecretExpiresAt ?? null);
  deps.tenantCache.invalidate(tenant.slug);
  logEvent("tenant_secret_rotated", { tenantId: tenant.id, verified: sealed.verified });
  return { updated, verified: sealed.verified };
}

/** Applies a policy change; takes effect for every user's next tools/list. */
export async function changePolicy(deps: AdminActionDeps, patch: TenantPolicyPatch): Promise<TenantPolicy> {
  const policy = applyPolicyPatch(deps.tenant.policy, patch);
  await deps.registry.setPolicy(deps.tenant.id, policy);
  deps.tenantCache.invalidate(deps.tenant.slug);
  logEvent("tenant_policy_changed", { tenantId: deps.tenant.id });
  return policy;
}

export function suspendedByOperator(): ApiError {
  return new ApiError(
    403,
    "suspended_by_operator",
    "The gateway's operator suspended this organization; only they can change its status or delete it",
  );
}

/** Suspends or resumes the organization, unless the operator suspended it. */
export async function changeStatus(deps: AdminActionDeps, status: "active" | "suspended"): Promise<Tenant> {
  const { tenant } = deps;
  if (tenant.suspendedBy === "operator") throw suspendedByOperator();
  const updated = await deps.registry.setStatus(tenant.id, status, status === "suspended" ? "tenant-admin" : null);
  deps.tenantCache.invalidate(tenant.slug);
  if (!updated) throw new ApiError(404, "tenant_not_found", "This organization is being deleted");
  logEvent("tenant_status_changed", { tenantId: tenant.id, status, by: "tenant-admin" });
  return updated;
}

/** A new admin key; the previous one stops working at once. The key is returned once and never stored. */
export async function rotateAdminKey(deps: AdminActionDeps): Promise<string> {
  const adminKey = generateAdminKey();
  await deps.registry.setAdminKeyHash(deps.tenant.id, await hashAdminKey(adminKey));
  deps.tenantCache.invalidate(deps.tenant.slug);
  logEvent("tenant_admin_key_rotated", { tenantId: deps.tenant.id });
  return adminKey;
}

/** Purges the organization once `confirm` is its slug; the operator's suspension forbids it. */
export async function deleteTenant(deps: AdminActionDeps, confirm: string) {
  const { tenant } = deps;
  // Deleting would end the operator's suspension (and free the slug): only the operator may.
  if (tenant.suspendedBy === "operator") throw suspendedByOperator();
  if (confirm !== tenant.slug) {
    throw new ApiError(400, "confirmation_mismatch", `Set confirm to "${tenant.slug}" to delete this organization`, {
      issues: [{ field: "confirm", message: `expected "${tenant.slug}"` }],
    });
  }
  return purgeResponseBody(
    await purgeTenant(
      {
        registry: deps.registry,
        kv: deps.env.OAUTH_KV,
        tenantCache: deps.tenantCache,
        agents: deps.env.USER_AGENT,
        audit: auditTrailOf(deps.env),
      },
      tenant,
    ),
  );
}
