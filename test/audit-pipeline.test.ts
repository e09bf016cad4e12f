import { createExecutionContext, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { AUDIT_DEAD_LETTER_QUEUE_NAME, retryDelaySeconds } from "../src/audit/consumer";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { auditRecorder } from "../src/audit/record";
import type { TenantAuditLog } from "../src/audit/tenant-log";
import { encodeTrailObject } from "../src/audit/trail-object";
import { auditTenantPrefix, utcHourOf } from "../src/tenancy/audit-names";
import { readConfig } from "../src/config";
import { applyAuditRetention, auditTrailOf } from "../src/tenancy/audit-retention";
import { RETENTION_CURSOR_KEY, sweepAuditRetention } from "../src/tenancy/maintenance";
import { sharedTenantCache } from "../src/tenancy/tenant-cache";
import { tenantRegistry } from "../src/tenancy/registry";
import { auditLog, deliver, keysMentioning, storedTrail, toolCallEvent, USER_A, USER_B } from "./helpers/audit";
import { createTenant } from "./helpers/gateway";
import { operatorCall } from "./helpers/tenants";

const DAY_MS = 86_400_000;

/** Every stored event of the tenant, parsed with the published schema (which fails the test on any invalid line). */
async function storedEvents(tenantId: string): Promise<AuditEvent[]> {
  return (await storedTrail(tenantId)).flatMap((object) => object.events.map((line) => AuditEventSchema.parse(line)));
}

function ids(events: readonly { id: string }[]): string[] {
  return events.map((event) => event.id).sort();
}

async function usageRows(tenantId: string) {
  const tools = await env.DB.prepare(
    "SELECT day, tool, calls, errors, throttled, latency_ms_total FROM usage_daily WHERE tenant_id = ? ORDER BY day, tool",
  )
    .bind(tenantId)
    .all();
  const users = await env.DB.prepare("SELECT day, user_id, calls, errors FROM usage_daily_users WHERE tenant_id = ? ORDER BY day, user_id")
    .bind(tenantId)
    .all();
  return { tools: tools.results, users: users.results };
}

/** The AUDIT_LOG namespace as the consumer sees it, whose appends fail: before storing (`before`) or after (`after`, a lost reply). */
function failingLogs(times: number, when: "before" | "after") {
  let failures = 0;
  return {
    ...env,
    AUDIT_LOG: {
      getByName(name: string) {
        const stub = env.AUDIT_LOG.getByName(name);
        return {
          async append(events: AuditEvent[]) {
            if (failures >= times) return stub.append(events);
            failures += 1;
            if (when === "after") await stub.append(events);
            throw new Error("the tenant log is unavailable");
          },
        };
      },
    },
  } as unknown as typeof env;
}

describe("audit pipeline: recorder → queue → tenant log → R2", () => {
  it("stores delivered events in R2 at the contract key, one valid AuditEvent per line, with count and time metadata", async () => {
    const { tenant } = await createTenant();
    const events = [toolCallEvent(tenant.id), toolCallEvent(tenant.id, { tool: "send_mail" })];
    const result = await deliver(events);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await auditLog(tenant.id).flush()).toEqual({ objects: 1, events: 2 });
    const trail = await storedTrail(tenant.id);
    expect(trail).toHaveLength(1);
    const hour = utcHourOf(events[0]?.time ?? "");
    const keyShape = `^${auditTenantPrefix(tenant.id)}${hour.slice(0, 10)}/${hour.slice(11, 13)}/\\d{12}-\\d{12}\\.ndjson\\.gz$`;
    expect(trail[0]?.key).toMatch(new RegExp(keyShape));
    expect(trail[0]?.events.map((line) => AuditEventSchema.parse(line))).toEqual(events);
    expect(trail[0]?.metadata).toEqual({ count: "2", first: events[0]?.time, last: events[1]?.time });
  });

  it("records off the response path: the recorder's send reaches the consumer through the real local queue", async () => {
    const { tenant } = await createTenant();
    const ctx = createExecutionContext();
    const recorder = auditRecorder(env, ctx);
    recorder.record({
      kind: "admin_action",
      tenantId: tenant.id,
      actor: { type: "admin_key" },
      detail: { action: "policy.update", outcome: "ok", before: { tools: 1 }, after: { tools: 2 } },
    });
    // An invalid event is dropped with a log line, never thrown into the request.
    recorder.record({ kind: "tool_call", tenantId: "", actor: { type: "user" }, detail: { tool: "x", outcome: "ok", latencyMs: -1 } });
    await waitOnExecutionContext(ctx);
    let events: AuditEvent[] = [];
    // The local queue delivers its batch within max_batch_timeout; wait for it without asserting how long it took.
    for (let attempt = 0; attempt < 60 && events.length === 0; attempt += 1) {
      await auditLog(tenant.id).flush();
      events = await storedEvents(tenant.id);
      if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ v: 1, kind: "admin_action", tenantId: tenant.id, detail: { action: "policy.update" } });
  }, 45_000);

  it("never fails the request when the queue refuses the send: the event is logged as missing instead", async () => {
    const ctx = createExecutionContext();
    const refusing = {
      AUDIT_QUEUE: { sendBatch: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue,
    };
    const log = vi.spyOn(console, "log");
    expect(() =>
      auditRecorder(refusing, ctx).record({
        kind: "sign_in",
        tenantId: "tenant-x",
        actor: { type: "user", userId: USER_A },
        detail: { what: "grant", outcome: "ok" },
      }),
    ).not.toThrow();
    await waitOnExecutionContext(ctx);
    const lines = log.mock.calls.flat().filter((line): line is string => typeof line === "string" && line.startsWith("{"));
    log.mockRestore();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ event: "audit_event_send_failed", kind: "sign_in", tenantId: "tenant-x" }),
    );
  });

  it("acknowledges an invalid message body instead of retrying it, and stores nothing for it", async () => {
    const { tenant } = await createTenant();
    const valid = toolCallEvent(tenant.id);
    const result = await deliver([{ ...toolCallEvent(tenant.id), id: "not-a-uuid" }, { hello: "world" }, valid]);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toEqual([]);
    await auditLog(tenant.id).flush();
    expect(ids(await storedEvents(tenant.id))).toEqual([valid.id]);
  });
});

