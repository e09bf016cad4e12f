import { and, asc, count, countDistinct, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql, sum } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import {
  consoleAdmins,
  usageDaily,
  usageDailyUsers,
  signupBlocks,
  tenantAlerts,
  tenantCertificates,
  tenants,
  tenantUsers,
  type AlertKind,
  type BlockedField,
  type NewTenantRow,
} from "./schema";
import { tenantFromRow, type Tenant } from "./tenant";
import type { SecretEnvelope } from "./secret-envelope";
import type { TenantPolicy } from "./policy";
import type { TenantUser, UserPosition } from "./tenant-user";
import { certificateStore } from "./certificate-store";

/** @module All D1 access to the tenant registry goes through this module. */

export class SlugTakenError extends Error {
  override name = "SlugTakenError";
}

/** The Entra app (directory + client ID) is already registered by another tenant. */
export class EntraAppTakenError extends Error {
  override name = "EntraAppTakenError";
}

export type Registry = ReturnType<typeof buildRegistry>;

const USER_COLUMNS = {
  userId: tenantUsers.userId,
  upn: tenantUsers.upn,
  displayName: tenantUsers.displayName,
  firstSignInAt: tenantUsers.firstSignInAt,
  lastSignInAt: tenantUsers.lastSignInAt,
};

/**
 * Every request needs the registry, and building drizzle's query builders
 * was a measurable share of a cached request's CPU; the registry holds no
 * state of its own, so one per D1 binding serves the isolate's life.
 */
const registries = new WeakMap<D1Database, Registry>();

export function tenantRegistry(d1: D1Database): Registry {
  let registry = registries.get(d1);
  if (!registry) {
    registry = buildRegistry(d1);
    registries.set(d1, registry);
  }
  return registry;
}

