import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject, it } from "vitest";
import worker from "../src/index";
import { AUDIT_QUEUE_NAME } from "../src/audit/consumer";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { auditLogName } from "../src/tenancy/audit-names";
import { storedTrail, toolCallEvent, USER_A, USER_B } from "../test/helpers/audit";
import { createTenant } from "../test/helpers/gateway";

/**
 * The audit consumer under load, inside workerd against the real local
 * queue handler, tenant logs (Durable Objects), R2 and D1: `EVENTS` tool-call
 * events of `TENANTS` organizations, mixed in batches of 100 as Cloudflare
 * Queues hands them over, with injected failures: some deliveries fail
 * before the tenant log stores them, others after it stored them (the reply
 * is lost), and each failed message is delivered again, as the queue would.
 * Then every log flushes to R2 and the stored trail is read back: each
 * acknowledged event must be there exactly once, under its own tenant, and
 * the day's usage totals in D1 must count each once.
 */
const TENANTS = 20;
const EVENTS = 10_000;
const BATCH = 100;
/** Every 7th tenant group of a delivery fails before storing, every 11th after storing (reply lost). */
const FAIL_BEFORE_EVERY = 7;
const FAIL_AFTER_EVERY = 11;

async function post(path: string, body: unknown) {
  await fetch(`${inject("benchCollectorUrl")}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The AUDIT_LOG binding as the consumer sees it, with the injected failures; counts them. */
function faultyLogs() {
  let groups = 0;
  const injected = { before: 0, after: 0 };
  const namespace = {
    getByName(name: string) {
      const stub = env.AUDIT_LOG.getByName(name);
      return {
        async append(events: AuditEvent[]) {
          groups += 1;
          if (groups % FAIL_BEFORE_EVERY === 0) {
            injected.before += 1;
            throw new Error("injected: the tenant log is unavailable");
          }
          const result = await stub.append(events);
          if (groups % FAIL_AFTER_EVERY === 0) {
            injected.after += 1;
            throw new Error("injected: the tenant log's reply was lost");
          }
          return result;
        },
      };
    },
  };
  return { env: { ...env, AUDIT_LOG: namespace } as unknown as typeof env, injected };
}

interface Pending {
  id: string;
  attempts: number;
  body: AuditEvent;
}

it("stores every acknowledged event exactly once under injected consumer failures, and measures events per second", async () => {
  const tenants = await Promise.all(Array.from({ length: TENANTS }, async () => (await createTenant()).tenant.id));
  const events = Array.from({ length: EVENTS }, (_, i) =>
    toolCallEvent(tenants[i % TENANTS] ?? "", {
      tool: i % 3 === 0 ? "send_mail" : "list_messages",
      userId: i % 2 === 0 ? USER_A : USER_B,
      latencyMs: i % 50,
    }),
  );
  const faults = faultyLogs();
  let queue: Pending[] = events.map((body, i) => ({ id: `bench-${i}`, attempts: 1, body }));
  const acknowledged = new Set<string>();
  let deliveries = 0;
  const started = performance.now();
  while (queue.length > 0) {
    const retry: Pending[] = [];
    for (let offset = 0; offset < queue.length; offset += BATCH) {
      const slice = queue.slice(offset, offset + BATCH);
      const batch = createMessageBatch(
        AUDIT_QUEUE_NAME,
        slice.map((message) => ({ ...message, timestamp: new Date() })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch, faults.env, ctx);
      const result = await getQueueResult(batch, ctx);
      deliveries += 1;
      const retried = new Set(result.retryMessages.map((message) => message.msgId));
      for (const message of slice) {
        if (retried.has(message.id)) retry.push({ ...message, attempts: message.attempts + 1 });
        else acknowledged.add(message.body.id);
      }
    }
    queue = retry;
  }
  const appendSeconds = (performance.now() - started) / 1000;

  const flushStarted = performance.now();
  await Promise.all(tenants.map((tenantId) => env.AUDIT_LOG.getByName(auditLogName(tenantId)).flush()));
  const flushSeconds = (performance.now() - flushStarted) / 1000;

  const counts = new Map<string, number>();
  let foreign = 0;
  let objects = 0;
  for (const tenantId of tenants) {
    const trail = await storedTrail(tenantId);
    objects += trail.length;
    for (const line of trail.flatMap((object) => object.events)) {
      const event = AuditEventSchema.parse(line);
      if (event.tenantId !== tenantId) foreign += 1;
      counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
    }
  }
  const lost = [...acknowledged].filter((id) => !counts.has(id)).length;
  const duplicated = [...counts.values()].filter((n) => n > 1).length;
  const stray = [...counts.keys()].filter((id) => !acknowledged.has(id)).length;
  const placeholders = tenants.map(() => "?").join(",");
  const usage = await env.DB.prepare(`SELECT COALESCE(SUM(calls), 0) AS calls FROM usage_daily WHERE tenant_id IN (${placeholders})`)
    .bind(...tenants)
    .first<number>("calls");

  const appendRate = EVENTS / appendSeconds;
  const flushRate = EVENTS / flushSeconds;
  const overall = EVENTS / (appendSeconds + flushSeconds);
  const ok = lost === 0 && duplicated === 0 && stray === 0 && foreign === 0 && usage === EVENTS && acknowledged.size === EVENTS;
  await post("/section", {
    id: "audit-pipeline",
    title: "Audit pipeline: consumer throughput and exactly-once storage",
    note: [
      `${EVENTS.toLocaleString("en")} tool-call events of ${TENANTS} organizations, in batches of ${BATCH} that mix organizations, through the Worker's queue handler into each organization's audit log (a Durable Object), then flushed by each log to R2 (gzip NDJSON per organization and hour) and D1 (usage totals), all local inside workerd on this machine. Injected failures: every ${FAIL_BEFORE_EVERY}th append fails before the log stores anything, every ${FAIL_AFTER_EVERY}th fails after it stored the events (a lost reply); every message not acknowledged is delivered again until it is, as Cloudflare Queues does.`,
      "Afterwards the stored trail is read back and parsed with the event schema: lost = acknowledged but not stored; duplicated = stored more than once; stray = stored but never acknowledged; foreign = stored under another organization's prefix. Usage: the sum of `usage_daily.calls` must equal the number of events.",
      "One queue consumer invocation at a time here; Cloudflare runs up to 250 consumer invocations of a queue at once, and each organization's log is a separate Durable Object, so the deployed rate scales with organizations rather than with this figure.",
    ].join("\n\n"),
    headers: ["measure", "value"],
    rows: [
      ["deliveries (batches, retries included)", deliveries],
      ["injected failures: before storing / after storing", `${faults.injected.before} / ${faults.injected.after}`],
      ["acknowledged events", acknowledged.size],
      ["stored objects", objects],
      ["lost / duplicated / stray / foreign", `${lost} / ${duplicated} / ${stray} / ${foreign}`],
      ["usage_daily calls", usage ?? 0],
      ["consumer (queue handler → tenant logs), events/s", appendRate.toFixed(0)],
      ["flush (tenant logs → R2 and D1), events/s", flushRate.toFixed(0)],
      ["end to end, events/s", overall.toFixed(0)],
    ],
    figures: [
      { id: "audit.consumer.events_per_s", value: appendRate, unit: "events/s", better: "higher" },
      { id: "audit.flush.events_per_s", value: flushRate, unit: "events/s", better: "higher" },
    ],
    targets: [
      {
        target: "audit: every acknowledged event stored exactly once under injected consumer failures",
        ok,
        detail: `${acknowledged.size} acknowledged: ${lost} lost, ${duplicated} duplicated, ${stray} stray, ${foreign} under another organization; usage counted ${usage ?? 0}`,
      },
    ],
  });
  expect({ lost, duplicated, stray, foreign, usage }).toEqual({ lost: 0, duplicated: 0, stray: 0, foreign: 0, usage: EVENTS });
});