describe("exactly once from at-least-once delivery", () => {
  it("stores a batch delivered twice once, and an id repeated in a later batch once", async () => {
    const { tenant } = await createTenant();
    const events = Array.from({ length: 5 }, () => toolCallEvent(tenant.id));
    await deliver(events);
    await deliver(events);
    await auditLog(tenant.id).flush();
    const later = toolCallEvent(tenant.id);
    // The same id again in a different batch, after the first copy was already written to R2.
    await deliver([events[2], later, events[4]]);
    await auditLog(tenant.id).flush();
    const stored = await storedEvents(tenant.id);
    expect(stored).toHaveLength(6);
    expect(ids(stored)).toEqual(ids([...events, later]));
    expect(await auditLog(tenant.id).stats()).toMatchObject({ pending: 0, seen: 6 });
  });

  it("retries a tenant's messages with a growing delay while its log fails, then stores each event once", async () => {
    const { tenant } = await createTenant();
    const events = Array.from({ length: 3 }, () => toolCallEvent(tenant.id));
    const flaky = failingLogs(2, "before");
    const messageIds = events.map((_, i) => `flaky-${i}`);
    const results = [];
    for (let attempts = 1; attempts <= 3; attempts += 1) results.push(await deliver(events, { env: flaky, attempts, messageIds }));
    expect(results[0]?.retryMessages.map((retry) => retry.msgId)).toEqual(["flaky-0", "flaky-1", "flaky-2"]);
    expect(results[1]?.retryMessages).toHaveLength(3);
    expect(results[2]?.explicitAcks).toHaveLength(3);
    expect([1, 2, 3, 9, 12].map((attempts) => retryDelaySeconds(attempts, false))).toEqual([10, 20, 40, 2560, 3600]);
    await auditLog(tenant.id).flush();
    expect(ids(await storedEvents(tenant.id))).toEqual(ids(events));
  });

  it("stores each event once when the log stored a batch but its reply was lost and the batch came again", async () => {
    const { tenant } = await createTenant();
    const events = Array.from({ length: 4 }, () => toolCallEvent(tenant.id));
    const flaky = failingLogs(1, "after");
    const messageIds = events.map((_, i) => `lost-${i}`);
    expect((await deliver(events, { env: flaky, messageIds })).retryMessages).toHaveLength(4);
    expect((await deliver(events, { env: flaky, messageIds, attempts: 2 })).explicitAcks).toHaveLength(4);
    await auditLog(tenant.id).flush();
    const stored = await storedEvents(tenant.id);
    expect(stored).toHaveLength(4);
    expect(ids(stored)).toEqual(ids(events));
  });

  it("consumes the dead-letter queue the same way, an hour apart per try", async () => {
    const { tenant } = await createTenant();
    const event = toolCallEvent(tenant.id);
    const queue = AUDIT_DEAD_LETTER_QUEUE_NAME;
    const failed = await deliver([event], { queue, env: failingLogs(1, "before"), messageIds: ["dlq-1"] });
    expect(failed.retryMessages).toEqual([expect.objectContaining({ msgId: "dlq-1" })]);
    expect(retryDelaySeconds(1, true)).toBe(3600);
    expect((await deliver([event], { queue, messageIds: ["dlq-1"], attempts: 2 })).explicitAcks).toEqual(["dlq-1"]);
    await auditLog(tenant.id).flush();
    expect(ids(await storedEvents(tenant.id))).toEqual([event.id]);
  });
});

