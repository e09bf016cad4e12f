/**
 * @module Names of a tenant's audit trail, made here only: its log's Durable
 * Object (`audit:<tenantId>`) and its R2 keys. Every key of the trail starts
 * with `audit/v1/<tenantId>/`, so one prefix holds all of a tenant's objects
 * (for retention, offboarding and readers) and no listing of one tenant can
 * return another's: a tenant id never contains `/` (`tenantPrefixOf` refuses one).
 *
 * Object key: `audit/v1/<tenantId>/<YYYY-MM-DD>/<HH>/<firstSeq>-<lastSeq>.ndjson.gz`,
 * the UTC day and hour of every event inside, and the first and last sequence
 * numbers of the tenant's log it holds, zero-padded to 12 digits so keys sort
 * by hour and then by sequence.
 */

const SEQ_DIGITS = 12;

/**
 * Days a tenant's audit log remembers event ids (for de-duplication) and
 * keeps its usage counters: longer than a message can wait in the audit
 * queue and then its dead-letter queue with their default retention (4 days
 * each), and longer than either may keep one at most (14 days).
 */
export const AUDIT_LOG_WINDOW_DAYS = 15;

/** The name of the tenant's `TenantAuditLog`; every stub is `env.AUDIT_LOG.getByName(auditLogName(tenantId))`. */
export function auditLogName(tenantId: string): string {
  return `audit:${tenantId}`;
}

/** `audit/v1/<tenantId>/`: everything of the tenant's trail, and nothing of any other tenant. */
export function auditTenantPrefix(tenantId: string): string {
  if (tenantId.length === 0 || tenantId.includes("/")) throw new Error("a tenant id cannot be an audit prefix");
  return `audit/v1/${tenantId}/`;
}

/** `audit/v1/<tenantId>/<YYYY-MM-DD>/`: one UTC day of the tenant's trail. */
export function auditDayPrefix(tenantId: string, day: string): string {
  return `${auditTenantPrefix(tenantId)}${day}/`;
}

/** `YYYY-MM-DDTHH` of an ISO time: the UTC hour an event is stored under. */
export function utcHourOf(isoTime: string): string {
  return new Date(isoTime).toISOString().slice(0, 13);
}

/** The key of one stored object: the hour (`YYYY-MM-DDTHH`) of its events and the log sequence numbers it spans. */
export function auditObjectKey(tenantId: string, hour: string, firstSeq: number, lastSeq: number): string {
  const [day, hh] = hour.split("T");
  const pad = (seq: number) => String(seq).padStart(SEQ_DIGITS, "0");
  return `${auditDayPrefix(tenantId, day ?? "")}${hh ?? ""}/${pad(firstSeq)}-${pad(lastSeq)}.ndjson.gz`;
}

/** The UTC day (`YYYY-MM-DD`) a key under the tenant's prefix belongs to, or undefined for a key of another shape. */
export function dayOfAuditKey(tenantId: string, key: string): string | undefined {
  const prefix = auditTenantPrefix(tenantId);
  if (!key.startsWith(prefix)) return undefined;
  const day = key.slice(prefix.length, prefix.length + 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
}
