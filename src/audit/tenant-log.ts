/**
 * One Durable Object per tenant (`TenantAuditLog`, named `audit:<tenantId>` by
 * `auditLogName`): the single writer of the tenant's audit trail. Cloudflare
 * Queues delivers every event at least once; this log makes the stored trail
 * hold each event exactly once.
 *
 * - `append(events)`: in one storage transaction, every event id not seen
 *   before is remembered in `seen`, queued in `pending` with the next sequence
 *   number, and counted in the per-day usage counters; a repeated id is only
 *   counted as a duplicate. An alarm flushes within 30 s, or at once past 500
 *   pending events. Once `append` returns, the events are durable here, so the
 *   consumer acknowledges their messages.
 * - `flush()`: first fixes a plan (`flushing`: one object per UTC hour of the
 *   pending rows, with the sequence range it holds), then for each planned
 *   object: the R2 put (deterministic: same rows, same key and bytes), the
 *   day's absolute usage totals upserted into D1, the hand-off to the SIEM
 *   stream, and only then the rows and the plan deleted in one transaction.
 *   A flush cut short anywhere is repeated from its plan, which rewrites the
 *   same objects: no event is lost or stored in two objects.
 * - `seen` is kept 15 days. Cloudflare Queues keeps an unacknowledged message
 *   4 days by default and at most 14 days when configured (Cloudflare
 *   changelog 2025-02-14, "Customize queue message retention periods":
 *   60 seconds to 14 days); with the defaults a message can wait 4 days in
 *   the queue and 4 more in the dead-letter queue, so no message is
 *   redelivered after its id is forgotten (README: keep the two together
 *   under 15 days). Usage counters are kept as long, and events of older
 *   days (which a redelivery cannot bring) are not counted.
 * - `purgeBefore(day)` (retention) and `wipe()` (offboarding). A log whose
 *   tenant is gone or being deleted wipes itself at its next flush instead of
 *   writing.
 *
 * @module
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { logError, logEvent } from "../lib/log";
import { AUDIT_LOG_WINDOW_DAYS, auditLogName, utcHourOf } from "../tenancy/audit-names";
import { tenantRegistry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";
import { writeUsageTotals, type ToolDayTotals, type UserDayTotals } from "../tenancy/usage-rows";
import type { AuditEvent } from "./event";
import { encodeTrailObject, type PendingRow } from "./trail-object";

const DAY_MS = 86_400_000;
const SEEN_DAYS = AUDIT_LOG_WINDOW_DAYS;
const FLUSH_DELAY_MS = 30_000;
const FLUSH_RETRY_MS = 60_000;
const FLUSH_AT_ONCE_PENDING = 500;
const PRUNE_EVERY_MS = 3_600_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, hour TEXT NOT NULL, time TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flushing (hour TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, PRIMARY KEY (hour, first_seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS usage_tools (day TEXT NOT NULL, tool TEXT NOT NULL, calls INTEGER NOT NULL, errors INTEGER NOT NULL,
  throttled INTEGER NOT NULL, latency_ms_total INTEGER NOT NULL, PRIMARY KEY (day, tool)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS usage_users (day TEXT NOT NULL, user_id TEXT NOT NULL, calls INTEGER NOT NULL, errors INTEGER NOT NULL,
  PRIMARY KEY (day, user_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export interface AppendResult {
  stored: number;
  duplicates: number;
  /** Events of another tenant: never stored here. */
  refused: number;
}

export interface FlushResult {
  objects: number;
  events: number;
}

/** A planned object: the pending rows of `hour` with sequence numbers in the range. (A type: SQL rows need an index signature.) */
type Plan = {
  hour: string;
  first_seq: number;
  last_seq: number;
};

/** `YYYY-MM-DD` of an epoch time. */
function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day whose usage counters this log still holds completely. */
function countedSince(now: number): string {
  return dayOf(now - SEEN_DAYS * DAY_MS);
}

/** The SIEM stream's queue, once the Worker has one: the stream's own module adds that binding. */
function streamQueueOf(env: Env): Queue | undefined {
  return (env as Partial<Record<"AUDIT_STREAM_QUEUE", Queue>>).AUDIT_STREAM_QUEUE;
}

export class TenantAuditLog extends DurableObject<Env> {
  #schemaReady = false;
  /** Flushes run one after another; `wipe` waits for the one under way. */
  #flushTail: Promise<unknown> = Promise.resolve();

