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
import { certificateRefusal, certificateView, checkCertificate, newTenantCertificate } from "./certificate-credentials";
import { checkClientCredentials } from "../entra/token";
import { entraAppWith } from "../oauth/tenant-secret";
import type { CertificateValidity } from "../tenancy/certificates";
import { cloudEndpoints } from "../tenancy/clouds";
import { holdsSecret, openSecret } from "../tenancy/secret-envelope";
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

/** A certificate id of this tenant, or 404 as for one that never existed (another tenant's id included). */
async function certificateOf(deps: AdminActionDeps, id: string) {
  const row = await deps.registry.certificates.find(deps.tenant.id, id);
  if (!row) throw new ApiError(404, "certificate_not_found", "No certificate of this organization has this id");
  return row;
}

/**
 * A new certificate for the app, `pending` until it is uploaded, verified
 * and promoted; it replaces a pending one never promoted. The active
 * certificate (or the secret) keeps signing meanwhile.
 */
export async function generateTenantCertificate(deps: AdminActionDeps, input: { months: CertificateValidity; host: string }) {
  const stored = await newTenantCertificate(deps.config, deps.tenant, input.host, input.months);
  const row = await deps.registry.certificates.addPending(deps.tenant.id, stored);
  logEvent("tenant_certificate_generated", { tenantId: deps.tenant.id, certificateId: row.id });
  audited(deps, {
    action: "certificate.generate",
    outcome: "ok",
    after: { certificateId: row.id, thumbprint: row.thumbprint, months: input.months },
  });
  return row;
}

/** A certificate of this tenant, for its download (public part only). */
export function tenantCertificate(deps: AdminActionDeps, id: string) {
  return certificateOf(deps, id);
}

/**
 * Proves the certificate with an app-only token request signed with it;
 * success records `verified_at`. A refusal says what to do (700027: upload
 * it to the app first).
 */
export async function verifyTenantCertificate(deps: AdminActionDeps, id: string) {
  return refusedAudited(deps, "certificate.verify", async () => {
    const row = await certificateOf(deps, id);
    const check = await checkCertificate(deps.config, deps.tenant, row);
    if (!check.ok) throw certificateRefusal(check);
    const at = new Date();
    await deps.registry.certificates.markVerified(deps.tenant.id, id, at);
    audited(deps, { action: "certificate.verify", outcome: "ok", after: { certificateId: id, thumbprint: row.thumbprint } });
    return { ...row, verifiedAt: at };
  });
}

/**
 * The pending certificate becomes the one that signs every token request,
 * only after Entra accepts it right now; the previous active certificate is
 * deleted here (the admin removes it from the app in Entra afterwards).
 */
export async function promoteTenantCertificate(deps: AdminActionDeps, id: string) {
  return refusedAudited(deps, "certificate.promote", async () => {
    const row = await certificateOf(deps, id);
    const backToActive = row.status === "active" && deps.tenant.credentialKind === "secret";
    if (row.status !== "pending" && !backToActive) {
      throw new ApiError(409, "certificate_not_pending", "This certificate is already the active one", {
        issues: [{ field: "id", message: "expected a pending certificate" }],
      });
    }
    const previous = backToActive ? undefined : await deps.registry.certificates.active(deps.tenant.id);
    const check = await checkCertificate(deps.config, deps.tenant, row);
    if (!check.ok) throw certificateRefusal(check);
    await deps.registry.certificates.markVerified(deps.tenant.id, id, new Date());
    // Back from the secret to the certificate that is still the active one: only the credential in use changes.
    if (backToActive) await deps.registry.setCredentialKind(deps.tenant.id, "certificate");
    else if (!(await deps.registry.certificates.promote(deps.tenant.id, id))) {
      throw new ApiError(
        409,
        "certificate_not_pending",
        "This certificate was replaced or promoted meanwhile; list the certificates again",
      );
    }
    deps.tenantCache.invalidate(deps.tenant.slug);
    logEvent("tenant_certificate_promoted", { tenantId: deps.tenant.id, certificateId: id });
    audited(deps, {
      action: "certificate.promote",
      outcome: "ok",
      before: { credentialKind: deps.tenant.credentialKind, activeThumbprint: previous?.thumbprint ?? null },
      after: { credentialKind: "certificate", activeThumbprint: row.thumbprint },
    });
    return { promoted: row, previous };
  });
}

