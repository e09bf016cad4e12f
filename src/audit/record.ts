import { describeError, logEvent } from "../lib/log";
import { AUDIT_SCHEMA_VERSION, AuditEventSchema, type AuditEvent, type AuditEventInput } from "./event";

/**
 * @module The producer side of the audit trail: `auditRecorder(env, ctx).record(event)`.
 *
 * `record` fills in the version, a fresh id (`crypto.randomUUID()`) and the
 * time (ISO 8601 UTC with milliseconds), checks the event against
 * `AuditEventSchema` and puts it in this isolate's outbox for `AUDIT_QUEUE`;
 * it never throws into the request. An invalid event is a bug in its
 * producer: it is logged by name (kind and the paths of the failing fields,
 * never their values) and dropped.
 *
 * The outbox is sent with `sendBatch` inside `ctx.waitUntil`, after the
 * response: `SEND_WINDOW_MS` after its first event, or at once when it holds
 * a full batch (Cloudflare Queues takes at most 100 messages and 256 KB per
 * `sendBatch`, and 128 KB per message: developers.cloudflare.com/queues/
 * platform/limits). The request that opened the window keeps it alive; the
 * events of the requests that followed it within the window ride along.
 * An agent's burst of tool calls in one isolate thus costs one queue
 * operation per batch rather than one subrequest per call, and the request
 * path only appends to an array.
 *
 * What is lost when a send fails (the queue refuses or is unreachable): the
 * events of that batch. Each is logged with its kind and tenant id only, so
 * an operator sees that the trail has a gap; nothing a client was told
 * depends on it, because the actions the events describe have already
 * happened and been answered. An event larger than one message may be is
 * logged the same way and not sent. Once the queue has accepted a message,
 * Cloudflare Queues delivers it at least once and the tenant's log stores it
 * exactly once (see `consumer.ts` and `tenant-log.ts`).
 */

export interface AuditRecorder {
  /** Records one event off the response path; never throws. */
  record(event: AuditEventInput): void;
}

/** What the recorder needs of the Worker: the queue binding, and a context to keep the send alive after the response. */
export interface AuditRecorderEnv {
  AUDIT_QUEUE: Queue;
}

/** The stored form of an input: version, id and time filled in, then checked. */
export function completeAuditEvent(input: AuditEventInput, now = new Date()): AuditEvent | undefined {
  const candidate = { ...input, v: AUDIT_SCHEMA_VERSION, id: crypto.randomUUID(), time: now.toISOString() };
  const parsed = AuditEventSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  logEvent("audit_event_invalid", {
    kind: typeof input.kind === "string" ? input.kind : "unknown",
    fields: [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(event)"))].join(","),
  });
  return undefined;
}

/** How long an isolate's outbox gathers events after its first one before they are sent together. */
export const SEND_WINDOW_MS = 100;
/** Cloudflare Queues' limits for one `sendBatch`: 100 messages, 256 KB in total (1 KB = 1000 bytes). */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 256_000;
/** And for one message, 128 KB, of which up to ~100 bytes are the queue's own metadata. */
const MESSAGE_METADATA_BYTES = 100;
const MESSAGE_BYTES = 128_000 - MESSAGE_METADATA_BYTES;

interface Outbox {
  events: { event: AuditEvent; bytes: number }[];
  bytes: number;
  /** A send is scheduled (in some request's `waitUntil`) and has not yet taken the outbox's events. */
  scheduled: boolean;
}

/** One outbox per queue binding, for the life of the isolate. */
const outboxes = new WeakMap<Queue, Outbox>();
const encoder = new TextEncoder();

function outboxOf(queue: Queue): Outbox {
  let outbox = outboxes.get(queue);
  if (!outbox) {
    outbox = { events: [], bytes: 0, scheduled: false };
    outboxes.set(queue, outbox);
  }
  return outbox;
}

function logLost(events: readonly AuditEvent[], error: unknown): void {
  for (const { kind, tenantId } of events) logEvent("audit_event_send_failed", { kind, tenantId, error: describeError(error) });
}

/** The first events of the outbox that fit in one `sendBatch`. */
function takeBatch(outbox: Outbox): AuditEvent[] {
  let count = 0;
  let bytes = 0;
  for (const entry of outbox.events) {
    const messageBytes = entry.bytes + MESSAGE_METADATA_BYTES;
    if (count === BATCH_MESSAGES || (count > 0 && bytes + messageBytes > BATCH_BYTES)) break;
    count += 1;
    bytes += messageBytes;
  }
  const taken = outbox.events.splice(0, count);
  outbox.bytes -= taken.reduce((sum, entry) => sum + entry.bytes, 0);
  return taken.map((entry) => entry.event);
}

const isFull = (outbox: Outbox) =>
  outbox.events.length >= BATCH_MESSAGES ||
  (outbox.events.length > 0 && outbox.bytes + outbox.events.length * MESSAGE_METADATA_BYTES >= BATCH_BYTES);

/** Sends the outbox a batch at a time while `more` holds; a refused batch is logged event by event. */
async function send(queue: Queue, outbox: Outbox, more: (outbox: Outbox) => boolean): Promise<void> {
  while (more(outbox)) {
    const batch = takeBatch(outbox);
    try {
      await queue.sendBatch(batch.map((event) => ({ body: event, contentType: "json" as const })));
    } catch (error) {
      logLost(batch, error);
    }
  }
}

/** `ctx`: a request's ExecutionContext, or a Durable Object's state (both keep a promise alive with `waitUntil`). */
export function auditRecorder(env: AuditRecorderEnv, ctx: Pick<ExecutionContext, "waitUntil">): AuditRecorder {
  return {
    record(input) {
      let event: AuditEvent | undefined;
      let bytes: number;
      try {
        event = completeAuditEvent(input);
        if (!event) return;
        bytes = encoder.encode(JSON.stringify(event)).byteLength;
      } catch (error) {
        // A producer must never fail the request it describes.
        logEvent("audit_event_invalid", { kind: "unknown", error: describeError(error) });
        return;
      }
      if (bytes > MESSAGE_BYTES) {
        logLost([event], new Error(`the event is ${bytes} bytes, over a queue message's ${MESSAGE_BYTES}`));
        return;
      }
      const queue = env.AUDIT_QUEUE;
      const outbox = outboxOf(queue);
      outbox.events.push({ event, bytes });
      outbox.bytes += bytes;
      if (isFull(outbox)) {
        // A full batch goes now, from this request; the send still scheduled takes whatever follows.
        ctx.waitUntil(send(queue, outbox, isFull));
      } else if (!outbox.scheduled) {
        // Every event finds a send scheduled that has not yet started: it takes the whole outbox when it does.
        outbox.scheduled = true;
        ctx.waitUntil(
          new Promise((resolve) => setTimeout(resolve, SEND_WINDOW_MS)).then(() => {
            outbox.scheduled = false;
            return send(queue, outbox, (pending) => pending.events.length > 0);
          }),
        );
      }
    },
  };
}
