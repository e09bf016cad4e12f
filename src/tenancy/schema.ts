import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * @module The D1 tenant registry: the source of truth for every table. Migrations in
 * migrations/ are generated from this file by `npm run db:generate`.
 * STORAGE.md documents every table and KV key.
 */

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    displayName: text("display_name").notNull(),
    adminEmail: text("admin_email").notNull(),
    entraTenantId: text("entra_tenant_id").notNull(),
    clientId: text("client_id").notNull(),
    /** Client secret sealed with the tenant's data key (AES-GCM-256), base64. */
    secretCiphertext: text("secret_ciphertext").notNull(),
    secretIv: text("secret_iv").notNull(),
    /** The tenant's data key wrapped by a key-encryption key, base64. */
    wrappedDataKey: text("wrapped_data_key").notNull(),
    dataKeyIv: text("data_key_iv").notNull(),
    kekId: text("kek_id").notNull(),
    /** First characters of the secret, as the Entra portal shows them. */
    secretHint: text("secret_hint").notNull(),
    secretExpiresAt: integer("secret_expires_at", { mode: "timestamp_ms" }),
    /** `deleting`: offboarding has begun; the tenant is gone for everyone but the purge. */
    status: text("status", { enum: ["active", "suspended", "deleting"] })
      .notNull()
      .default("active"),
    /** Who suspended the tenant: an operator's suspension cannot be lifted by the tenant admin. */
    suspendedBy: text("suspended_by", { enum: ["operator", "tenant-admin"] }),
    /** JSON, see TenantPolicy in policy.ts. */
    policy: text("policy").notNull(),
    /** SHA-256 of the tenant admin key, hex. */
    adminKeyHash: text("admin_key_hash").notNull(),
    /**
     * Whether users whose id_token carries an Entra administrator role
     * (`wids`) may enter the admin console besides the listed console
     * admins. Off until a console admin turns it on.
     */
    consoleAdminRoles: integer("console_admin_roles", { mode: "boolean" }).notNull().default(false),
    /** When Entra last reported admin consent granted through the admin-consent link. */
    adminConsentAt: integer("admin_consent_at", { mode: "timestamp_ms" }),
    /**
     * The Microsoft cloud the organization's Entra app lives in: Global (also
     * GCC), US Government GCC High, US Government DoD, or China operated by
     * 21Vianet. Its sign-in and Graph endpoints come from the deployment's
     * configuration for that cloud.
     */
    cloud: text("cloud", { enum: ["global", "usgov-high", "usgov-dod", "china"] })
      .notNull()
      .default("global"),
    /** Days the audit trail is kept (1–365); older events are purged by the cron. */
    auditRetentionDays: integer("audit_retention_days").notNull().default(90),
    /** The org's SIEM endpoint (https) that receives the audit trail in signed batches; null: not streamed. */
    auditStreamUrl: text("audit_stream_url"),
    /** The stream's HMAC-SHA256 key, sealed with the tenant's data key like the client secret, base64. */
    auditStreamSecretCiphertext: text("audit_stream_secret_ciphertext"),
    auditStreamSecretIv: text("audit_stream_secret_iv"),
    /** Since when deliveries to the stream endpoint keep failing; null while it works. */
    auditStreamFailingSince: integer("audit_stream_failing_since", { mode: "timestamp_ms" }),
    /**
     * How the gateway authenticates to the org's Entra app at its token
     * endpoint: the client secret, or a signed client assertion
     * (private_key_jwt) with the tenant's active certificate in
     * `tenant_certificates`. With `certificate`, the secret may be deleted:
     * then `secret_ciphertext`, `secret_iv` and `secret_hint` are empty
     * strings (the columns stay NOT NULL so the table is never rebuilt, which
     * on D1 would cascade into every child table).
     */
    credentialKind: text("credential_kind", { enum: ["secret", "certificate"] })
      .notNull()
      .default("secret"),
    /** The org's HTTPS endpoint that receives its alerts as signed notices; null: console and API only. */
    noticeWebhookUrl: text("notice_webhook_url"),
    /** The notices' HMAC-SHA256 key, sealed with the tenant's data key, base64. */
    noticeWebhookSecretCiphertext: text("notice_webhook_secret_ciphertext"),
    noticeWebhookSecretIv: text("notice_webhook_secret_iv"),
    /** Since when deliveries to the notice webhook keep failing; null while it works. */
    noticeWebhookFailingSince: integer("notice_webhook_failing_since", { mode: "timestamp_ms" }),
    /** Operator quotas; null: no limit. Tool calls per user per minute, and per organization per UTC day. */
    quotaUserPerMinute: integer("quota_user_per_minute"),
    quotaTenantPerDay: integer("quota_tenant_per_day"),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  // One Entra app (directory + client ID) serves one organization: a second
  // signup with it would share its users' sign-ins and the org's consent.
  (table) => [uniqueIndex("tenants_entra_app_idx").on(table.entraTenantId, table.clientId)],
);

/**
 * The certificates the gateway generated for an org's Entra app
 * (private_key_jwt). At most one is `active` (signs every token request
 * while the tenant's `credential_kind` is `certificate`); a `pending` one
 * waits to be uploaded to the app and proven with an app-only token request
 * before it is promoted. The private key (PKCS#8) is sealed with the tenant's
 * data key and bound to the tenant and the certificate's id; the certificate
 * itself is public.
 */
