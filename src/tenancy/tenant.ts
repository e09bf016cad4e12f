import { cleanDisplayName } from "./names";
import type { TenantRow } from "./schema";
import type { SecretEnvelope } from "./secret-envelope";
import { parseStoredPolicy, type TenantPolicy } from "./policy";

/** @module The tenant as the gateway uses it, read from its registry row, and the view admins and operators get. */

/** A tenant as the rest of the gateway sees it: policy parsed, secret still sealed. */
export interface Tenant {
  id: string;
  slug: string;
  displayName: string;
  adminEmail: string;
  entraTenantId: string;
  clientId: string;
  secretHint: string;
  secretExpiresAt: Date | null;
  status: "active" | "suspended" | "deleting";
  suspendedBy: "operator" | "tenant-admin" | null;
  policy: TenantPolicy;
  adminKeyHash: string;
  /** Users with an Entra administrator role (`wids`) may enter the admin console too. */
  consoleAdminRoles: boolean;
  adminConsentAt: Date | null;
  /** The Microsoft cloud of the organization's Entra app. */
  cloud: "global" | "usgov-high" | "usgov-dod" | "china";
  /** How the gateway authenticates to the app: its client secret, or the active certificate (private_key_jwt). */
  credentialKind: "secret" | "certificate";
  /** The audit trail's settings: retention, and the SIEM stream (its key still sealed). */
  audit: {
    retentionDays: number;
    stream: { url: string; sealedSecret: { ciphertext: string; iv: string } | null; failingSince: Date | null } | null;
  };
  /** The webhook that receives the org's alerts as signed notices (its key still sealed); null: console and API only. */
  notices: { url: string; sealedSecret: { ciphertext: string; iv: string } | null; failingSince: Date | null } | null;
  /** Operator quotas on tool calls; null: no limit. */
  quotas: { userPerMinute: number | null; tenantPerDay: number | null };
  envelope: SecretEnvelope;
  createdAt: Date;
  updatedAt: Date;
}

export function tenantFromRow(row: TenantRow): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    // Rows written before signup cleaned names are shown cleaned too.
    displayName: cleanDisplayName(row.displayName),
    adminEmail: row.adminEmail,
    entraTenantId: row.entraTenantId,
    clientId: row.clientId,
    secretHint: row.secretHint,
    secretExpiresAt: row.secretExpiresAt,
    status: row.status,
    suspendedBy: row.suspendedBy,
    policy: parseStoredPolicy(row.policy),
    adminKeyHash: row.adminKeyHash,
    consoleAdminRoles: row.consoleAdminRoles,
    adminConsentAt: row.adminConsentAt,
    cloud: row.cloud,
    credentialKind: row.credentialKind,
    audit: {
      retentionDays: row.auditRetentionDays,
      stream: row.auditStreamUrl
        ? {
            url: row.auditStreamUrl,
            sealedSecret:
              row.auditStreamSecretCiphertext && row.auditStreamSecretIv
                ? { ciphertext: row.auditStreamSecretCiphertext, iv: row.auditStreamSecretIv }
                : null,
            failingSince: row.auditStreamFailingSince,
          }
        : null,
    },
    notices: row.noticeWebhookUrl
      ? {
          url: row.noticeWebhookUrl,
          sealedSecret:
            row.noticeWebhookSecretCiphertext && row.noticeWebhookSecretIv
              ? { ciphertext: row.noticeWebhookSecretCiphertext, iv: row.noticeWebhookSecretIv }
              : null,
          failingSince: row.noticeWebhookFailingSince,
        }
      : null,
    quotas: { userPerMinute: row.quotaUserPerMinute, tenantPerDay: row.quotaTenantPerDay },
    envelope: {
      ciphertext: row.secretCiphertext,
      iv: row.secretIv,
      wrappedDataKey: row.wrappedDataKey,
      dataKeyIv: row.dataKeyIv,
      kekId: row.kekId,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function envelopeColumns(envelope: SecretEnvelope) {
  return {
    secretCiphertext: envelope.ciphertext,
    secretIv: envelope.iv,
    wrappedDataKey: envelope.wrappedDataKey,
    dataKeyIv: envelope.dataKeyIv,
    kekId: envelope.kekId,
  };
}

/** What admins and operators may see: never the secret, its envelope or the key hash. */
export function publicTenantView(tenant: Tenant) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    displayName: tenant.displayName,
    adminEmail: tenant.adminEmail,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    cloud: tenant.cloud,
    credentialKind: tenant.credentialKind,
    // Null once the secret is deleted (or never set, for an organization that signed up with a certificate).
    clientSecret: tenant.secretHint
      ? {
          hint: `${tenant.secretHint}…`,
          expiresAt: tenant.secretExpiresAt?.toISOString() ?? null,
        }
      : null,
    status: tenant.status,
    suspendedBy: tenant.suspendedBy,
    policy: tenant.policy,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}
