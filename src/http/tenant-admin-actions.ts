import type { AuditRecorder } from "../audit/record";
import { adminActionEvent, SECRET_SET, settingsChange, type ActionDetail, type EventParty } from "../audit/events";
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
 * ApiErrors naming the field; each caller shows them its own way. Each
 * action writes its `admin_action` audit event here, done or refused, with
 * what changed (secrets as "(set)"), so both ways in are audited alike.
 */

export interface AdminActionDeps {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  env: Env;
  /** The tenant as just read from D1, not from the isolate cache. */
  tenant: Tenant;
  /** Where the action's audit event goes, and who acted (console admin or admin key) from where. */
  audit?: { recorder: AuditRecorder; party: EventParty };
}

/** Writes the action's audit event. */
function audited(deps: AdminActionDeps, detail: ActionDetail): void {
  deps.audit?.recorder.record(adminActionEvent(deps.audit.party, detail));
}

/** Runs `action`; a refusal (an ApiError) is audited as refused and thrown on. */
async function refusedAudited<T>(deps: AdminActionDeps, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) audited(deps, { action, outcome: "refused" });
    throw error;
  }
}

/** Verifies the new secret with Entra, then seals and stores it; a refused secret changes nothing. */
export async function rotateClientSecret(deps: AdminActionDeps, input: { clientSecret: string; clientSecretExpiresAt?: Date }) {
  const { tenant } = deps;
  const sealed = await refusedAudited(deps, "client_secret.rotate", () =>
    verifyAndSealCredentials(deps.config, {
      tenantId: tenant.id,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      clientSecret: input.clientSecret,
      cloud: tenant.cloud,
      current: tenant.envelope,
    }),
  );
  const updated = await deps.registry.setSecret(tenant.id, sealed.envelope, sealed.secretHint, input.clientSecretExpiresAt ?? null);
  deps.tenantCache.invalidate(tenant.slug);
  logEvent("tenant_secret_rotated", { tenantId: tenant.id, verified: sealed.verified });
  const expiry = (date: Date | null | undefined) => date?.toISOString() ?? null;
  const change = settingsChange(
    { clientSecret: "old", clientSecretExpiresAt: expiry(tenant.secretExpiresAt) },
    { clientSecret: "new", clientSecretExpiresAt: expiry(input.clientSecretExpiresAt) },
    ["clientSecret"],
  );
  audited(deps, { action: "client_secret.rotate", outcome: "ok", ...change });
  return { updated, verified: sealed.verified };
}

/** Applies a policy change; takes effect for every user's next tools/list. */
export async function changePolicy(deps: AdminActionDeps, patch: TenantPolicyPatch): Promise<TenantPolicy> {
  const policy = applyPolicyPatch(deps.tenant.policy, patch);
  await deps.registry.setPolicy(deps.tenant.id, policy);
  deps.tenantCache.invalidate(deps.tenant.slug);
  logEvent("tenant_policy_changed", { tenantId: deps.tenant.id });
  audited(deps, { action: "policy.update", outcome: "ok", ...settingsChange({ ...deps.tenant.policy }, { ...policy }) });
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
  const action = status === "suspended" ? "tenant.suspend" : "tenant.resume";
  if (tenant.suspendedBy === "operator") {
    audited(deps, { action, outcome: "refused" });
    throw suspendedByOperator();
  }
  const updated = await deps.registry.setStatus(tenant.id, status, status === "suspended" ? "tenant-admin" : null);
  deps.tenantCache.invalidate(tenant.slug);
  if (!updated) throw new ApiError(404, "tenant_not_found", "This organization is being deleted");
  logEvent("tenant_status_changed", { tenantId: tenant.id, status, by: "tenant-admin" });
  audited(deps, { action, outcome: "ok", before: { status: tenant.status }, after: { status: updated.status } });
  return updated;
}

/** A new admin key; the previous one stops working at once. The key is returned once and never stored. */
export async function rotateAdminKey(deps: AdminActionDeps): Promise<string> {
  const adminKey = generateAdminKey();
  await deps.registry.setAdminKeyHash(deps.tenant.id, await hashAdminKey(adminKey));
  deps.tenantCache.invalidate(deps.tenant.slug);
  logEvent("tenant_admin_key_rotated", { tenantId: deps.tenant.id });
  audited(deps, { action: "admin_key.rotate", outcome: "ok", after: { adminKey: SECRET_SET } });
  return adminKey;
}

/**
 * Purges the organization once `confirm` is its slug; the operator's
 * suspension forbids it. Only a refusal is audited: a deletion purges the
 * organization's trail with everything else, and an event written after it
 * would leave a piece of the trail behind (the operators' log keeps it).
 */
export async function deleteTenant(deps: AdminActionDeps, confirm: string) {
  return refusedAudited(deps, "tenant.delete", () => purgeConfirmed(deps, confirm));
}

async function purgeConfirmed(deps: AdminActionDeps, confirm: string) {
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