describe("giving up", () => {
  it("logs an event as lost by id when the dead-letter queue's last try fails too", async () => {
    const { tenant } = await createTenant();
    const event = toolCallEvent(tenant.id);
    const log = vi.spyOn(console, "log");
    await deliver([event], { queue: AUDIT_DEAD_LETTER_QUEUE_NAME, env: failingLogs(1, "before"), attempts: 11 });
    const lines = log.mock.calls.flat().filter((line): line is string => typeof line === "string" && line.startsWith("{"));
    log.mockRestore();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ event: "audit_event_lost", tenantId: tenant.id, eventId: event.id }),
    );
  });
});

describe("flushing", () => {
  it("makes the same key and bytes from the same rows, whatever their order", async () => {
    const tenantId = crypto.randomUUID();
    const events = [toolCallEvent(tenantId), toolCallEvent(tenantId), toolCallEvent(tenantId)];
    const rows = events.map((event, i) => ({ seq: 40 + i, time: event.time, json: JSON.stringify(event) }));
    const hour = utcHourOf(events[0]?.time ?? "");
    const first = await encodeTrailObject(tenantId, hour, rows);
    const second = await encodeTrailObject(tenantId, hour, rows.toReversed());
    expect(second.key).toBe(first.key);
    expect(first.key.endsWith("/000000000040-000000000042.ndjson.gz")).toBe(true);
    expect([...second.body]).toEqual([...first.body]);
    expect(second.metadata).toEqual(first.metadata);
  });

  it("rewrites the same object when a flush is cut short after the R2 put, and later events go to a new object", async () => {
    const { tenant } = await createTenant();
    const stub = auditLog(tenant.id);
    const early = [toolCallEvent(tenant.id), toolCallEvent(tenant.id)];
    await deliver(early);
    let puts = 0;
    const failed = await runInDurableObject(stub, async (instance: TenantAuditLog) => {
      // The R2 put succeeds but its reply is lost: the flush fails after the object exists.
      const holder = instance as unknown as { env: typeof env };
      const real = holder.env;
      holder.env = {
        ...real,
        AUDIT_BUCKET: {
          ...real.AUDIT_BUCKET,
          list: real.AUDIT_BUCKET.list.bind(real.AUDIT_BUCKET),
          put: async (...args: Parameters<R2Bucket["put"]>) => {
            puts += 1;
            await real.AUDIT_BUCKET.put(...args);
            throw new Error("R2 reply lost");
          },
        },
      } as typeof env;
      try {
        await instance.flush();
        return false;
      } catch {
        return true;
      } finally {
        holder.env = real;
      }
    });
    expect(failed).toBe(true);
    expect(puts).toBe(1);
    const [before] = await storedTrail(tenant.id);
    const late = toolCallEvent(tenant.id);
    await deliver([late]);
    await stub.flush();
    const trail = await storedTrail(tenant.id);
    expect(trail.find((object) => object.key === before?.key)?.events).toEqual(before?.events);
    const stored = trail.flatMap((object) => object.events.map((line) => AuditEventSchema.parse(line)));
    expect(ids(stored)).toEqual(ids([...early, late]));
  });

  it("writes one object per UTC hour of the events' times", async () => {
    const { tenant } = await createTenant();
    const now = Date.now();
    const events = [toolCallEvent(tenant.id, { time: new Date(now - 3_600_000) }), toolCallEvent(tenant.id, { time: new Date(now) })];
    await deliver(events);
    expect(await auditLog(tenant.id).flush()).toEqual({ objects: 2, events: 2 });
    const trail = await storedTrail(tenant.id);
    expect(trail.map((object) => object.key.split("/").slice(3, 5).join("T")).sort()).toEqual(events.map((e) => utcHourOf(e.time)).sort());
    for (const object of trail) {
      const hour = object.key.split("/").slice(3, 5).join("T");
      expect(object.events.every((line) => utcHourOf(AuditEventSchema.parse(line).time) === hour)).toBe(true);
    }
  });
});

