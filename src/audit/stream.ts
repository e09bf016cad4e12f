import { z } from "zod";
import type { Config } from "../config";
import type { Env } from "../env";
import { logError, logEvent } from "../lib/log";
import { tenantRegistry, type Registry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";
import { openStreamSecret } from "./stream-secret";
import { deliverBatch, streamBatchId, type DeliveryOutcome } from "./stream-delivery";

/**
 * @module Delivery of the stored audit trail to each organization's SIEM.
 *
 * After the tenant's log stores a trail object (key
 * `audit/v1/<tenantId>/<day>/<hour>/<firstSeq>-<lastSeq>.ndjson.gz`), it sends
 * `{ tenantId, key }` to AUDIT_STREAM_QUEUE. This consumer reads that object,
 * checks that it is the named tenant's (its key prefix and every event's
 * tenantId), and POSTs its events as one signed batch (stream-delivery.ts).
 * A 2xx acknowledges the message; anything else retries it after
 * 30 s × 2^(attempt−1), at most an hour; after the queue's max_retries the
 * message goes to the dead-letter queue, whose consumer raises the
 * organization's alert and records since when the stream has been failing.
 * The next successful delivery clears that. Bodies and secrets are never
 * logged; a message naming another tenant's object is dropped.
 */

export const AUDIT_STREAM_QUEUE_NAME = "m365-mcp-gateway-audit-stream";
export const AUDIT_STREAM_DLQ_NAME = "m365-mcp-gateway-audit-stream-dlq";

const BACKOFF_BASE_SECONDS = 30;
const BACKOFF_MAX_SECONDS = 3600;

export const StreamMessageSchema = z.strictObject({
  tenantId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/),
  key: z.string().min(1).max(1024),
});
export type StreamMessage = z.infer<typeof StreamMessageSchema>;

export interface StreamDeps {
  bucket: R2Bucket;
  registry: Registry;
  config: Config;
}

export function streamDeps(env: Env, config: Config): StreamDeps {
  return { bucket: env.AUDIT_BUCKET, registry: tenantRegistry(env.DB), config };
}

/** The delay before attempt `attempts + 1`: 30 s, 60 s, 120 s … capped at an hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_SECONDS);
}

/** Where a tenant's trail objects live; a key outside it is never read for that tenant. */
export function tenantTrailPrefix(tenantId: string): string {
  return `audit/v1/${tenantId}/`;
}

/** Whether `key` is one of `tenantId`'s trail objects: nothing else is read or alerted on for it. */
function isTenantKey(tenantId: string, key: string): boolean {
  return (
    key.startsWith(tenantTrailPrefix(tenantId)) && !key.includes("..") && !key.slice(tenantTrailPrefix(tenantId).length).includes("//")
  );
}

type Verdict = { kind: "ack" } | { kind: "retry" };

/** The tenantId a stored line names; undefined for a line that is not an event. */
function tenantOfLine(line: string): unknown {
  try {
    return (JSON.parse(line) as { tenantId?: unknown } | null)?.tenantId;
  } catch {
    return undefined;
  }
}

/** The object's NDJSON lines, or why it cannot be sent as the tenant's batch. */
async function readBatch(bucket: R2Bucket, tenantId: string, key: string): Promise<{ lines: string[] } | { problem: string }> {
  const object = await bucket.get(key);
  if (!object) return { problem: "object_missing" };
  const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
  const lines = text.split("\n").filter((line) => line !== "");
  for (const line of lines) {
    if (tenantOfLine(line) !== tenantId) return { problem: "foreign_event" };
  }
  return { lines };
}

/** Whether `tenant` streams, with its endpoint and opened secret. */
async function streamOf(tenant: Tenant | undefined, config: Config) {
  if (!tenant || tenant.status === "deleting" || !tenant.audit.stream?.sealedSecret) return undefined;
  return { url: tenant.audit.stream.url, secret: await openStreamSecret(tenant, tenant.audit.stream.sealedSecret, config) };
}

/** One stream message: delivered, dropped (with the reason logged), or to be retried. */
async function handleStreamMessage(body: unknown, deps: StreamDeps): Promise<Verdict> {
  const message = StreamMessageSchema.safeParse(body);
  if (!message.success) {
    logEvent("audit_stream_dropped", { reason: "invalid_message" });
    return { kind: "ack" };
  }
  const { tenantId, key } = message.data;
  if (!isTenantKey(tenantId, key)) {
    logEvent("audit_stream_dropped", { tenantId, reason: "foreign_key" });
    return { kind: "ack" };
  }
  const stream = await streamOf(await deps.registry.findById(tenantId), deps.config);
  if (!stream) {
    // Streaming was turned off (or the tenant deleted) after the object was stored.
    logEvent("audit_stream_dropped", { tenantId, reason: "not_streaming" });
    return { kind: "ack" };
  }
  const batch = await readBatch(deps.bucket, tenantId, key);
  if ("problem" in batch) {
    logEvent("audit_stream_dropped", { tenantId, reason: batch.problem });
    return { kind: "ack" };
  }
  const outcome = await deliverBatch({
    url: stream.url,
    secret: stream.secret,
    body: `${batch.lines.join("\n")}\n`,
    batchId: await streamBatchId(key),
    eventCount: batch.lines.length,
  });
  logDelivery(tenantId, outcome, batch.lines.length);
  if (!outcome.ok) return { kind: "retry" };
  await deps.registry.clearAuditStreamFailing(tenantId);
  return { kind: "ack" };
}

function logDelivery(tenantId: string, outcome: DeliveryOutcome, events: number): void {
  if (outcome.ok) logEvent("audit_stream_delivered", { tenantId, status: outcome.status, events });
  else logEvent("audit_stream_failed", { tenantId, status: outcome.status, reason: outcome.reason });
}

/** The AUDIT_STREAM_QUEUE consumer: each message on its own, so one org's failing endpoint never holds back another's. */
export async function consumeStreamBatch(batch: MessageBatch, deps: StreamDeps): Promise<void> {
  for (const message of batch.messages) {
    let verdict: Verdict;
    try {
      verdict = await handleStreamMessage(message.body, deps);
    } catch (error) {
      logError("audit_stream_error", error);
      verdict = { kind: "retry" };
    }
    if (verdict.kind === "ack") message.ack();
    else message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
}

/** The dead-letter consumer: the endpoint failed every retry, so the org's admins are told. */
export async function consumeStreamDeadLetters(batch: MessageBatch, deps: StreamDeps): Promise<void> {
  for (const message of batch.messages) {
    const parsed = StreamMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      message.ack();
      continue;
    }
    const { tenantId, key } = parsed.data;
    const tenant = isTenantKey(tenantId, key) ? await deps.registry.findById(tenantId) : undefined;
    if (tenant?.audit.stream) {
      await deps.registry.markAuditStreamFailing(tenantId, new Date());
      await deps.registry.addAlert(
        tenantId,
        "audit_stream_failing",
        "A batch of audit events could not be delivered to the stream endpoint after every retry. Check the endpoint, then send a test from the Streaming page; the trail itself is kept and can be exported.",
        60,
      );
    }
    logEvent("audit_stream_dead_letter", { tenantId, attempts: message.attempts });
    message.ack();
  }
}
