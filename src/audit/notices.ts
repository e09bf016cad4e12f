import type { Config } from "../config";
import type { Env } from "../env";
import { bytesToHex, utf8 } from "../lib/encoding";
import { logError, logEvent } from "../lib/log";
import { tenantRegistry, type Registry } from "../tenancy/registry";
import type { AlertKind } from "../tenancy/schema";
import type { Tenant } from "../tenancy/tenant";
import { signedPost, type DeliveryOutcome } from "./signed-post";
import { openSigningSecret } from "./stream-secret";

/**
 * @module The organization's alerts as signed notices to the webhook it set
 * (README, "Alert notices"), delivered from an outbox.
 *
 * `registry.addAlert` stores an alert `pending`, due at once, when the tenant
 * has a webhook. The minute cron takes a bounded batch of due notices, oldest
 * first, and POSTs each to its own tenant's webhook (read at delivery time,
 * never another tenant's), signed with that tenant's secret exactly as the
 * audit stream signs its batches (signed-post.ts):
 * - body: one JSON notice (`application/json`), see `NoticeBody`;
 * - `X-Notice-Timestamp`, `X-Notice-Signature` (`v1=` + hex HMAC-SHA256 over
 *   `<timestamp>.<body>`), `X-Notice-Id` (the notice's stable id: delivery
 *   is at least once, so a receiver drops an id it already has).
 * A 2xx marks it delivered; anything else (a redirect is not followed; 10 s
 * at most) makes it due again after 1, 2, 4 … minutes, at most an hour
 * apart; one still failing a day after the alert was raised is given up
 * (`failed`) and the tenant's webhook is marked failing since then, until a
 * delivery or a test succeeds. Nothing of an answer but its status is kept.
 */

export const NOTICE_SCHEMA_VERSION = 1;
/** The `[triggers] crons` entry (wrangler.toml) whose runs deliver notices; the other entry runs maintenance. */
export const NOTICES_CRON = "* * * * *";
/** Notices delivered per cron run, at most: the run must end well within its minute. */
export const NOTICES_PER_RUN = 50;
/** A claimed notice is not taken again by an overlapping run before this. */
const CLAIM_LEASE_MS = 5 * 60_000;
const BACKOFF_MAX_MINUTES = 60;
/** A notice still failing this long after its alert was raised is given up. */
export const NOTICE_GIVE_UP_MS = 24 * 60 * 60_000;

/** What a receiver gets: the same bytes on every attempt of one notice (the signature and its timestamp are headers). */
export interface NoticeBody {
  v: typeof NOTICE_SCHEMA_VERSION;
  /** Stable across attempts of one notice: receivers de-duplicate on it. */
  id: string;
  /** An alert kind, or `test` for a test notice sent from the settings. */
  kind: AlertKind | "test";
  detail: string;
  /** When the alert was raised (ISO 8601 UTC). */
  createdAt: string;
  organization: { slug: string; host: string };
}

export interface NoticeDeps {
  registry: Registry;
  config: Config;
}

export function noticeDeps(env: Env, config: Config): NoticeDeps {
  return { registry: tenantRegistry(env.DB), config };
}

/** The delay after `failures` failed attempts: 1, 2, 4 … minutes, capped at an hour. */
export function noticeRetryDelayMs(failures: number): number {
  return Math.min(2 ** Math.max(0, failures - 1), BACKOFF_MAX_MINUTES) * 60_000;
}

/** A notice's id from its tenant and alert: the same on every attempt, and nothing a receiver could count other tenants' alerts by. */
export async function noticeId(tenantId: string, alertId: number): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(`alert-notice|${tenantId}|${alertId}`));
  return bytesToHex(new Uint8Array(digest)).slice(0, 32);
}

export function noticeBody(tenant: Tenant, config: Config, notice: Omit<NoticeBody, "v" | "organization">): string {
  const body: NoticeBody = {
    v: NOTICE_SCHEMA_VERSION,
    ...notice,
    organization: { slug: tenant.slug, host: `${tenant.slug}.${config.BASE_DOMAIN}` },
  };
  return JSON.stringify(body);
}

/** Signs and sends one notice to `url`; never throws. */
export function postNotice(url: string, secret: string, id: string, body: string, now: Date = new Date()): Promise<DeliveryOutcome> {
  return signedPost(
    {
      url,
      secret,
      body,
      contentType: "application/json",
      userAgent: "m365-mcp-gateway-notices",
      timestampHeader: "x-notice-timestamp",
      signatureHeader: "x-notice-signature",
      headers: { "x-notice-id": id },
    },
    now,
  );
}

type Claimed = Awaited<ReturnType<Registry["claimDueNotices"]>>[number];