describe("flush triggers and the stream hand-off", () => {
  it("flushes on the log's own alarm, armed by the append", async () => {
    const { tenant } = await createTenant();
    const event = toolCallEvent(tenant.id);
    await deliver([event]);
    expect(await auditLog(tenant.id).stats()).toMatchObject({ pending: 1 });
    expect(await runDurableObjectAlarm(auditLog(tenant.id))).toBe(true);
    expect(ids(await storedEvents(tenant.id))).toEqual([event.id]);
    expect(await auditLog(tenant.id).stats()).toMatchObject({ pending: 0, seen: 1 });
  });

  it("hands each stored object to the stream queue when the tenant streams, and only then", async () => {
    const streaming = (await createTenant()).tenant;
    const quiet = (await createTenant()).tenant;
    await env.DB.prepare("UPDATE tenants SET audit_stream_url = ? WHERE id = ?").bind("https://siem.example/ingest", streaming.id).run();
    const sent: unknown[] = [];
    const flushWithStreamQueue = (tenantId: string) =>
      runInDurableObject(auditLog(tenantId), async (instance: TenantAuditLog) => {
        // The stream's queue binding as the stream's own module will add it; here it only records what is sent.
        const holder = instance as unknown as { env: typeof env };
        const real = holder.env;
        holder.env = { ...real, AUDIT_STREAM_QUEUE: { send: async (body: unknown) => void sent.push(body) } } as unknown as typeof env;
        try {
          return await instance.flush();
        } finally {
          holder.env = real;
        }
      });
    await deliver([toolCallEvent(streaming.id), toolCallEvent(quiet.id)]);
    await flushWithStreamQueue(streaming.id);
    await flushWithStreamQueue(quiet.id);
    const [object] = await storedTrail(streaming.id);
    expect(sent).toEqual([{ tenantId: streaming.id, key: object?.key }]);
  });
});

describe("usage roll-ups", () => {
  it("writes absolute per-day totals by tool and by user, unchanged by a redelivery", async () => {
    const { tenant } = await createTenant();
    const events = [
      toolCallEvent(tenant.id, { tool: "list_messages", latencyMs: 10, userId: USER_A }),
      toolCallEvent(tenant.id, { tool: "list_messages", latencyMs: 30, outcome: "throttled", userId: USER_B }),
      toolCallEvent(tenant.id, { tool: "send_mail", latencyMs: 5, outcome: "error", userId: USER_A }),
    ];
    await deliver(events);
    await auditLog(tenant.id).flush();
    const day = events[0]?.time.slice(0, 10);
    const expected = {
      tools: [
        { day, tool: "list_messages", calls: 2, errors: 1, throttled: 1, latency_ms_total: 40 },
        { day, tool: "send_mail", calls: 1, errors: 1, throttled: 0, latency_ms_total: 5 },
      ],
      users: [
        { day, user_id: USER_A, calls: 2, errors: 1 },
        { day, user_id: USER_B, calls: 1, errors: 1 },
      ],
    };
    expect(await usageRows(tenant.id)).toEqual(expected);
    await deliver(events);
    await auditLog(tenant.id).flush();
    expect(await usageRows(tenant.id)).toEqual(expected);
    await deliver([toolCallEvent(tenant.id, { tool: "send_mail", latencyMs: 7, userId: USER_B })]);
    await auditLog(tenant.id).flush();
    const after = await usageRows(tenant.id);
    expect(after.tools[1]).toEqual({ day, tool: "send_mail", calls: 2, errors: 1, throttled: 0, latency_ms_total: 12 });
    expect(after.users[1]).toEqual({ day, user_id: USER_B, calls: 2, errors: 1 });
  });
});

