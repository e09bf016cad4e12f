import type { Config } from "../config";
import { logEvent } from "../lib/log";
import type { Registry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";
import { adminActionEvent, SECRET_SET, type EventParty } from "./events";
import { noticeBody, openNoticeSecret, postNotice, SECRET_UNREADABLE } from "./notices";
import type { AuditRecorder } from "./record";
import type { DeliveryOutcome } from "./signed-post";
import { endpointOf } from "./stream-settings";
import { generateSigningSecret, sealSigningSecret } from "./stream-secret";

/**
 * @module What an org admin can do with the alert notices' webhook, once for
 * the admin API and the console alike: set the webhook (a new secret, shown
 * once), rotate the secret, remove it, and send a signed test notice now. The
 * URL is validated by the caller with the audit stream's rules
 * (stream-url.ts), under the request's field names.
 */

export interface NoticeSettingsDeps {
  registry: Registry;
  config: Config;
  /** Where each change is audited (`admin_action`), and who made it from where. */
  audit?: { recorder: AuditRecorder; party: EventParty };
}

export class NoticesNotConfigured extends Error {
  override name = "NoticesNotConfigured";
  constructor() {
    super("This organization has no notice webhook; set one first");
  }
}

/** Audits a change of the webhook settings; the secret is only ever "(set)". */
function audited(deps: NoticeSettingsDeps, action: string, before: Record<string, unknown>, after: Record<string, unknown>): void {
  deps.audit?.recorder.record(adminActionEvent(deps.audit.party, { action, outcome: "ok", before, after }));
}

/** Sends the org's alerts to `url` from now on, with a fresh secret returned once (a previous secret stops working). */
export async function setNoticeWebhook(deps: NoticeSettingsDeps, tenant: Tenant, url: string): Promise<{ secret: string }> {
  const secret = generateSigningSecret();
  await deps.registry.setNoticeWebhook(tenant.id, url, await sealSigningSecret(tenant, "alert-notices", secret, deps.config));
  logEvent("alert_notices_set", { tenantId: tenant.id });
  const previous = tenant.notices;
  audited(
    deps,
    "alert_notices.set",
    { url: endpointOf(previous?.url), secret: previous ? SECRET_SET : null },
    { url: endpointOf(url), secret: SECRET_SET },
  );
  return { secret };
}

/** A new secret for the current webhook; notices signed from now on (retries included) use it. */
export async function rotateNoticeSecret(deps: NoticeSettingsDeps, tenant: Tenant): Promise<{ url: string; secret: string }> {
  if (!tenant.notices) throw new NoticesNotConfigured();
  const secret = generateSigningSecret();
  await deps.registry.setNoticeWebhook(
    tenant.id,
    tenant.notices.url,
    await sealSigningSecret(tenant, "alert-notices", secret, deps.config),
  );
  logEvent("alert_notices_secret_rotated", { tenantId: tenant.id });
  audited(deps, "alert_notices_secret.rotate", { secret: SECRET_SET }, { secret: SECRET_SET });
  return { url: tenant.notices.url, secret };
}

/** No more notices; those still waiting stay alerts only. Answers whether there was a webhook. */
export async function removeNoticeWebhook(deps: NoticeSettingsDeps, tenant: Tenant): Promise<boolean> {
  const had = tenant.notices !== null;
  await deps.registry.clearNoticeWebhook(tenant.id);
  logEvent("alert_notices_removed", { tenantId: tenant.id, had });
  if (had) audited(deps, "alert_notices.remove", { url: endpointOf(tenant.notices?.url), secret: SECRET_SET }, { url: null, secret: null });
  return had;
}

/** Sends one signed test notice now and says how the webhook answered; a success clears "failing since". */
export async function sendTestNotice(deps: NoticeSettingsDeps, tenant: Tenant): Promise<DeliveryOutcome & { id: string }> {
  const notices = tenant.notices;
  if (!notices?.sealedSecret) throw new NoticesNotConfigured();
  const id = `test-${crypto.randomUUID()}`;
  const body = noticeBody(tenant, deps.config, {
    id,
    kind: "test",
    detail: "A test notice sent from the gateway's notice settings. Nothing needs doing.",
    createdAt: new Date().toISOString(),
  });
  const secret = await openNoticeSecret(deps.config, tenant, notices.sealedSecret);
  const outcome: DeliveryOutcome = secret
    ? await postNotice(notices.url, secret, id, body)
    : { ok: false, status: null, reason: SECRET_UNREADABLE };
  if (outcome.ok) await deps.registry.clearNoticeWebhookFailing(tenant.id);
  logEvent("alert_notices_test", { tenantId: tenant.id, ok: outcome.ok, status: outcome.status });
  return { ...outcome, id };
}

/** The settings as the admin API and console show them: never the secret. */
export function noticeSettingsView(tenant: Tenant) {
  return {
    url: tenant.notices?.url ?? null,
    failingSince: tenant.notices?.failingSince?.toISOString() ?? null,
  };
}
