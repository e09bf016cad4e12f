import type { Config } from "../config";
import { logEvent } from "../lib/log";
import type { Registry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";
import { AUDIT_SCHEMA_VERSION, AuditEventSchema, type AuditActorSchema, type AuditEvent } from "./event";
import { adminActionEvent, SECRET_SET, type EventParty } from "./events";
import type { AuditRecorder } from "./record";
import { deliverBatch, type DeliveryOutcome } from "./stream-delivery";
import { generateStreamSecret, openStreamSecret, sealStreamSecret } from "./stream-secret";
import type { z } from "zod";

/**
 * @module What an org admin can do with the audit stream, once for the admin
 * API and the console alike: set the endpoint (a new secret, shown once),
 * rotate the secret, stop streaming, and send a signed test batch now. The
 * URL is validated by the caller (stream-url.ts) with the request's field names.
 */

export interface StreamSettingsDeps {
  registry: Registry;
  config: Config;
  /** Where each change is audited (`admin_action`), and who made it from where. */
  audit?: { recorder: AuditRecorder; party: EventParty };
}

/** The endpoint as the trail names it: scheme, host and path (a query string may carry a collector's token). */
export function endpointOf(url: string | undefined): string | null {
  if (!url) return null;
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : null;
}

/** Audits a change of the stream settings; the secret is only ever "(set)". */
function audited(deps: StreamSettingsDeps, action: string, before: Record<string, unknown>, after: Record<string, unknown>): void {
  deps.audit?.recorder.record(adminActionEvent(deps.audit.party, { action, outcome: "ok", before, after }));
}

export class StreamNotConfigured extends Error {
  override name = "StreamNotConfigured";
  constructor() {
    super("This organization does not stream its audit trail; set an endpoint first");
  }
}

/** Streams to `url` from now on, with a fresh secret returned once (a previous secret stops working). */
export async function setStream(deps: StreamSettingsDeps, tenant: Tenant, url: string): Promise<{ secret: string }> {
  const secret = generateStreamSecret();
  await deps.registry.setAuditStream(tenant.id, url, await sealStreamSecret(tenant, secret, deps.config));
  logEvent("audit_stream_set", { tenantId: tenant.id });
  const previous = tenant.audit.stream;
  audited(
    deps,
    "audit_stream.set",
    { url: endpointOf(previous?.url), secret: previous ? SECRET_SET : null },
    { url: endpointOf(url), secret: SECRET_SET },
  );
  return { secret };
}

/** A new secret for the current endpoint; batches signed from now on use it. */
export async function rotateStreamSecret(deps: StreamSettingsDeps, tenant: Tenant): Promise<{ secret: string }> {
  if (!tenant.audit.stream) throw new StreamNotConfigured();
  const secret = generateStreamSecret();
  await deps.registry.setAuditStream(tenant.id, tenant.audit.stream.url, await sealStreamSecret(tenant, secret, deps.config));
  logEvent("audit_stream_secret_rotated", { tenantId: tenant.id });
  audited(deps, "audit_stream_secret.rotate", { secret: SECRET_SET }, { secret: SECRET_SET });
  return { secret };
}

export async function removeStream(deps: StreamSettingsDeps, tenant: Tenant): Promise<boolean> {
  const had = tenant.audit.stream !== null;
  await deps.registry.clearAuditStream(tenant.id);
  logEvent("audit_stream_removed", { tenantId: tenant.id, had });
  if (had)
    audited(deps, "audit_stream.remove", { url: endpointOf(tenant.audit.stream?.url), secret: SECRET_SET }, { url: null, secret: null });
  return had;
}

/** The one event of a test batch: an admin action anyone reading the SIEM can tell apart. */
function testEvent(tenant: Tenant, actor: z.infer<typeof AuditActorSchema>): AuditEvent {
  return AuditEventSchema.parse({
    v: AUDIT_SCHEMA_VERSION,
    id: crypto.randomUUID(),
    time: new Date().toISOString(),
    tenantId: tenant.id,
    kind: "admin_action",
    actor,
    detail: { action: "audit_stream.test", outcome: "ok" },
  });
}

/** Sends one signed batch holding one test event now, and says how the endpoint answered. */
export async function sendTestBatch(
  deps: StreamSettingsDeps,
  tenant: Tenant,
  actor: z.infer<typeof AuditActorSchema>,
): Promise<DeliveryOutcome & { batchId: string }> {
  const stream = tenant.audit.stream;
  if (!stream?.sealedSecret) throw new StreamNotConfigured();
  const event = testEvent(tenant, actor);
  const batchId = `test-${event.id}`;
  const outcome = await deliverBatch({
    url: stream.url,
    secret: await openStreamSecret(tenant, stream.sealedSecret, deps.config),
    body: `${JSON.stringify(event)}\n`,
    batchId,
    eventCount: 1,
  });
  if (outcome.ok) await deps.registry.clearAuditStreamFailing(tenant.id);
  logEvent("audit_stream_test", { tenantId: tenant.id, ok: outcome.ok, status: outcome.status });
  return { ...outcome, batchId };
}
