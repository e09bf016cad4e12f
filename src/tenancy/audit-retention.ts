import { logEvent } from "../lib/log";
import { AUDIT_LOG_WINDOW_DAYS, auditDayPrefix, auditLogName, auditTenantPrefix } from "./audit-names";
import type { Tenant } from "./tenant";
import { deleteUsageBefore } from "./usage-rows";

/**
 * @module Deleting audit trails: a tenant's days past its retention (the
 * cron), and its whole trail (offboarding). The audit layer sits above this
 * one, so what is needed of it comes in as `AuditTrailStore`: the R2 bucket
 * and the namespace of tenant logs, each reached by name.
 *
 * Work is bounded by a budget of calls (R2 lists and deletes, D1 and Durable
 * Object calls), and everything here is idempotent: a run cut short by the
 * budget or a failure is simply repeated, and continues where it stopped.
 */

const DAY_MS = 86_400_000;
/** R2 deletes up to 1,000 keys per call, and lists up to 1,000 per page. */
const R2_PAGE = 1000;

/** What retention and offboarding need of a tenant's audit log (`TenantAuditLog`). */
export interface AuditLogs {
  getByName(name: string): { wipe(): Promise<void>; purgeBefore(day: string): Promise<void> };
}

export interface AuditTrailStore {
  bucket: R2Bucket;
  logs: AuditLogs;
}

/** The store from the Worker's bindings. */
export function auditTrailOf(env: { AUDIT_BUCKET: R2Bucket; AUDIT_LOG: AuditLogs }): AuditTrailStore {
  return { bucket: env.AUDIT_BUCKET, logs: env.AUDIT_LOG };
}

export interface BoundedWork {
  calls: number;
  complete: boolean;
}

/** Deletes every object under `prefix`, a page at a time, within `budget` calls. */
export async function deleteAuditPrefix(bucket: R2Bucket, prefix: string, budget: number): Promise<BoundedWork & { deleted: number }> {
  let calls = 0;
  let deleted = 0;
  while (calls + 2 <= budget) {
    // Deleted keys leave the listing, so each page starts again from the prefix.
    const page = await bucket.list({ prefix, limit: R2_PAGE });
    calls += 1;
    if (page.objects.length === 0) return { calls, deleted, complete: true };
    await bucket.delete(page.objects.map((object) => object.key));
    calls += 1;
    deleted += page.objects.length;
    if (!page.truncated) return { calls, deleted, complete: true };
  }
  return { calls, deleted, complete: false };
}

/** Offboarding: wipes the tenant's log (waiting for a flush under way), then deletes its whole prefix. */
export async function purgeAuditTrail(
  store: AuditTrailStore,
  tenantId: string,
  budget: number,
): Promise<BoundedWork & { deleted: number }> {
  await store.logs.getByName(auditLogName(tenantId)).wipe();
  const objects = await deleteAuditPrefix(store.bucket, auditTenantPrefix(tenantId), budget - 1);
  return { ...objects, calls: objects.calls + 1 };
}

/** The first UTC day (`YYYY-MM-DD`) a tenant keeping `retentionDays` still keeps. */
export function retentionCutoffDay(retentionDays: number, now = Date.now()): string {
  return new Date(now - retentionDays * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Retention of one tenant: its objects of days before the cutoff (found by
 * listing the day prefixes, so only days that exist are visited), its usage
 * rows of those days, and, for a retention shorter than its log's own window,
 * what the log still holds of them.
 */
export async function applyAuditRetention(
  store: AuditTrailStore & { db: D1Database },
  tenant: Pick<Tenant, "id" | "audit">,
  budget: number,
  now = Date.now(),
): Promise<BoundedWork & { deleted: number }> {
  const cutoff = retentionCutoffDay(tenant.audit.retentionDays, now);
  const days = await store.bucket.list({ prefix: auditTenantPrefix(tenant.id), delimiter: "/", limit: R2_PAGE });
  let calls = 1;
  let deleted = 0;
  const prefixes = days.delimitedPrefixes.filter((prefix) => prefix < auditDayPrefix(tenant.id, cutoff));
  for (const prefix of prefixes) {
    const result = await deleteAuditPrefix(store.bucket, prefix, budget - calls - 2);
    calls += result.calls;
    deleted += result.deleted;
    if (!result.complete) return { calls, deleted, complete: false };
  }
  await deleteUsageBefore(store.db, tenant.id, cutoff);
  calls += 1;
  if (tenant.audit.retentionDays < AUDIT_LOG_WINDOW_DAYS) {
    await store.logs.getByName(auditLogName(tenant.id)).purgeBefore(cutoff);
    calls += 1;
  }
  if (deleted > 0) logEvent("audit_retention_purged", { tenantId: tenant.id, objects: deleted, before: cutoff });
  // More old days than one listing shows: the next visit continues.
  return { calls, deleted, complete: !days.truncated || prefixes.length < days.delimitedPrefixes.length };
}
