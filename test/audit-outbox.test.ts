import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { AuditEventSchema, type AuditEventInput } from "../src/audit/event";
import { auditRecorder } from "../src/audit/record";
import { auditTenantPrefix } from "../src/tenancy/audit-names";
import { auditLog, keysMentioning, storedTrail, USER_A, USER_B } from "./helpers/audit";
import { createTenant } from "./helpers/gateway";

/**
 * The recorder's outbox: events leave an isolate in `sendBatch` calls within
 * Cloudflare Queues' limits (100 messages and 256 KB per call, 128 KB per
 * message). The queue here is a stand-in that only notes what it was given;
 * the real local queue carries the recorder's batches to the stored trail in
 * audit-pipeline.test.ts.
 */

interface SentBatch {
  bodies: unknown[];
  contentTypes: (string | undefined)[];
  /** The batch's size as the queue counts it: each body's JSON bytes plus ~100 bytes of metadata per message. */
  bytes: number;
}

function recordingQueue(options: { refuse?: boolean } = {}): { queue: Queue; batches: SentBatch[] } {
  const batches: SentBatch[] = [];
  const encoder = new TextEncoder();
  const queue = {
    send: () => Promise.reject(new Error("the recorder must send in batches")),
    sendBatch: (messages: Iterable<MessageSendRequest>) => {
      const list = [...messages];
      batches.push({
        bodies: list.map((message) => message.body),
        contentTypes: list.map((message) => message.contentType),
        bytes: list.reduce((sum, message) => sum + encoder.encode(JSON.stringify(message.body)).byteLength + 100, 0),
      });
      return options.refuse ? Promise.reject(new Error("queue unavailable")) : Promise.resolve();
    },
  } as unknown as Queue;
  return { queue, batches };
}

function toolCall(tenantId: string, recipients?: string[]): AuditEventInput {
  return {
    kind: "tool_call",
    tenantId,
    actor: { type: "user", userId: USER_A },
    detail: { tool: "send_mail", outcome: "ok", latencyMs: 5, ...(recipients ? { recipients } : {}) },
  };
}

/** `count` addresses of `length` characters each. */
function addresses(count: number, length: number): string[] {
  return Array.from({ length: count }, (_, index) => `${String(index).padStart(length - 12, "a")}@example.com`);
}

function sentIds(batches: readonly SentBatch[]): string[] {
  return batches.flatMap((batch) => batch.bodies.map((body) => (body as { id: string }).id));
}