describe("tenant isolation of the trail", () => {
  it("keeps each tenant's events, objects and usage apart when one batch mixes them", async () => {
    const a = (await createTenant()).tenant;
    const b = (await createTenant()).tenant;
    const aEvents = [toolCallEvent(a.id), toolCallEvent(a.id, { tool: "send_mail" })];
    const bEvents = [toolCallEvent(b.id, { userId: USER_B })];
    const result = await deliver([aEvents[0], bEvents[0], aEvents[1]]);
    expect(result.explicitAcks).toHaveLength(3);
    await Promise.all([auditLog(a.id).flush(), auditLog(b.id).flush()]);
    expect(ids(await storedEvents(a.id))).toEqual(ids(aEvents));
    expect(ids(await storedEvents(b.id))).toEqual(ids(bEvents));
    // Nothing of A anywhere outside A's prefix, and the other way round.
    expect((await keysMentioning(a.id)).every((key) => key.startsWith(auditTenantPrefix(a.id)))).toBe(true);
    expect((await keysMentioning(b.id)).every((key) => key.startsWith(auditTenantPrefix(b.id)))).toBe(true);
    expect(await auditLog(a.id).stats()).toMatchObject({ seen: 2 });
    expect(await auditLog(b.id).stats()).toMatchObject({ seen: 1 });
    expect((await usageRows(a.id)).users).toEqual([expect.objectContaining({ user_id: USER_A, calls: 2 })]);
    expect((await usageRows(b.id)).users).toEqual([expect.objectContaining({ user_id: USER_B, calls: 1 })]);
  });

  it("refuses an event of another tenant sent to a tenant's log", async () => {
    const a = (await createTenant()).tenant;
    const b = (await createTenant()).tenant;
    expect(await auditLog(a.id).append([toolCallEvent(b.id)])).toEqual({ stored: 0, duplicates: 0, refused: 1 });
    expect(await auditLog(a.id).stats()).toMatchObject({ pending: 0, seen: 0 });
  });
});