function buildRegistry(d1: D1Database) {
  const db: DrizzleD1Database = drizzle(d1);

  /** Lifts every block on this value; answers, per block lifted, the tenant whose suspension made it (for its audit trail). */
  async function liftBlocksOf(field: BlockedField, value: string): Promise<string[]> {
    const rows = await db
      .delete(signupBlocks)
      .where(and(eq(signupBlocks.field, field), eq(signupBlocks.value, value)))
      .returning({ tenantId: signupBlocks.tenantId })
      .all();
    return rows.map((row) => row.tenantId);
  }

  async function findBy(column: typeof tenants.id | typeof tenants.slug, value: string) {
    const row = await db.select().from(tenants).where(eq(column, value)).get();
    return row ? tenantFromRow(row) : undefined;
  }

  async function touch(id: string, values: Partial<NewTenantRow>): Promise<Tenant | undefined> {
    const row = await db
      .update(tenants)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(tenants.id, id))
      .returning()
      .get();
    return row ? tenantFromRow(row) : undefined;
  }

  return {
    /** The tenants' certificates (certificate-store.ts): every query names the tenant. */
    certificates: certificateStore(d1),

    /**
     * The tenant and its first console admin, the signup's admin email, and
     * (signing up with a certificate) its active certificate, in one transaction.
     */
    async create(row: NewTenantRow, certificate?: typeof tenantCertificates.$inferInsert): Promise<Tenant> {
      try {
        const [inserted] = await db.batch([
          db.insert(tenants).values(row).returning(),
          db.insert(consoleAdmins).values({ tenantId: row.id, email: row.adminEmail.toLowerCase(), createdAt: new Date() }),
          ...(certificate ? [db.insert(tenantCertificates).values(certificate)] : []),
        ]);
        const created = inserted[0];
        if (!created) throw new Error("the tenant row was not written");
        return tenantFromRow(created);
      } catch (error) {
        // drizzle wraps D1's error; the constraint text is on the cause.
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
        const text = `${cause} ${error instanceof Error ? error.message : ""}`;
        if (text.includes("UNIQUE constraint failed: tenants.slug")) throw new SlugTakenError(row.slug);
        if (text.includes("UNIQUE constraint failed: tenants.entra_tenant_id, tenants.client_id"))
          throw new EntraAppTakenError(row.clientId);
        throw error;
      }
    },

    findBySlug: (slug: string) => findBy(tenants.slug, slug),
    findById: (id: string) => findBy(tenants.id, id),

    /**
     * A deletion in progress is final: only `deleting` itself may be written
     * over `deleting`, whatever another isolate's cached row says.
     */
    async setStatus(
      id: string,
      status: Tenant["status"],
      suspendedBy: "operator" | "tenant-admin" | null = null,
    ): Promise<Tenant | undefined> {
      const row = await db
        .update(tenants)
        .set({ status, suspendedBy: status === "suspended" ? suspendedBy : null, updatedAt: new Date() })
        .where(status === "deleting" ? eq(tenants.id, id) : and(eq(tenants.id, id), ne(tenants.status, "deleting")))
        .returning()
        .get();
      return row ? tenantFromRow(row) : undefined;
    },
    /**
     * The operator's suspension: the status, and blocks on the tenant's slug,
     * Entra tenant and client ID that outlive its rows, in one transaction.
     */
    async suspendByOperator(tenant: Tenant): Promise<Tenant | undefined> {
      const blocks = (["slug", "entraTenantId", "clientId"] as const).map((field) => ({
        field,
        value: tenant[field],
        tenantId: tenant.id,
      }));
      const [updated] = await db.batch([
        db
          .update(tenants)
          .set({ status: "suspended", suspendedBy: "operator", updatedAt: new Date() })
          .where(and(eq(tenants.id, tenant.id), ne(tenants.status, "deleting")))
          .returning(),
        db.insert(signupBlocks).values(blocks).onConflictDoNothing(),
      ]);
      return updated[0] ? tenantFromRow(updated[0]) : undefined;
    },
    /** The operator's resume: active again, and the blocks its suspension made are lifted. */
    async resumeByOperator(id: string): Promise<Tenant | undefined> {
      const [updated] = await db.batch([
        db
          .update(tenants)
          .set({ status: "active", suspendedBy: null, updatedAt: new Date() })
          .where(and(eq(tenants.id, id), ne(tenants.status, "deleting")))
          .returning(),
        db.delete(signupBlocks).where(eq(signupBlocks.tenantId, id)),
      ]);
      return updated[0] ? tenantFromRow(updated[0]) : undefined;
    },
    /** Which of these signup values the operator blocked. */
    async blockedFields(values: Partial<Record<BlockedField, string>>): Promise<BlockedField[]> {
      const given = Object.entries(values).filter((entry): entry is [BlockedField, string] => entry[1] !== undefined);
      const fields = given.map(([field]) => field);
      const rows = await db
        .selectDistinct({ field: signupBlocks.field })
        .from(signupBlocks)
        .where(or(...given.map(([field, value]) => and(eq(signupBlocks.field, field), eq(signupBlocks.value, value)))))
        .all();
      return fields.filter((field) => rows.some((row) => row.field === field));
    },
    /** Keyset pagination by id, oldest first. */
    listBlocks: (limit: number, afterId?: number) =>
      db
        .select()
        .from(signupBlocks)
        .where(afterId === undefined ? undefined : gt(signupBlocks.id, afterId))
        .orderBy(asc(signupBlocks.id))
        .limit(limit)
        .all(),
    /** Lifts every block on this value, whichever tenant's suspension made it; answers how many. */
    async liftBlocks(field: BlockedField, value: string): Promise<number> {
      return (await liftBlocksOf(field, value)).length;
    },
    liftBlocksOf,
    setPolicy: (id: string, policy: TenantPolicy) => touch(id, { policy: JSON.stringify(policy) }),
    setAdminKeyHash: (id: string, adminKeyHash: string) => touch(id, { adminKeyHash }),
    /**
     * A rotated secret, sealed under the tenant's existing data key: only the
     * secret's columns are written, never the wrapped data key, so a KEK
     * rotation re-wrapping that key at the same moment is not undone.
     */
    setSecret: (id: string, envelope: Pick<SecretEnvelope, "ciphertext" | "iv">, secretHint: string, secretExpiresAt: Date | null) =>
      touch(id, { secretCiphertext: envelope.ciphertext, secretIv: envelope.iv, secretHint, secretExpiresAt }),
    /**
     * Forgets the client secret, keeping the data key every other sealed
     * value needs: the NOT NULL secret columns become empty strings (a
     * column change would rebuild the table). Only while the tenant signs
     * with a certificate.
     */
    deleteSecret: (id: string) => touch(id, { secretCiphertext: "", secretIv: "", secretHint: "", secretExpiresAt: null }),
    setCredentialKind: (id: string, credentialKind: Tenant["credentialKind"]) => touch(id, { credentialKind }),
    /**
     * KEK rotation only: swaps the wrapped data key, never a sealed value, and
     * only if the row still holds the wrapping that was replaced, so two
     * rotations running at once cannot write an older wrapping back.
     */
    async setWrappedKey(id: string, previous: SecretEnvelope, next: SecretEnvelope): Promise<boolean> {
      const row = await db
        .update(tenants)
        .set({ wrappedDataKey: next.wrappedDataKey, dataKeyIv: next.dataKeyIv, kekId: next.kekId, updatedAt: new Date() })
        .where(and(eq(tenants.id, id), eq(tenants.wrappedDataKey, previous.wrappedDataKey)))
        .returning({ id: tenants.id })
        .get();
      return row !== undefined;
    },

    async listDeleting(limit: number): Promise<Tenant[]> {
      const rows = await db.select().from(tenants).where(eq(tenants.status, "deleting")).limit(limit).all();
      return rows.map(tenantFromRow);
    },

    /** Keyset pagination by id, so a listing stays stable while tenants sign up. */
    async list(limit: number, afterId?: string): Promise<Tenant[]> {
      const rows = await db
        .select()
        .from(tenants)
        .where(afterId ? gt(tenants.id, afterId) : undefined)
        .orderBy(asc(tenants.id))
        .limit(limit)
        .all();
      return rows.map(tenantFromRow);
    },

    /** Removes every D1 row that belongs to the tenant, in one transaction. */
    async deleteAll(id: string): Promise<void> {
      await db.batch([
        db.delete(tenantAlerts).where(eq(tenantAlerts.tenantId, id)),
        db.delete(tenantCertificates).where(eq(tenantCertificates.tenantId, id)),
        db.delete(tenantUsers).where(eq(tenantUsers.tenantId, id)),
        db.delete(consoleAdmins).where(eq(consoleAdmins.tenantId, id)),
        db.delete(usageDaily).where(eq(usageDaily.tenantId, id)),
        db.delete(usageDailyUsers).where(eq(usageDailyUsers.tenantId, id)),
        db.delete(tenants).where(eq(tenants.id, id)),
      ]);
    },

    /** A user completed a sign-in; their names are kept as of this sign-in, for the org's console admins. */
    async recordSignIn(tenantId: string, userId: string, names: { upn: string; name: string }): Promise<void> {
      const now = new Date();
      const shown = { upn: names.upn || null, displayName: names.name || null };
      await db
        .insert(tenantUsers)
        .values({ tenantId, userId, ...shown, firstSignInAt: now, lastSignInAt: now })
        .onConflictDoUpdate({ target: [tenantUsers.tenantId, tenantUsers.userId], set: { ...shown, lastSignInAt: now } });
    },

    async userIds(tenantId: string, limit: number): Promise<string[]> {
      const rows = await db
        .select({ userId: tenantUsers.userId })
        .from(tenantUsers)
        .where(eq(tenantUsers.tenantId, tenantId))
        .limit(limit)
        .all();
      return rows.map((row) => row.userId);
    },

    /**
     * A page of the tenant's users, the most recent sign-in first (then by
     * id, so a page boundary between equal times loses no one): those after
     * `after`, the last row of the previous page.
     */
    async listUsers(tenantId: string, limit: number, after?: UserPosition): Promise<TenantUser[]> {
      const older = after
        ? or(
            lt(tenantUsers.lastSignInAt, after.lastSignInAt),
            and(eq(tenantUsers.lastSignInAt, after.lastSignInAt), gt(tenantUsers.userId, after.userId)),
          )
        : undefined;
      return db
        .select(USER_COLUMNS)
        .from(tenantUsers)
        .where(and(eq(tenantUsers.tenantId, tenantId), older))
        .orderBy(desc(tenantUsers.lastSignInAt), asc(tenantUsers.userId))
        .limit(limit)
        .all();
    },

    /** One user of this tenant; undefined for a user of any other tenant. */
    async findUser(tenantId: string, userId: string): Promise<TenantUser | undefined> {
      return db
        .select(USER_COLUMNS)
        .from(tenantUsers)
        .where(and(eq(tenantUsers.tenantId, tenantId), eq(tenantUsers.userId, userId)))
        .get();
    },

    async forgetUsers(tenantId: string, userIds: readonly string[]): Promise<void> {
      if (userIds.length === 0) return;
      await db.delete(tenantUsers).where(and(eq(tenantUsers.tenantId, tenantId), inArray(tenantUsers.userId, [...userIds])));
    },

    /** A new SIEM endpoint (or a new secret for it): deliveries start afresh, so a past failure no longer stands. */
    setAuditStream: (id: string, url: string, sealedSecret: { ciphertext: string; iv: string }) =>
      touch(id, {
        auditStreamUrl: url,
        auditStreamSecretCiphertext: sealedSecret.ciphertext,
        auditStreamSecretIv: sealedSecret.iv,
        auditStreamFailingSince: null,
      }),

    clearAuditStream: (id: string) =>
      touch(id, { auditStreamUrl: null, auditStreamSecretCiphertext: null, auditStreamSecretIv: null, auditStreamFailingSince: null }),

    /** Deliveries keep failing: the first time it was noticed is kept. */
    async markAuditStreamFailing(id: string, since: Date): Promise<void> {
      await db
        .update(tenants)
        .set({ auditStreamFailingSince: since })
        .where(and(eq(tenants.id, id), isNotNull(tenants.auditStreamUrl), isNull(tenants.auditStreamFailingSince)))
        .run();
    },

    /** A delivery succeeded: written only when a failure was recorded, so a working stream costs no write. */
    async clearAuditStreamFailing(id: string): Promise<void> {
      await db
        .update(tenants)
        .set({ auditStreamFailingSince: null })
        .where(and(eq(tenants.id, id), isNotNull(tenants.auditStreamFailingSince)))
        .run();
    },

    /** The operator's quotas on tool calls; null lifts a limit. */
    setQuotas: (id: string, quotas: { userPerMinute: number | null; tenantPerDay: number | null }) =>
      touch(id, { quotaUserPerMinute: quotas.userPerMinute, quotaTenantPerDay: quotas.tenantPerDay }),

    /**
     * Records a problem for the tenant admin. One outage can fail every
     * user's refresh at once, so an alert of the same kind within the last
     * `quietMinutes` is not repeated. When the tenant has a notice webhook,
     * the alert is also queued as a notice due now (the minute cron delivers
     * it, src/audit/notices.ts). One statement: the quiet-period check, the
     * webhook check and the insert cannot be split by a concurrent raise.
     */
    async addAlert(tenantId: string, kind: AlertKind, detail: string, quietMinutes = 10): Promise<boolean> {
      const now = Date.now();
      const since = now - quietMinutes * 60_000;
      const result = await db.run(sql`
        INSERT INTO tenant_alerts (tenant_id, kind, detail, created_at, notice_state, notice_next_at)
        SELECT t.id, ${kind}, ${detail}, ${now},
          CASE WHEN t.notice_webhook_url IS NULL THEN NULL ELSE 'pending' END,
          CASE WHEN t.notice_webhook_url IS NULL THEN NULL ELSE ${now} END
        FROM tenants t
        WHERE t.id = ${tenantId}
          AND NOT EXISTS (
            SELECT 1 FROM tenant_alerts a WHERE a.tenant_id = ${tenantId} AND a.kind = ${kind} AND a.created_at > ${since}
          )`);
      return result.meta.changes > 0;
    },

    /** The newest alerts, with each one's notice state (null: raised while no webhook was set). */
    async alerts(tenantId: string, limit = 50) {
      return db
        .select({
          kind: tenantAlerts.kind,
          detail: tenantAlerts.detail,
          createdAt: tenantAlerts.createdAt,
          noticeState: tenantAlerts.noticeState,
        })
        .from(tenantAlerts)
        .where(eq(tenantAlerts.tenantId, tenantId))
        .orderBy(desc(tenantAlerts.createdAt))
        .limit(limit)
        .all();
    },

    /** A new notice webhook (or a new secret for it): deliveries start afresh, so a past failure no longer stands. */
    setNoticeWebhook: (id: string, url: string, sealedSecret: { ciphertext: string; iv: string }) =>
      touch(id, {
        noticeWebhookUrl: url,
        noticeWebhookSecretCiphertext: sealedSecret.ciphertext,
        noticeWebhookSecretIv: sealedSecret.iv,
        noticeWebhookFailingSince: null,
      }),

    /** No more notices: the settings go, and notices still waiting are no longer sent (they stay alerts). */
    async clearNoticeWebhook(id: string): Promise<void> {
      await db.batch([
        db
          .update(tenants)
          .set({
            noticeWebhookUrl: null,
            noticeWebhookSecretCiphertext: null,
            noticeWebhookSecretIv: null,
            noticeWebhookFailingSince: null,
            updatedAt: new Date(),
          })
          .where(eq(tenants.id, id)),
        db
          .update(tenantAlerts)
          .set({ noticeState: null, noticeNextAt: null })
          .where(and(eq(tenantAlerts.tenantId, id), eq(tenantAlerts.noticeState, "pending"))),
      ]);
    },

    /** A notice was given up: the first time it was noticed is kept. */
    async markNoticeWebhookFailing(id: string, since: Date): Promise<void> {
      await db
        .update(tenants)
        .set({ noticeWebhookFailingSince: since })
        .where(and(eq(tenants.id, id), isNotNull(tenants.noticeWebhookUrl), isNull(tenants.noticeWebhookFailingSince)))
        .run();
    },

    /** A notice was delivered: written only when a failure was recorded, so a working webhook costs no write. */
    async clearNoticeWebhookFailing(id: string): Promise<void> {
      await db
        .update(tenants)
        .set({ noticeWebhookFailingSince: null })
        .where(and(eq(tenants.id, id), isNotNull(tenants.noticeWebhookFailingSince)))
        .run();
    },

    /**
     * Takes up to `limit` notices due at `now`, oldest first, for one
     * delivery attempt each: they are not due again before `leaseUntil`, so
     * a run that overlaps this one does not send them too (and a run that
     * dies leaves them to be retried then).
     */
    async claimDueNotices(now: Date, leaseUntil: Date, limit: number) {
      const due = db
        .select({ id: tenantAlerts.id })
        .from(tenantAlerts)
        .where(and(eq(tenantAlerts.noticeState, "pending"), lte(tenantAlerts.noticeNextAt, now)))
        .orderBy(asc(tenantAlerts.createdAt), asc(tenantAlerts.id))
        .limit(limit);
      const rows = await db
        .update(tenantAlerts)
        .set({ noticeNextAt: leaseUntil })
        .where(and(inArray(tenantAlerts.id, due), eq(tenantAlerts.noticeState, "pending"), lte(tenantAlerts.noticeNextAt, now)))
        .returning({
          id: tenantAlerts.id,
          tenantId: tenantAlerts.tenantId,
          kind: tenantAlerts.kind,
          detail: tenantAlerts.detail,
          createdAt: tenantAlerts.createdAt,
          attempts: tenantAlerts.noticeAttempts,
        })
        .all();
      return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
    },

    /**
     * Where a claimed notice goes next: delivered; due again at `nextAt`
     * after `attempts` failed attempts; given up (`failed`); or not sent
     * (null: the webhook is gone). Only a pending notice of this tenant moves.
     */
    async settleNotice(
      tenantId: string,
      alertId: number,
      next: { state: "delivered" | "failed" | null; attempts?: number } | { state: "pending"; nextAt: Date; attempts: number },
    ): Promise<void> {
      await db
        .update(tenantAlerts)
        .set({
          noticeState: next.state,
          noticeNextAt: next.state === "pending" ? next.nextAt : null,
          ...(next.attempts === undefined ? {} : { noticeAttempts: next.attempts }),
        })
        .where(and(eq(tenantAlerts.id, alertId), eq(tenantAlerts.tenantId, tenantId), eq(tenantAlerts.noticeState, "pending")))
        .run();
    },

    /** The org's console admins, oldest first (the signup's admin email leads). */
    consoleAdmins: (tenantId: string) =>
      db.select().from(consoleAdmins).where(eq(consoleAdmins.tenantId, tenantId)).orderBy(asc(consoleAdmins.createdAt)).all(),

    /** The console admin entry bound to this account, if any: read on every console request. */
    consoleAdminByUserId: (tenantId: string, userId: string) =>
      db
        .select()
        .from(consoleAdmins)
        .where(and(eq(consoleAdmins.tenantId, tenantId), eq(consoleAdmins.userId, userId)))
        .get(),

    /**
     * A console sign-in by `<tid>.<oid>` with this sign-in name: admitted when
     * an entry is bound to that account, or when an entry with that name is not
     * bound yet, which then binds it. Microsoft says `preferred_username` is
     * mutable and not for authorization, so a name is trusted only once: a
     * later account given the same name does not inherit the entry.
     */
    async admitConsoleAdmin(tenantId: string, userId: string, signInName: string) {
      const now = new Date();
      const bound = await db
        .update(consoleAdmins)
        .set({ lastSignInAt: now })
        .where(and(eq(consoleAdmins.tenantId, tenantId), eq(consoleAdmins.userId, userId)))
        .returning()
        .get();
      if (bound) return bound;
      if (!signInName) return undefined;
      return db
        .update(consoleAdmins)
        .set({ userId, lastSignInAt: now })
        .where(and(eq(consoleAdmins.tenantId, tenantId), eq(consoleAdmins.email, signInName.toLowerCase()), isNull(consoleAdmins.userId)))
        .returning()
        .get();
    },

    /** Adds a console admin by sign-in name; false when the name is already listed. */
    async addConsoleAdmin(tenantId: string, email: string, addedBy: string): Promise<boolean> {
      const rows = await db
        .insert(consoleAdmins)
        .values({ tenantId, email: email.toLowerCase(), addedBy, createdAt: new Date() })
        .onConflictDoNothing()
        .returning({ email: consoleAdmins.email })
        .all();
      return rows.length > 0;
    },

    /** Removes a console admin, never the last one. */
    async removeConsoleAdmin(tenantId: string, email: string): Promise<"removed" | "last" | "missing"> {
      const listed = await db.select({ email: consoleAdmins.email }).from(consoleAdmins).where(eq(consoleAdmins.tenantId, tenantId)).all();
      if (!listed.some((row) => row.email === email.toLowerCase())) return "missing";
      if (listed.length <= 1) return "last";
      await db.delete(consoleAdmins).where(and(eq(consoleAdmins.tenantId, tenantId), eq(consoleAdmins.email, email.toLowerCase())));
      return "removed";
    },

    /** The current secret's expiry as Entra shows it, when signup or rotation did not record one. */
    setSecretExpiry: (id: string, secretExpiresAt: Date) => touch(id, { secretExpiresAt }),
    setConsoleAdminRoles: (id: string, admitted: boolean) => touch(id, { consoleAdminRoles: admitted }),
    setAdminConsentAt: (id: string, at: Date) => touch(id, { adminConsentAt: at }),

    /** How many users completed a sign-in, and whether any console admin did: each proves the redirect URI works. */
    async signInCounts(tenantId: string): Promise<{ users: number; consoleAdmins: number }> {
      const [users, admins] = await Promise.all([
        db.select({ n: count() }).from(tenantUsers).where(eq(tenantUsers.tenantId, tenantId)).get(),
        db
          .select({ n: count() })
          .from(consoleAdmins)
          .where(and(eq(consoleAdmins.tenantId, tenantId), isNotNull(consoleAdmins.lastSignInAt)))
          .get(),
      ]);
      return { users: users?.n ?? 0, consoleAdmins: admins?.n ?? 0 };
    },

    /** How long the org's audit trail is kept, in days (1–365; the schema's callers check the range). */
    setAuditRetention: (id: string, days: number) => touch(id, { auditRetentionDays: days }),

    /** The org's usage rows per UTC day and tool, `from`..`to` inclusive (`YYYY-MM-DD`), oldest first. */
    usageByDay: (tenantId: string, from: string, to: string) =>
      db
        .select({
          day: usageDaily.day,
          tool: usageDaily.tool,
          calls: usageDaily.calls,
          errors: usageDaily.errors,
          throttled: usageDaily.throttled,
          latencyMsTotal: usageDaily.latencyMsTotal,
        })
        .from(usageDaily)
        .where(and(eq(usageDaily.tenantId, tenantId), gte(usageDaily.day, from), lte(usageDaily.day, to)))
        .orderBy(asc(usageDaily.day), asc(usageDaily.tool))
        .all(),

    /** Users who made at least one tool call, per UTC day, `from`..`to` inclusive. */
    activeUsersByDay: (tenantId: string, from: string, to: string) =>
      db
        .select({ day: usageDailyUsers.day, users: count() })
        .from(usageDailyUsers)
        .where(
          and(
            eq(usageDailyUsers.tenantId, tenantId),
            gte(usageDailyUsers.day, from),
            lte(usageDailyUsers.day, to),
            gt(usageDailyUsers.calls, 0),
          ),
        )
        .groupBy(usageDailyUsers.day)
        .orderBy(asc(usageDailyUsers.day))
        .all(),

    /** One user's calls and errors per UTC day, `from`..`to` inclusive. */
    userUsageByDay: (tenantId: string, userId: string, from: string, to: string) =>
      db
        .select({ day: usageDailyUsers.day, calls: usageDailyUsers.calls, errors: usageDailyUsers.errors })
        .from(usageDailyUsers)
        .where(
          and(
            eq(usageDailyUsers.tenantId, tenantId),
            eq(usageDailyUsers.userId, userId),
            gte(usageDailyUsers.day, from),
            lte(usageDailyUsers.day, to),
          ),
        )
        .orderBy(asc(usageDailyUsers.day))
        .all(),

    /** The org's users with the most calls over `from`..`to` (inclusive UTC days), with their sign-in names when known. */
    usersByCalls: (tenantId: string, from: string, to: string, limit: number) =>
      db
        .select({
          userId: usageDailyUsers.userId,
          upn: tenantUsers.upn,
          calls: sum(usageDailyUsers.calls).mapWith(Number),
          errors: sum(usageDailyUsers.errors).mapWith(Number),
        })
        .from(usageDailyUsers)
        .leftJoin(tenantUsers, and(eq(tenantUsers.tenantId, usageDailyUsers.tenantId), eq(tenantUsers.userId, usageDailyUsers.userId)))
        .where(and(eq(usageDailyUsers.tenantId, tenantId), gte(usageDailyUsers.day, from), lte(usageDailyUsers.day, to)))
        .groupBy(usageDailyUsers.userId)
        .orderBy(desc(sum(usageDailyUsers.calls)), asc(usageDailyUsers.userId))
        .limit(limit)
        .all(),

    /** The tools the org's users called on or after `since` (`YYYY-MM-DD`), by name. */
    async usedTools(tenantId: string, since: string): Promise<string[]> {
      const rows = await db
        .selectDistinct({ tool: usageDaily.tool })
        .from(usageDaily)
        .where(and(eq(usageDaily.tenantId, tenantId), gte(usageDaily.day, since)))
        .orderBy(asc(usageDaily.tool))
        .all();
      return rows.map((row) => row.tool);
    },

    /**
     * Usage summed per organization over `from`..`to` (inclusive UTC days), for
     * the operator's billing: organizations with any usage, by tenant id after
     * `afterId` (keyset paging), with their distinct active users.
     */
    async usageByTenant(from: string, to: string, limit: number, afterId?: string) {
      const totals = await db
        .select({
          tenantId: usageDaily.tenantId,
          slug: tenants.slug,
          displayName: tenants.displayName,
          calls: sum(usageDaily.calls).mapWith(Number),
          errors: sum(usageDaily.errors).mapWith(Number),
          throttled: sum(usageDaily.throttled).mapWith(Number),
        })
        .from(usageDaily)
        .innerJoin(tenants, eq(tenants.id, usageDaily.tenantId))
        .where(and(gte(usageDaily.day, from), lte(usageDaily.day, to), afterId ? gt(usageDaily.tenantId, afterId) : undefined))
        .groupBy(usageDaily.tenantId)
        .orderBy(asc(usageDaily.tenantId))
        .limit(limit)
        .all();
      if (totals.length === 0) return [];
      const active = await db
        .select({ tenantId: usageDailyUsers.tenantId, users: countDistinct(usageDailyUsers.userId) })
        .from(usageDailyUsers)
        .where(
          and(
            inArray(
              usageDailyUsers.tenantId,
              totals.map((row) => row.tenantId),
            ),
            gte(usageDailyUsers.day, from),
            lte(usageDailyUsers.day, to),
            gt(usageDailyUsers.calls, 0),
          ),
        )
        .groupBy(usageDailyUsers.tenantId)
        .all();
      const users = new Map(active.map((row) => [row.tenantId, row.users]));
      return totals.map((row) => ({ ...row, activeUsers: users.get(row.tenantId) ?? 0 }));
    },
  };
}