  get #sql(): SqlStorage {
    if (!this.#schemaReady) {
      this.ctx.storage.sql.exec(SCHEMA);
      this.#schemaReady = true;
    }
    return this.ctx.storage.sql;
  }

  /** The tenant id this log belongs to, from its name (`audit:<tenantId>`). */
  get #tenantId(): string {
    const name = this.ctx.id.name ?? "";
    const tenantId = name.slice("audit:".length);
    if (!tenantId || auditLogName(tenantId) !== name) throw new Error("an audit log is reached by auditLogName only");
    return tenantId;
  }

  /** Stores the events not seen before; answers how many were new and how many repeated. */
  async append(events: readonly AuditEvent[]): Promise<AppendResult> {
    const tenantId = this.#tenantId;
    // The consumer picks the log by the event's own tenant id; anything else is a wiring mistake, refused and counted.
    const own = events.filter((event) => event.tenantId === tenantId);
    const sql = this.#sql;
    const now = Date.now();
    const since = countedSince(now);
    const result = this.ctx.storage.transactionSync(() => {
      let stored = 0;
      for (const event of own) {
        if (sql.exec("INSERT OR IGNORE INTO seen (id, at) VALUES (?, ?)", event.id, now).rowsWritten === 0) continue;
        sql.exec("INSERT INTO pending (hour, time, json) VALUES (?, ?, ?)", utcHourOf(event.time), event.time, JSON.stringify(event));
        this.#count(event, since);
        stored += 1;
      }
      return { stored, duplicates: own.length - stored, refused: events.length - own.length };
    });
    if (result.refused > 0) logEvent("audit_event_refused", { tenantId, refused: result.refused });
    await this.#scheduleFlush(now);
    return result;
  }

  /** Adds a tool call to its day's counters (inside append's transaction). */
  #count(event: AuditEvent, since: string): void {
    if (event.kind !== "tool_call") return;
    const day = event.time.slice(0, 10);
    if (day < since) return;
    const { outcome, latencyMs, tool } = event.detail;
    const error = outcome === "ok" ? 0 : 1;
    const throttled = outcome === "throttled" ? 1 : 0;
    this.#sql.exec(
      `INSERT INTO usage_tools (day, tool, calls, errors, throttled, latency_ms_total) VALUES (?, ?, 1, ?, ?, ?)
       ON CONFLICT (day, tool) DO UPDATE SET calls = calls + 1, errors = errors + excluded.errors,
         throttled = throttled + excluded.throttled, latency_ms_total = latency_ms_total + excluded.latency_ms_total`,
      day,
      tool,
      error,
      throttled,
      latencyMs,
    );
    if (!event.actor.userId) return;
    this.#sql.exec(
      `INSERT INTO usage_users (day, user_id, calls, errors) VALUES (?, ?, 1, ?)
       ON CONFLICT (day, user_id) DO UPDATE SET calls = calls + 1, errors = errors + excluded.errors`,
      day,
      event.actor.userId,
      error,
    );
  }

  async #scheduleFlush(now: number): Promise<void> {
    // No schema in this instance after a wipe: nothing is pending, and nothing should be created again.
    if (!this.#schemaReady) return;
    const pending = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM pending").one().n;
    if (pending === 0) return;
    const wanted = pending >= FLUSH_AT_ONCE_PENDING ? now : now + FLUSH_DELAY_MS;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > wanted) await this.ctx.storage.setAlarm(wanted);
  }

  override async alarm(): Promise<void> {
    try {
      await this.flush();
      this.#prune(Date.now());
    } catch (error) {
      // The events are safe here; try again in a minute for as long as R2 or D1 fail,
      // rather than relying on the platform's few alarm retries.
      logError("audit_flush_failed", error, { tenantId: this.#tenantId });
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_RETRY_MS);
      return;
    }
    await this.#scheduleFlush(Date.now());
  }

  /** Writes every pending event to R2 now (tests, and readers that want the latest events). */
  flush(): Promise<FlushResult> {
    const run = this.#flushTail.then(() => this.#flushOnce());
    this.#flushTail = run.catch(() => undefined);
    return run;
  }

  async #flushOnce(): Promise<FlushResult> {
    const tenantId = this.#tenantId;
    const tenant = await tenantRegistry(this.env.DB).findById(tenantId);
    if (!tenant || tenant.status === "deleting") {
      // Offboarded (or never onboarded): nothing may be written for it any more.
      await this.#wipeStorage();
      logEvent("audit_log_discarded", { tenantId });
      return { objects: 0, events: 0 };
    }
    const plans = this.#plan();
    let events = 0;
    for (const plan of plans) events += await this.#store(tenant, plan);
    return { objects: plans.length, events };
  }

  /** Fixes which objects the pending rows go to: every row not yet in a plan joins one, per hour. */
  #plan(): Plan[] {
    const sql = this.#sql;
    return this.ctx.storage.transactionSync(() => {
      sql.exec(
        `INSERT INTO flushing (hour, first_seq, last_seq)
         SELECT hour, MIN(seq), MAX(seq) FROM pending p
         WHERE NOT EXISTS (SELECT 1 FROM flushing f WHERE f.hour = p.hour AND p.seq BETWEEN f.first_seq AND f.last_seq)
         GROUP BY hour`,
      );
      return sql.exec<Plan>("SELECT hour, first_seq, last_seq FROM flushing ORDER BY first_seq").toArray();
    });
  }

  /** One planned object: R2, usage, stream hand-off, then the rows and the plan are forgotten. */
  async #store(tenant: Tenant, plan: Plan): Promise<number> {
    const rows = this.#sql
      .exec<PendingRow>(
        "SELECT seq, time, json FROM pending WHERE hour = ? AND seq BETWEEN ? AND ? ORDER BY seq",
        plan.hour,
        plan.first_seq,
        plan.last_seq,
      )
      .toArray();
    if (rows.length > 0) {
      const object = await encodeTrailObject(tenant.id, plan.hour, rows);
      await this.env.AUDIT_BUCKET.put(object.key, object.body, {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        customMetadata: object.metadata,
      });
      await this.#writeUsage(tenant.id, plan.hour.slice(0, 10));
      const streamQueue = streamQueueOf(this.env);
      // Sent before the rows are forgotten: a flush cut short repeats it with the same key, never skips it.
      if (tenant.audit.stream && streamQueue) await streamQueue.send({ tenantId: tenant.id, key: object.key }, { contentType: "json" });
    }
    const sql = this.#sql;
    this.ctx.storage.transactionSync(() => {
      sql.exec("DELETE FROM pending WHERE hour = ? AND seq BETWEEN ? AND ?", plan.hour, plan.first_seq, plan.last_seq);
      sql.exec("DELETE FROM flushing WHERE hour = ? AND first_seq = ?", plan.hour, plan.first_seq);
    });
    return rows.length;
  }

  /** The day's absolute totals into D1; a day older than the counters' window is left as D1 has it. */
  async #writeUsage(tenantId: string, day: string): Promise<void> {
    if (day < countedSince(Date.now())) return;
    const tools = this.#sql
      .exec<{ day: string; tool: string; calls: number; errors: number; throttled: number; latency_ms_total: number }>(
        "SELECT day, tool, calls, errors, throttled, latency_ms_total FROM usage_tools WHERE day = ?",
        day,
      )
      .toArray()
      .map((row): ToolDayTotals => ({ ...row, latencyMsTotal: row.latency_ms_total }));
    const users = this.#sql
      .exec<{ day: string; user_id: string; calls: number; errors: number }>(
        "SELECT day, user_id, calls, errors FROM usage_users WHERE day = ?",
        day,
      )
      .toArray()
      .map((row): UserDayTotals => ({ day: row.day, userId: row.user_id, calls: row.calls, errors: row.errors }));
    await writeUsageTotals(this.env.DB, tenantId, tools, users);
  }

  /** Forgets ids and counters older than the redelivery window, at most once an hour. */
  #prune(now: number): void {
    const sql = this.#sql;
    const last = sql.exec<{ value: number }>("SELECT value FROM meta WHERE name = 'pruned_at'").toArray()[0]?.value ?? 0;
    if (now - last < PRUNE_EVERY_MS) return;
    const since = countedSince(now);
    this.ctx.storage.transactionSync(() => {
      sql.exec("DELETE FROM seen WHERE at < ?", now - SEEN_DAYS * DAY_MS);
      sql.exec("DELETE FROM usage_tools WHERE day < ?", since);
      sql.exec("DELETE FROM usage_users WHERE day < ?", since);
      sql.exec("INSERT INTO meta (name, value) VALUES ('pruned_at', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", now);
    });
  }

  /**
   * Retention: drops what this log still holds of days before `day`
   * (`YYYY-MM-DD`): unflushed events and usage counters. Event ids stay
   * remembered, so a late redelivery of a purged event is still recognised.
   */
  async purgeBefore(day: string): Promise<void> {
    const sql = this.#sql;
    await this.#flushTail;
    this.ctx.storage.transactionSync(() => {
      sql.exec("DELETE FROM pending WHERE hour < ?", day);
      sql.exec("DELETE FROM flushing WHERE hour < ?", day);
      sql.exec("DELETE FROM usage_tools WHERE day < ?", day);
      sql.exec("DELETE FROM usage_users WHERE day < ?", day);
    });
  }

  /** Offboarding: after any flush under way, deletes everything this log stores, and its alarm. */
  async wipe(): Promise<void> {
    await this.#flushTail;
    await this.#wipeStorage();
  }

  async #wipeStorage(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#schemaReady = false;
  }

  /** How many events wait for a flush, and how many ids are remembered (tests, and the operator's health checks). */
  stats(): { pending: number; seen: number } {
    const sql = this.#sql;
    return {
      pending: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM pending").one().n,
      seen: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM seen").one().n,
    };
  }
}