describe("retention and offboarding", () => {
  it("retention removes only the tenant's days older than its retention, objects and usage", async () => {
    const a = (await createTenant()).tenant;
    const b = (await createTenant()).tenant;
    await env.DB.prepare("UPDATE tenants SET audit_retention_days = 2 WHERE id = ?").bind(a.id).run();
    const now = Date.now();
    const old = new Date(now - 5 * DAY_MS);
    const recent = new Date(now - DAY_MS);
    const aOld = toolCallEvent(a.id, { time: old });
    const aRecent = [toolCallEvent(a.id, { time: recent }), toolCallEvent(a.id)];
    const bOld = toolCallEvent(b.id, { time: old });
    await deliver([aOld, ...aRecent, bOld]);
    await Promise.all([auditLog(a.id).flush(), auditLog(b.id).flush()]);
    expect((await usageRows(a.id)).tools.map((row) => row.day)).toContain(aOld.time.slice(0, 10));

    const tenantA = await tenantRegistry(env.DB).findById(a.id);
    const tenantB = await tenantRegistry(env.DB).findById(b.id);
    if (!tenantA || !tenantB) throw new Error("tenants missing");
    const store = { ...auditTrailOf(env), db: env.DB };
    const result = await applyAuditRetention(store, tenantA, 100, now);
    expect(result).toMatchObject({ complete: true, deleted: 1 });
    await applyAuditRetention(store, tenantB, 100, now);

    expect(ids(await storedEvents(a.id))).toEqual(ids(aRecent));
    expect((await usageRows(a.id)).tools.map((row) => row.day)).not.toContain(aOld.time.slice(0, 10));
    // B keeps 90 days: its old event and usage stay.
    expect(ids(await storedEvents(b.id))).toEqual([bOld.id]);
    expect((await usageRows(b.id)).tools).toHaveLength(1);
  });

  it("a log drops what it still holds of days before a retention cutoff, and keeps remembering the ids", async () => {
    const { tenant } = await createTenant();
    const old = toolCallEvent(tenant.id, { time: new Date(Date.now() - 3 * DAY_MS) });
    const fresh = toolCallEvent(tenant.id);
    await deliver([old, fresh]);
    await auditLog(tenant.id).purgeBefore(fresh.time.slice(0, 10));
    expect(await auditLog(tenant.id).stats()).toEqual({ pending: 1, seen: 2 });
    await auditLog(tenant.id).flush();
    expect(ids(await storedEvents(tenant.id))).toEqual([fresh.id]);
    // A late redelivery of the purged event is still recognised, not stored.
    expect(await auditLog(tenant.id).append([old])).toEqual({ stored: 0, duplicates: 1, refused: 0 });
  });

  it("the cron's sweep continues after the last tenant it finished and trims that tenant's trail", async () => {
    const a = (await createTenant()).tenant;
    await env.DB.prepare("UPDATE tenants SET audit_retention_days = 1 WHERE id = ?").bind(a.id).run();
    const old = toolCallEvent(a.id, { time: new Date(Date.now() - 3 * DAY_MS) });
    const fresh = toolCallEvent(a.id);
    await deliver([old, fresh]);
    await auditLog(a.id).flush();
    // Resume just before A: the sweep's next slice starts with it.
    const last = a.id.at(-1) ?? "0";
    await env.OAUTH_KV.put(RETENTION_CURSOR_KEY, `${a.id.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) - 1)}~`);
    const config = readConfig(env);
    const deps = {
      config,
      registry: tenantRegistry(env.DB),
      kv: env.OAUTH_KV,
      agents: env.USER_AGENT,
      audit: auditTrailOf(env),
      db: env.DB,
      tenantCache: sharedTenantCache(config.TENANT_CACHE_TTL_SECONDS),
    };
    const result = await sweepAuditRetention(deps);
    expect(result.tenants).toBeGreaterThanOrEqual(1);
    expect(ids(await storedEvents(a.id))).toEqual([fresh.id]);
    const cursor = await env.OAUTH_KV.get(RETENTION_CURSOR_KEY);
    // Either it moved on past A, or it reached the last tenant and starts again from the first.
    expect(cursor === null || cursor >= a.id).toBe(true);
  });

  it("offboarding deletes the tenant's whole prefix, its log's storage and its usage rows, and nothing of another tenant", async () => {
    const a = (await createTenant()).tenant;
    const b = (await createTenant()).tenant;
    const aEvents = [toolCallEvent(a.id, { time: new Date(Date.now() - 2 * DAY_MS) }), toolCallEvent(a.id)];
    await deliver([...aEvents, toolCallEvent(b.id)]);
    await Promise.all([auditLog(a.id).flush(), auditLog(b.id).flush()]);
    // One more event still pending in A's log when the deletion starts.
    await deliver([toolCallEvent(a.id)]);
    expect((await storedTrail(a.id)).length).toBe(2);

    const response = await operatorCall(`/tenants/${a.id}`, { method: "DELETE" });
    expect(response.status).toBe(200);

    expect(await keysMentioning(a.id)).toEqual([]);
    expect(await auditLog(a.id).stats()).toEqual({ pending: 0, seen: 0 });
    expect(await usageRows(a.id)).toEqual({ tools: [], users: [] });
    // An event of the deleted tenant that arrives late is discarded, not written.
    await deliver([toolCallEvent(a.id)]);
    await auditLog(a.id).flush();
    expect(await keysMentioning(a.id)).toEqual([]);

    expect(await storedEvents(b.id)).toHaveLength(1);
    expect((await usageRows(b.id)).tools).toHaveLength(1);
  });
});
