import { describeError, logEvent } from "../lib/log";
import { AUDIT_SCHEMA_VERSION, AuditEventSchema, type AuditEvent, type AuditEventInput } from "./event";

/**
 * @module The producer side of the audit trail: `auditRecorder(env, ctx).record(event)`.
 *
 * `record` fills in the version, a fresh id (`crypto.randomUUID()`) and the
 * time (ISO 8601 UTC with milliseconds), checks the event against
 * `AuditEventSchema` and hands it to the `AUDIT_QUEUE` producer inside
 * `ctx.waitUntil`: the request never waits for the queue, so recording adds
 * no network round trip to a tool call, and it never throws into the
 * request. An invalid event is a bug in its producer: it is logged by name
 * (kind and the paths of the failing fields, never their values) and dropped.
 *
 * What is lost when the send itself fails (the queue refuses or is
 * unreachable): that one event. The failure is logged with the event's kind
 * and tenant id only, so an operator sees that the trail has a gap; nothing
 * the client was told depends on it, because the action the event describes
 * has already happened and been answered. Once the queue has accepted a
 * message, Cloudflare Queues delivers it at least once and the tenant's log
 * stores it exactly once (see `consumer.ts` and `tenant-log.ts`).
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

/** `ctx`: a request's ExecutionContext, or a Durable Object's state (both keep a promise alive with `waitUntil`). */
export function auditRecorder(env: AuditRecorderEnv, ctx: Pick<ExecutionContext, "waitUntil">): AuditRecorder {
  return {
    record(input) {
      let event: AuditEvent | undefined;
      try {
        event = completeAuditEvent(input);
      } catch (error) {
        // A producer must never fail the request it describes.
        logEvent("audit_event_invalid", { kind: "unknown", error: describeError(error) });
        return;
      }
      if (!event) return;
      const { kind, tenantId } = event;
      ctx.waitUntil(
        env.AUDIT_QUEUE.send(event, { contentType: "json" }).catch((error: unknown) => {
          logEvent("audit_event_send_failed", { kind, tenantId, error: describeError(error) });
        }),
      );
    },
  };
}
