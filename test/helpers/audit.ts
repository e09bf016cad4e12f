import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { AUDIT_QUEUE_NAME } from "../../src/audit/consumer";
import type { AuditEvent, AuditEventInput } from "../../src/audit/event";
import { completeAuditEvent } from "../../src/audit/record";
import { decodeTrailObject } from "../../src/audit/trail-object";
import { auditLogName, auditTenantPrefix } from "../../src/tenancy/audit-names";

/** Helpers for the audit pipeline's tests: events, queue deliveries through the Worker's `queue()`, and the stored trail. */

export const USER_A = "11111111-1111-4111-8111-111111111111.22222222-2222-4222-8222-222222222222";
export const USER_B = "11111111-1111-4111-8111-111111111111.33333333-3333-4333-8333-333333333333";

/** A tool call of `tenantId` at `time` (now unless given), as the recorder completes it. */
export function toolCallEvent(
  tenantId: string,
  options: { time?: Date; tool?: string; outcome?: "ok" | "error" | "throttled"; userId?: string; latencyMs?: number } = {},
): AuditEvent {
  const input: AuditEventInput = {
    kind: "tool_call",
    tenantId,
    actor: { type: "user", userId: options.userId ?? USER_A, upn: "adele@contoso.example" },
    client: { id: "client-1", name: "Test client" },
    source: { ip: "203.0.113.7", userAgent: "vitest" },
    detail: { tool: options.tool ?? "list_messages", outcome: options.outcome ?? "ok", latencyMs: options.latencyMs ?? 12 },
  };
  const event = completeAuditEvent(input, options.time);
  if (!event) throw new Error("the test event is invalid");
  return event;
}

let messageCounter = 0;

export interface DeliveryOptions {
  queue?: string;
  /** Which delivery of these messages this is (1 = first). */
  attempts?: number;
  /** Message ids; a redelivery of the same messages reuses them. */
  messageIds?: string[];
  /** The bindings the Worker's queue handler gets (the real ones unless given). */
  env?: typeof env;
}

/** Delivers these bodies to the Worker's queue handler as one batch, like Cloudflare Queues would; answers its ack/retry state. */
export async function deliver(bodies: readonly unknown[], options: DeliveryOptions = {}): Promise<QueueResult> {
  const batch = createMessageBatch(
    options.queue ?? AUDIT_QUEUE_NAME,
    bodies.map((body, i) => ({
      id: options.messageIds?.[i] ?? `msg-${++messageCounter}`,
      timestamp: new Date(),
      attempts: options.attempts ?? 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, options.env ?? env, ctx);
  return getQueueResult(batch, ctx);
}

export function auditLog(tenantId: string) {
  return env.AUDIT_LOG.getByName(auditLogName(tenantId));
}

/** Every object under the tenant's prefix, with its events parsed. */
export async function storedTrail(tenantId: string): Promise<{ key: string; metadata: Record<string, string>; events: unknown[] }[]> {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await env.AUDIT_BUCKET.list({ prefix: auditTenantPrefix(tenantId), cursor, include: ["customMetadata"] });
    for (const object of page.objects) {
      const body = await env.AUDIT_BUCKET.get(object.key);
      if (!body) continue;
      out.push({ key: object.key, metadata: object.customMetadata ?? {}, events: await decodeTrailObject(body.body) });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

/** Keys of every object in the bucket whose key mentions the tenant id anywhere (to prove nothing leaks outside its prefix). */
export async function keysMentioning(tenantId: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.AUDIT_BUCKET.list({ prefix: "audit/", cursor });
    keys.push(...page.objects.map((object) => object.key).filter((key) => key.includes(tenantId)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