export interface NoticeRunResult {
  delivered: number;
  retried: number;
  failed: number;
  dropped: number;
}

/** Why a notice could not be signed: the sealed secret no longer opens with the tenant's data key. */
export const SECRET_UNREADABLE = "the signing secret can no longer be read; make a new secret";

/**
 * The tenant's webhook with its secret opened (undefined when it does not
 * open: each attempt then fails, so it backs off and is given up like an
 * endpoint that does not answer, and a new secret mends it), or undefined as
 * a whole when its notices can no longer be sent.
 */
async function webhookOf(deps: NoticeDeps, tenantId: string) {
  const tenant = await deps.registry.findById(tenantId);
  if (!tenant || tenant.status === "deleting" || !tenant.notices?.sealedSecret) return undefined;
  return { tenant, url: tenant.notices.url, secret: await openNoticeSecret(deps.config, tenant, tenant.notices.sealedSecret) };
}

/** The notices' secret, or undefined (logged, never thrown) when it does not open. */
export async function openNoticeSecret(
  config: Config,
  tenant: Tenant,
  sealed: { ciphertext: string; iv: string },
): Promise<string | undefined> {
  try {
    return await openSigningSecret(tenant, "alert-notices", sealed, config);
  } catch (error) {
    logError("alert_notices_secret_unreadable", error, { tenantId: tenant.id });
    return undefined;
  }
}

/**
 * One tenant's claimed notices, oldest first, to its own webhook. After a
 * failure the rest wait with the failed one (they were not attempted, so
 * their attempt counts stay), so a down endpoint costs one request a turn.
 */
async function deliverTenantNotices(deps: NoticeDeps, tenantId: string, notices: Claimed[], now: Date, result: NoticeRunResult) {
  const webhook = await webhookOf(deps, tenantId);
  if (!webhook) {
    for (const notice of notices) await deps.registry.settleNotice(tenantId, notice.id, { state: null });
    result.dropped += notices.length;
    logEvent("alert_notices_dropped", { tenantId, notices: notices.length, reason: "no_webhook" });
    return;
  }
  let waitUntil: Date | undefined;
  for (const notice of notices) {
    if (waitUntil) {
      await deps.registry.settleNotice(tenantId, notice.id, { state: "pending", nextAt: waitUntil, attempts: notice.attempts });
      continue;
    }
    const id = await noticeId(tenantId, notice.id);
    const body = noticeBody(webhook.tenant, deps.config, {
      id,
      kind: notice.kind,
      detail: notice.detail,
      createdAt: notice.createdAt.toISOString(),
    });
    const outcome: DeliveryOutcome = webhook.secret
      ? await postNotice(webhook.url, webhook.secret, id, body, now)
      : { ok: false, status: null, reason: SECRET_UNREADABLE };
    const attempts = notice.attempts + 1;
    if (outcome.ok) {
      await deps.registry.settleNotice(tenantId, notice.id, { state: "delivered", attempts });
      await deps.registry.clearNoticeWebhookFailing(tenantId);
      result.delivered += 1;
      logEvent("alert_notice_delivered", { tenantId, status: outcome.status, attempts });
      continue;
    }
    logEvent("alert_notice_failed", { tenantId, status: outcome.status, reason: outcome.reason, attempts });
    if (now.getTime() - notice.createdAt.getTime() >= NOTICE_GIVE_UP_MS) {
      await deps.registry.settleNotice(tenantId, notice.id, { state: "failed", attempts });
      await deps.registry.markNoticeWebhookFailing(tenantId, now);
      result.failed += 1;
      continue;
    }
    waitUntil = new Date(now.getTime() + noticeRetryDelayMs(attempts));
    await deps.registry.settleNotice(tenantId, notice.id, { state: "pending", nextAt: waitUntil, attempts });
    result.retried += 1;
  }
}

/** The minute cron's work: delivers the notices due at `now`, each tenant's on its own so one org's failing webhook never holds back another's. */
export async function deliverDueNotices(deps: NoticeDeps, now: Date = new Date()): Promise<NoticeRunResult> {
  const claimed = await deps.registry.claimDueNotices(now, new Date(now.getTime() + CLAIM_LEASE_MS), NOTICES_PER_RUN);
  const byTenant = Map.groupBy(claimed, (notice) => notice.tenantId);
  const result: NoticeRunResult = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
  await Promise.all(
    [...byTenant].map(async ([tenantId, notices]) => {
      try {
        await deliverTenantNotices(deps, tenantId, notices, now, result);
      } catch (error) {
        // Left claimed: due again when the lease ends.
        logError("alert_notices_error", error, { tenantId });
      }
    }),
  );
  if (claimed.length > 0) logEvent("alert_notices_run", { ...result });
  return result;
}
