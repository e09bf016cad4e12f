import { html } from "hono/html";
import type { AlertKind } from "../../../tenancy/schema";
import { ALERT_WORDS } from "./admin-pages";
import { csrfField } from "./layout";
import { copyable, fieldError, invalidAttributes, timeOf } from "./parts";

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

/** What is set now, with the test, new-secret and remove forms. */
function currentWebhook(input: AlertsPageInput) {
  if (!input.webhook) {
    return html`<p>No webhook is set: alerts are shown here and on <code>GET /api/admin/alerts</code> only.</p>`;
  }
  return html`<p>Each new alert is sent to <code>${input.webhook.url}</code>.</p>
    ${
      input.webhook.failingSince
        ? html`<p class="warning">
            Notices to this webhook have been failing since ${timeOf(input.webhook.failingSince)}. Check the endpoint, then send a test
            notice.
          </p>`
        : ""
    }
    ${input.testResult ? html`<p class="${input.testResult.delivered ? "console-flash" : "warning"}" role="status">${input.testResult.text}</p>` : ""}
    <form method="post" action="/admin/alerts/notices/test" class="console-form" data-busy="Sending…">
      ${csrfField(input.csrfToken)}
      <button type="submit">Send a test notice</button>
    </form>
    <h3>Signing secret</h3>
    <p>Every notice is signed with a secret shown only when it is made. A new secret replaces the current one at once.</p>
    <form method="post" action="/admin/alerts/notices/secret" class="console-form" data-busy="Making a secret…">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">Make a new secret</button>
    </form>
    <h3>Remove the webhook</h3>
    <form method="post" action="/admin/alerts/notices/delete" class="console-form" data-busy="Removing…">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">Remove the webhook</button>
    </form>`;
}

export function alertsBody(input: AlertsPageInput) {
  const { errors } = input;
  return html`<h1>Alerts</h1>
    ${input.flash} ${alertList(input.alerts)}
    <section aria-labelledby="notices-heading" class="console-notices">
      <h2 id="notices-heading">Notices webhook</h2>
      <p>
        The gateway POSTs each new alert as JSON to an HTTPS endpoint you choose (your incident tool, chat or automation), signed like the
        audit stream (headers <code>X-Notice-Timestamp</code>, <code>X-Notice-Signature</code>, <code>X-Notice-Id</code>), and retries for a
        day when the endpoint does not answer 2xx. The gateway's README ("Alert notices") shows how to verify a notice.
      </p>
      ${currentWebhook(input)}
      <h3>${input.webhook ? "Change the webhook" : "Set the webhook"}</h3>
      <form method="post" action="/admin/alerts/notices" class="console-form" data-busy="Saving…">
        ${csrfField(input.csrfToken)}
        <label for="notices-url">Webhook URL <span class="hint">(https, a public host name)</span></label>
        <input
          type="url"
          id="notices-url"
          name="url"
          required
          autocomplete="off"
          inputmode="url"
          value="${input.typedUrl ?? input.webhook?.url ?? ""}"
          ${invalidAttributes("notices-url", errors.url)}
        />
        ${fieldError("notices-url", errors.url)}
        <button type="submit">Save and make a secret</button>
      </form>
    </section>`;
}

export function noticeSecretBody(url: string, secret: string) {
  return html`<h1>Notices signing secret</h1>
    <p class="warning">
      Shown only once. Notices to <code>${url}</code> are signed with it from now on; store it where your receiver checks signatures.
    </p>
    ${copyable("notices-secret", secret, "secret")}
    <p><a href="#" data-download="alert-notices-secret.txt" data-from="notices-secret" hidden>Download as a file</a></p>
    <p><a href="/admin/alerts">Back to Alerts</a></p>`;
}
