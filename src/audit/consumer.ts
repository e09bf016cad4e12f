import type { Env } from "../env";
import { logError, logEvent } from "../lib/log";
import { auditLogName } from "../tenancy/audit-names";
import { AuditEventSchema, type AuditEvent } from "./event";

/**
 * @module The consumer of `AUDIT_QUEUE` (and of its dead-letter queue), in the
 * same Worker: each message body is one `AuditEvent`. Bodies are checked
 * again (a queue is a boundary: an invalid one is acknowledged and logged by
 * message id, since retrying cannot fix it); valid events are grouped by
 * tenant and each group is appended to that tenant's log in one call, which
 * stores new ids and ignores repeated ones. A group's messages are acknowledged
 * only when its append succeeded; otherwise they are retried after a delay
 * that doubles with each attempt, and after `max_retries` (wrangler.toml)
 * Cloudflare moves them to the dead-letter queue, which this same code
 * consumes an hour apart per try. Events of one tenant never reach another
 * tenant's log: the log is chosen by the event's own tenant id, and the log
 * refuses an event of another tenant.
 */

/** Queue names as wrangler.toml declares them; `batch.queue` is one of these. */
export const AUDIT_QUEUE_NAME = "m365-mcp-gateway-audit";
export const AUDIT_DEAD_LETTER_QUEUE_NAME = "m365-mcp-gateway-audit-dlq";
/** `max_retries` of the dead-letter queue's consumer: the try after which an event is lost. */
const DEAD_LETTER_MAX_RETRIES = 10;
const FIRST_RETRY_SECONDS = 10;
const MAX_RETRY_SECONDS = 3600;

export type AuditConsumerEnv = Pick<Env, "AUDIT_LOG">;

export interface ConsumeSummary {
  stored: number;
  duplicates: number;
  invalid: number;
  retried: number;
}

/** Seconds before the next try of a message on its `attempts`-th delivery: 10 s doubling, at most an hour. */
export function retryDelaySeconds(attempts: number, deadLetter: boolean): number {
  if (deadLetter) return MAX_RETRY_SECONDS;
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

interface TenantGroup {
  events: AuditEvent[];
  messages: Message<unknown>[];
}

/** Valid events by tenant; invalid bodies are acknowledged here and counted. */
function groupByTenant(messages: readonly Message<unknown>[]): { groups: Map<string, TenantGroup>; invalid: number } {
  const groups = new Map<string, TenantGroup>();
  let invalid = 0;
  for (const message of messages) {
    const parsed = AuditEventSchema.safeParse(message.body);
    if (!parsed.success) {
      invalid += 1;
      logEvent("audit_message_invalid", {
        messageId: message.id,
        fields: [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(body)"))].join(","),
      });
      message.ack();
      continue;
    }
    const group = groups.get(parsed.data.tenantId) ?? { events: [], messages: [] };
    group.events.push(parsed.data);
    group.messages.push(message);
    groups.set(parsed.data.tenantId, group);
  }
  return { groups, invalid };
}

export async function consumeAuditEvents(batch: MessageBatch<unknown>, env: AuditConsumerEnv): Promise<ConsumeSummary> {
  const deadLetter = batch.queue === AUDIT_DEAD_LETTER_QUEUE_NAME;
  const { groups, invalid } = groupByTenant(batch.messages);
  const summary: ConsumeSummary = { stored: 0, duplicates: 0, invalid, retried: 0 };
  await Promise.all(
    [...groups].map(async ([tenantId, group]) => {
      try {
        const result = await env.AUDIT_LOG.getByName(auditLogName(tenantId)).append(group.events);
        summary.stored += result.stored;
        summary.duplicates += result.duplicates;
        for (const message of group.messages) message.ack();
      } catch (error) {
        logError("audit_append_failed", error, { tenantId, events: group.events.length, deadLetter });
        for (const message of group.messages) {
          if (deadLetter && message.attempts > DEAD_LETTER_MAX_RETRIES) {
            logEvent("audit_event_lost", { tenantId, messageId: message.id, eventId: eventIdOf(message.body) });
          }
          message.retry({ delaySeconds: retryDelaySeconds(message.attempts, deadLetter) });
          summary.retried += 1;
        }
      }
    }),
  );
  if (summary.duplicates > 0 || summary.invalid > 0 || summary.retried > 0) logEvent("audit_batch", { queue: batch.queue, ...summary });
  return summary;
}

function eventIdOf(body: unknown): string {
  const parsed = AuditEventSchema.safeParse(body);
  return parsed.success ? parsed.data.id : "unknown";
}
