import { html } from "hono/html";
import type { AlertKind } from "../../../tenancy/schema";
import { ALERT_WORDS } from "./admin-pages";
import { timeOf } from "./parts";
import { currentEndpoint, endpointForm, secretOnceBody, type SignedEndpointWords } from "./signed-endpoint";

/**
 * @module The console's Alerts page: the organization's alerts, each with
 * whether it reached the notices webhook, and the "Notices webhook" section
 * (set or change the URL, send a test notice, make a new signing secret,
 * remove it); and the page that shows a new secret once.
 */

export type NoticeState = "pending" | "delivered" | "failed" | null;

export interface AlertsPageInput {
  csrfToken: string;
  alerts: readonly { kind: AlertKind; detail: string; createdAt: Date; noticeState: NoticeState }[];
  webhook: { url: string; failingSince: Date | null } | null;
  /** The outcome of a test notice just sent, in words. */
  testResult?: { delivered: boolean; text: string };
  errors: { url?: string };
  /** The value to show back in the URL field after a refused change. */
  typedUrl?: string;
  flash: unknown;
}

/** The notice state in words, with the console's status shapes beside them (never colour alone). */
const NOTICE_STATE: Record<Exclude<NoticeState, null>, { words: string; look: "done" | "unsure" | "todo" }> = {
  delivered: { words: "Notice delivered", look: "done" },
  pending: { words: "Notice pending", look: "unsure" },
  failed: { words: "Notice not delivered", look: "todo" },
};

function noticeBadge(state: NoticeState) {
  if (!state) return "";
  const shown = NOTICE_STATE[state];
  return html` <span class="console-state console-state-${shown.look}">${shown.words}</span>`;
}

function alertList(alerts: AlertsPageInput["alerts"]) {
  if (alerts.length === 0) {
    return html`<p>
      No alerts. Problems with the organization's Entra app (an expiring secret, missing consent, Microsoft refusing the app) appear here.
    </p>`;
  }
  return html`<ul class="console-alerts">
    ${alerts.map(
      (alert) =>
        html`<li>
          <strong>${ALERT_WORDS[alert.kind]}</strong> · ${timeOf(alert.createdAt)}${noticeBadge(alert.noticeState)}<br />${alert.detail}
        </li>`,
    )}
  </ul>`;
}

const NOTICES: SignedEndpointWords = {
  action: "/admin/alerts/notices",
  prefix: "notices",
  urlLabel: "Webhook URL",
  delivery: "notice",
  endpoint: "webhook",
  heading: "h3",
  unset: html`<p>No webhook is set: alerts are shown here and on <code>GET /api/admin/alerts</code> only.</p>`,
  set: (url) => html`<p>Each new alert is sent to <code>${url}</code>.</p>`,
  failing: "Notices to this webhook",
  remove: "Remove the webhook",
};

export function alertsBody(input: AlertsPageInput) {
  const state = {
    ...input,
    url: input.webhook?.url ?? null,
    failingSince: input.webhook?.failingSince ?? null,
    error: input.errors.url,
  };
  return html`<h1>Alerts</h1>
    ${input.flash} ${alertList(input.alerts)}
    <section aria-labelledby="notices-heading" class="console-notices">
      <h2 id="notices-heading">Notices webhook</h2>
      <p>
        The gateway POSTs each new alert as JSON to an HTTPS endpoint you choose (your incident tool, chat or automation), signed like the
        audit stream (headers <code>X-Notice-Timestamp</code>, <code>X-Notice-Signature</code>, <code>X-Notice-Id</code>), and retries for a
        day when the endpoint does not answer 2xx. The gateway's README ("Alert notices") shows how to verify a notice.
      </p>
      ${currentEndpoint(NOTICES, state)} ${endpointForm(NOTICES, state)}
    </section>`;
}

export function noticeSecretBody(url: string, secret: string) {
  return secretOnceBody(
    {
      title: "Notices signing secret",
      prefix: "notices",
      what: "Notices",
      file: "alert-notices-secret.txt",
      back: { href: "/admin/alerts", text: "Back to Alerts" },
    },
    url,
    secret,
  );
}