/** Forgets the client secret: only while the tenant signs with a certificate Entra has accepted. */
export async function deleteClientSecret(deps: AdminActionDeps) {
  return refusedAudited(deps, "client_secret.delete", async () => {
    const { tenant } = deps;
    if (tenant.credentialKind !== "certificate") {
      throw new ApiError(409, "secret_in_use", "The gateway still signs in with the client secret; promote a verified certificate first");
    }
    const active = await deps.registry.certificates.active(tenant.id);
    if (!active?.verifiedAt) {
      throw new ApiError(
        409,
        "certificate_unverified",
        "Verify the active certificate first, so the gateway is not left without a working credential",
      );
    }
    if (!holdsSecret(tenant.envelope))
      throw new ApiError(404, "secret_not_found", "The gateway holds no client secret for this organization");
    await deps.registry.deleteSecret(tenant.id);
    deps.tenantCache.invalidate(tenant.slug);
    logEvent("tenant_secret_deleted", { tenantId: tenant.id });
    audited(deps, { action: "client_secret.delete", outcome: "ok", before: { clientSecret: SECRET_SET }, after: { clientSecret: null } });
  });
}

/** Back to the client secret, while the gateway still holds one that Entra accepts right now. */
export async function useClientSecret(deps: AdminActionDeps) {
  return refusedAudited(deps, "credential.use_secret", async () => {
    const { tenant } = deps;
    if (!holdsSecret(tenant.envelope)) {
      throw new ApiError(409, "secret_not_found", "The gateway holds no client secret; set one with PUT /api/admin/client-secret first");
    }
    const secretApp = entraAppWith(tenant, deps.config, { kind: "secret", secret: await openTenantSecretOf(deps) });
    const check = await checkClientCredentials(secretApp, cloudEndpoints(deps.config, tenant.cloud).graphResource);
    if (!check.ok) {
      if (check.kind === "unreachable")
        throw new ApiError(502, "entra_unreachable", `Could not check the secret with Entra ID (${check.reason})`);
      const code = check.aadsts ? ` (${check.aadsts})` : "";
      throw new ApiError(422, "entra_credentials_rejected", `Entra ID refused the client secret${code}: ${check.reason}`);
    }
    await deps.registry.setCredentialKind(tenant.id, "secret");
    deps.tenantCache.invalidate(tenant.slug);
    logEvent("tenant_credential_kind_changed", { tenantId: tenant.id, credentialKind: "secret" });
    audited(deps, {
      action: "credential.use_secret",
      outcome: "ok",
      before: { credentialKind: tenant.credentialKind },
      after: { credentialKind: "secret" },
    });
  });
}

function openTenantSecretOf(deps: AdminActionDeps): Promise<string> {
  return openSecret(
    deps.tenant.envelope,
    { tenantId: deps.tenant.id, clientId: deps.tenant.clientId },
    { keks: deps.config.keks, activeKekId: deps.config.ACTIVE_KEK_ID },
  );
}

/** What the admin sees of the tenant's credentials: the kind, the secret's hint and expiry, the certificates (never a key). */
export async function credentialsOverview(deps: AdminActionDeps) {
  const { tenant } = deps;
  const certificates = await deps.registry.certificates.list(tenant.id);
  return {
    credentialKind: tenant.credentialKind,
    clientSecret: holdsSecret(tenant.envelope)
      ? { hint: `${tenant.secretHint}…`, expiresAt: tenant.secretExpiresAt?.toISOString() ?? null }
      : null,
    certificates: certificates.map(certificateView),
  };
}
