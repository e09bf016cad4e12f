import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { auditRecorder } from "../src/audit/record";
import { summarize } from "./load";

/**
 * What auditing adds to the response path of one tools/call, in CPU: the
 * gateway's own `auditRecorder(env, ctx).record(event)` for the event a
 * `list_messages` call produces (id and time filled in, checked against the
 * event schema, measured and put in the isolate's outbox). Timed in Node's
 * V8, call by call, since workerd's clock does not advance during CPU work.
 * The queue here is the bench's: its `sendBatch` serializes each body as
 * JSON, as a `contentType: "json"` send does, and resolves. Calls come faster
 * than the outbox's window here, so every 100th call starts a full batch's
 * send and pays its serialization (in the p99, not the p50); in the gateway a
 * send runs in `waitUntil`, after the response.
 */
const WARM_UP_CALLS = 5_000;
const TIMED_CALLS = 20_000;

export interface RecordCost {
  calls: number;
  p50Us: number;
  p99Us: number;
}

export function auditRecordCost(): RecordCost {
  let serializedBytes = 0;
  const queue = {
    send: () => Promise.reject(new Error("the recorder sends in batches")),
    sendBatch: (messages: Iterable<MessageSendRequest>) => {
      for (const message of messages) serializedBytes += JSON.stringify(message.body).length;
      return Promise.resolve();
    },
  } satisfies Queue;
  const recorder = auditRecorder({ AUDIT_QUEUE: queue }, { waitUntil: () => undefined });
  const tenantId = randomUUID();
  const userId = `${randomUUID()}.${randomUUID()}`;
  const record = () =>
    recorder.record({
      kind: "tool_call",
      tenantId,
      actor: { type: "user", userId, upn: "user1@bench.example" },
      client: { id: randomUUID(), name: "Bench MCP client" },
      source: { ip: "127.0.0.1", userAgent: "undici" },
      detail: { tool: "list_messages", outcome: "ok", latencyMs: 3, graphStatus: 200, graphRequestId: randomUUID() },
    });
  for (let index = 0; index < WARM_UP_CALLS; index += 1) record();
  const durations: number[] = [];
  for (let index = 0; index < TIMED_CALLS; index += 1) {
    const started = performance.now();
    record();
    durations.push(performance.now() - started);
  }
  if (serializedBytes === 0) throw new Error("the recorder sent nothing: the measured path is not the recording path");
  const summary = summarize(durations);
  return { calls: TIMED_CALLS, p50Us: summary.p50 * 1000, p99Us: summary.p99 * 1000 };
}
