import type { Context } from "hono";
import { auditRecorder, type AuditRecorder } from "../audit/record";
import { auditSource, type AuditActor, type AuditClient, type EventParty } from "../audit/events";
import type { GatewayEnv, TenantEnv } from "./context";

/**
 * @module The audit trail as the web layer writes to it: one recorder per
 * request (the send runs after the response), and the party of an event
 * (tenant, actor, client, the caller's address and user agent) taken from
 * the request.
 */

/** The request's recorder: events go to the queue inside the Worker's `waitUntil`. */
export function auditOf<E extends GatewayEnv | TenantEnv>(c: Context<E>): AuditRecorder {
  return auditRecorder(c.env, c.get("workerCtx"));
}

/** Who acted for which tenant, from this request's address and user agent. */
export function partyOf<E extends GatewayEnv | TenantEnv>(
  c: Context<E>,
  tenantId: string,
  actor: AuditActor,
  client?: AuditClient,
): EventParty {
  const source = auditSource(c.req.raw.headers);
  return { tenantId, actor, ...(client ? { client } : {}), ...(source ? { source } : {}) };
}