describe("audit outbox: events leave an isolate in batches", () => {
  it("sends the events of several requests within the window in one sendBatch, from the request that opened it", async () => {
    const { queue, batches } = recordingQueue();
    const first = createExecutionContext();
    const later = [createExecutionContext(), createExecutionContext()];
    auditRecorder({ AUDIT_QUEUE: queue }, first).record(toolCall("tenant-a"));
    for (const ctx of later) auditRecorder({ AUDIT_QUEUE: queue }, ctx).record(toolCall("tenant-b"));
    // The later requests have nothing of their own to wait for: their events ride in the first one's send.
    for (const ctx of later) await waitOnExecutionContext(ctx);
    expect(batches).toHaveLength(0);
    await waitOnExecutionContext(first);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.bodies.map((body) => (body as { tenantId: string }).tenantId)).toEqual(["tenant-a", "tenant-b", "tenant-b"]);
    expect(batches[0]?.contentTypes).toEqual(["json", "json", "json"]);
  });

  it("opens a new window for an event recorded after the last send", async () => {
    const { queue, batches } = recordingQueue();
    for (let round = 0; round < 2; round += 1) {
      const ctx = createExecutionContext();
      auditRecorder({ AUDIT_QUEUE: queue }, ctx).record(toolCall("tenant-a"));
      await waitOnExecutionContext(ctx);
    }
    expect(batches.map((batch) => batch.bodies.length)).toEqual([1, 1]);
  });

  it("sends a full batch of 100 at once and never more than 100 messages per sendBatch", async () => {
    const { queue, batches } = recordingQueue();
    const ctx = createExecutionContext();
    const recorder = auditRecorder({ AUDIT_QUEUE: queue }, ctx);
    for (let index = 0; index < 100; index += 1) recorder.record(toolCall("tenant-a"));
    // The hundredth event starts the send without waiting for the window.
    expect(batches.map((batch) => batch.bodies.length)).toEqual([100]);
    for (let index = 0; index < 150; index += 1) recorder.record(toolCall("tenant-a"));
    await waitOnExecutionContext(ctx);
    expect(batches.map((batch) => batch.bodies.length)).toEqual([100, 100, 50]);
    expect(new Set(sentIds(batches)).size).toBe(250);
  });

  it("keeps every sendBatch within 256 KB, counting each message's metadata", async () => {
    const { queue, batches } = recordingQueue();
    const ctx = createExecutionContext();
    const recorder = auditRecorder({ AUDIT_QUEUE: queue }, ctx);
    // About 62 KB per event: five of them cannot go in one call.
    for (let index = 0; index < 5; index += 1) recorder.record(toolCall("tenant-a", addresses(200, 300)));
    await waitOnExecutionContext(ctx);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.bytes).toBeLessThanOrEqual(256_000);
    expect(new Set(sentIds(batches)).size).toBe(5);
  });

  it("does not send an event larger than one queue message, and logs it as missing by kind and tenant", async () => {
    const { queue, batches } = recordingQueue();
    const ctx = createExecutionContext();
    const log = vi.spyOn(console, "log");
    const recorder = auditRecorder({ AUDIT_QUEUE: queue }, ctx);
    recorder.record(toolCall("tenant-a", addresses(500, 300)));
    recorder.record(toolCall("tenant-a"));
    await waitOnExecutionContext(ctx);
    const lines = log.mock.calls.flat().filter((line): line is string => typeof line === "string" && line.startsWith("{"));
    log.mockRestore();
    expect(batches.map((batch) => batch.bodies.length)).toEqual([1]);
    const missing = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === "audit_event_send_failed");
    expect(missing).toEqual([expect.objectContaining({ kind: "tool_call", tenantId: "tenant-a" })]);
    // The log line names the event, never its contents.
    expect(JSON.stringify(missing)).not.toContain("@example.com");
  });

  it("logs each event of a refused batch as missing, and never throws into the request", async () => {
    const { queue } = recordingQueue({ refuse: true });
    const ctx = createExecutionContext();
    const log = vi.spyOn(console, "log");
    const recorder = auditRecorder({ AUDIT_QUEUE: queue }, ctx);
    expect(() => {
      recorder.record(toolCall("tenant-a"));
      recorder.record(toolCall("tenant-b"));
    }).not.toThrow();
    await waitOnExecutionContext(ctx);
    const lines = log.mock.calls.flat().filter((line): line is string => typeof line === "string" && line.startsWith("{"));
    log.mockRestore();
    const missing = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === "audit_event_send_failed");
    expect(missing.map((line) => line.tenantId)).toEqual(["tenant-a", "tenant-b"]);
  });

  it("keeps one outbox per queue: two bindings' events never share a send", async () => {
    const one = recordingQueue();
    const two = recordingQueue();
    const ctx = createExecutionContext();
    auditRecorder({ AUDIT_QUEUE: one.queue }, ctx).record(toolCall("tenant-a"));
    auditRecorder({ AUDIT_QUEUE: two.queue }, ctx).record(toolCall("tenant-b"));
    await waitOnExecutionContext(ctx);
    expect(one.batches.flatMap((batch) => batch.bodies.map((body) => (body as { tenantId: string }).tenantId))).toEqual(["tenant-a"]);
    expect(two.batches.flatMap((batch) => batch.bodies.map((body) => (body as { tenantId: string }).tenantId))).toEqual(["tenant-b"]);
  });

  it("keeps two organizations' events apart when one window carries both through the real queue", async () => {
    const a = (await createTenant()).tenant;
    const b = (await createTenant()).tenant;
    const ctx = createExecutionContext();
    const recorder = auditRecorder(env, ctx);
    recorder.record(toolCall(a.id));
    recorder.record({ ...toolCall(b.id), actor: { type: "user", userId: USER_B } });
    recorder.record(toolCall(a.id));
    await waitOnExecutionContext(ctx);
    const stored = async (tenantId: string) =>
      (await storedTrail(tenantId)).flatMap((object) => object.events.map((line) => AuditEventSchema.parse(line)));
    let aEvents: unknown[] = [];
    let bEvents: unknown[] = [];
    // The local queue delivers within max_batch_timeout; wait for it without asserting how long it took.
    for (let attempt = 0; attempt < 60 && (aEvents.length < 2 || bEvents.length < 1); attempt += 1) {
      await Promise.all([auditLog(a.id).flush(), auditLog(b.id).flush()]);
      [aEvents, bEvents] = await Promise.all([stored(a.id), stored(b.id)]);
      if (aEvents.length < 2 || bEvents.length < 1) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(aEvents).toEqual([expect.objectContaining({ tenantId: a.id }), expect.objectContaining({ tenantId: a.id })]);
    expect(bEvents).toEqual([expect.objectContaining({ tenantId: b.id, actor: { type: "user", userId: USER_B } })]);
    expect((await keysMentioning(a.id)).every((key) => key.startsWith(auditTenantPrefix(a.id)))).toBe(true);
    expect((await keysMentioning(b.id)).every((key) => key.startsWith(auditTenantPrefix(b.id)))).toBe(true);
  }, 45_000);
});