export const tenantCertificates = sqliteTable(
  "tenant_certificates",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["pending", "active"] }).notNull(),
    /** SHA-1 thumbprint, upper-case hex, as the Entra portal lists it. */
    thumbprint: text("thumbprint").notNull(),
    /** base64url SHA-256 of the DER certificate: the assertion's `x5t#S256` header. */
    x5tS256: text("x5t_s256").notNull(),
    /** The DER certificate, base64. Public. */
    certificateDer: text("certificate_der").notNull(),
    privateKeyCiphertext: text("private_key_ciphertext").notNull(),
    privateKeyIv: text("private_key_iv").notNull(),
    notBefore: integer("not_before", { mode: "timestamp_ms" }).notNull(),
    notAfter: integer("not_after", { mode: "timestamp_ms" }).notNull(),
    /** When an app-only token request signed with this certificate last succeeded; null: not proven yet. */
    verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (table) => [index("tenant_certificates_tenant_idx").on(table.tenantId, table.status)],
);

/**
 * Problems a tenant admin must see: a client secret about to expire, users
 * who need an administrator's consent first, the org's app refused by Entra
 * ID, Entra ID unavailable, the audit stream's endpoint failing. Never holds tokens or message content.
 */
export const ALERT_KINDS = [
  "secret_expiring",
  "admin_consent_required",
  "entra_app_rejected",
  "entra_unavailable",
  // Deliveries of the audit trail to the org's SIEM endpoint failed through every retry (src/audit/stream.ts).
  "audit_stream_failing",
  // The active certificate (private_key_jwt) expires within 30 days (src/tenancy/maintenance.ts).
  "certificate_expiring",
] as const;

export const tenantAlerts = sqliteTable(
  "tenant_alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    detail: text("detail").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    /**
     * The alert as a signed notice to the org's webhook (an outbox: the
     * minute cron delivers what is due). Null: no webhook was set when the
     * alert was raised; `pending` until delivered or given up (`failed`).
     */
    noticeState: text("notice_state", { enum: ["pending", "delivered", "failed"] }),
    noticeAttempts: integer("notice_attempts").notNull().default(0),
    /** When the next delivery attempt is due (epoch ms). */
    noticeNextAt: integer("notice_next_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    index("tenant_alerts_tenant_idx").on(table.tenantId, table.createdAt),
    index("tenant_alerts_notice_idx").on(table.noticeState, table.noticeNextAt),
  ],
);

/**
 * Every user who completed a sign-in on a tenant, so offboarding can find and
 * wipe each user's agent even after their grant expired or was revoked.
 * Identifiers only: `<entra tid>.<oid>`, never names or tokens.
 */
export const tenantUsers = sqliteTable(
  "tenant_users",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /**
     * The user's sign-in name and display name from their last id_token,
     * shown to the org's console admins (their own directory's users).
     */
    upn: text("upn"),
    displayName: text("display_name"),
    firstSignInAt: integer("first_sign_in_at", { mode: "timestamp_ms" }).notNull(),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.userId] })],
);

/**
 * Who may sign in to the org's admin console: the signup's admin email
 * first, then whoever a console admin adds. Matched against the id_token's
 * `preferred_username` in the org's own directory on first sign-in, which
 * then binds the entry to that account's object ID: a later account given
 * the same name does not inherit it.
 */
export const consoleAdmins = sqliteTable(
  "tenant_console_admins",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Lower case. */
    email: text("email").notNull(),
    /** `<entra tid>.<oid>` of the account bound at its first console sign-in. */
    userId: text("user_id"),
    /** The console admin who added this one; null for the signup's admin email. */
    addedBy: text("added_by"),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.email] })],
);

/**
 * Usage per organization, UTC day and tool, for the org's usage page and the
 * operator's billing. Written by the audit trail's per-tenant log as
 * absolute totals (not increments), so writing the same totals twice is
 * harmless.
 */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** `YYYY-MM-DD`, UTC. */
    day: text("day").notNull(),
    tool: text("tool").notNull(),
    calls: integer("calls").notNull(),
    errors: integer("errors").notNull(),
    /** Calls Graph throttled (429/503 after retries). */
    throttled: integer("throttled").notNull(),
    latencyMsTotal: integer("latency_ms_total").notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.day, table.tool] }), index("usage_daily_day_idx").on(table.day)],
);

/** Usage per organization, UTC day and user: active users, and per user on request. Absolute totals, as above. */
export const usageDailyUsers = sqliteTable(
  "usage_daily_users",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    /** `<entra tid>.<oid>`. */
    userId: text("user_id").notNull(),
    calls: integer("calls").notNull(),
    errors: integer("errors").notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.day, table.userId] })],
);

/**
 * What signup refuses because the operator suspended an organization that
 * used it: its slug, its Entra tenant ID and its client ID. A block is made
 * by the operator's suspension, lifted by the operator's resume (or one by
 * one through the operator API), and deliberately outlives the tenant's
 * rows: an organization the operator suspended and then deleted cannot sign
 * up again with the same names. Identifiers only.
 */
export const signupBlocks = sqliteTable(
  "signup_blocks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The signup field the value is refused in. */
    field: text("field", { enum: ["slug", "entraTenantId", "clientId"] }).notNull(),
    /** Normalized as signup stores it (lower case). */
    value: text("value").notNull(),
    /** The tenant whose suspension made the block; no foreign key, as the block outlives it. */
    tenantId: text("tenant_id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (table) => [
    uniqueIndex("signup_blocks_value_idx").on(table.field, table.value, table.tenantId),
    index("signup_blocks_tenant_idx").on(table.tenantId),
  ],
);

export type TenantRow = typeof tenants.$inferSelect;
export type TenantCertificateRow = typeof tenantCertificates.$inferSelect;
export type NewTenantRow = typeof tenants.$inferInsert;
export type BlockedField = (typeof signupBlocks.$inferSelect)["field"];
export type AlertKind = (typeof ALERT_KINDS)[number];
