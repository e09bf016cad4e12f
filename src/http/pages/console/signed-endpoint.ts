import { html } from "hono/html";
import { csrfField } from "./layout";
import { copyable, fieldError, invalidAttributes, timeOf } from "./parts";

/**
 * @module The console's settings for an HTTPS endpoint the gateway POSTs
 * signed deliveries to (the audit stream's SIEM endpoint, the alert notices'
 * webhook): what is set and whether deliveries fail, the forms to send a
 * test, make a new signing secret, remove it and set or change the URL, and
 * the page that shows a new secret once. Each page gives its own words and
 * form actions; the structure and the forms' behaviour are the same.
 */

export interface SignedEndpointWords {
  /** Base path of the forms: `<base>` sets the URL, `<base>/test`, `<base>/secret`, `<base>/delete`. */
  action: string;
  /** Prefix of the ids: the URL field is `<prefix>-url`, a new secret `<prefix>-secret`. */
  prefix: string;
  /** "Endpoint URL", "Webhook URL". */
  urlLabel: string;
  /** Names a delivery: "batch", "notice". */
  delivery: string;
  /** Names the endpoint: "endpoint", "webhook". */
  endpoint: string;
  /** Heading level of the sections: the Alerts page nests them under its own section. */
  heading: "h2" | "h3";
  /** What is said when nothing is set, and what when a URL is. */
  unset: unknown;
  set(url: string): unknown;
  /** The failing warning's subject, plural: "Deliveries to this endpoint", "Notices to this webhook". */
  failing: string;
  /** Said after the failing warning, if anything. */
  failingAfter?: string;
  /** The remove form's words: "Stop streaming", "Remove the webhook". */
  remove: string;
}

export interface SignedEndpointState {
  csrfToken: string;
  url: string | null;
  failingSince: Date | null;
  /** The outcome of a test just sent, in words. */
  testResult?: { delivered: boolean; text: string };
  error?: string;
  /** The value to show back in the URL field after a refused change. */
  typedUrl?: string;
}

function heading(level: SignedEndpointWords["heading"], text: string) {
  return level === "h2" ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`;
}

/** What is set now, with the test, new-secret and remove forms. */
export function currentEndpoint(words: SignedEndpointWords, state: SignedEndpointState) {
  if (!state.url) return words.unset;
  return html`${words.set(state.url)}
    ${
      state.failingSince
        ? html`<p class="warning">
            ${words.failing} have been failing since ${timeOf(state.failingSince)}. Check the endpoint, then send a test
            ${words.delivery}.${words.failingAfter ? ` ${words.failingAfter}` : ""}
          </p>`
        : ""
    }
    ${state.testResult ? html`<p class="${state.testResult.delivered ? "console-flash" : "warning"}" role="status">${state.testResult.text}</p>` : ""}
    <form method="post" action="${words.action}/test" class="console-form" data-busy="Sending…">
      ${csrfField(state.csrfToken)}
      <button type="submit">Send a test ${words.delivery}</button>
    </form>
    ${heading(words.heading, "Signing secret")}
    <p>Every ${words.delivery} is signed with a secret shown only when it is made. A new secret replaces the current one at once.</p>
    <form method="post" action="${words.action}/secret" class="console-form" data-busy="Making a secret…">
      ${csrfField(state.csrfToken)}
      <button type="submit" class="secondary">Make a new secret</button>
    </form>
    ${heading(words.heading, words.remove)}
    <form method="post" action="${words.action}/delete" class="console-form" data-busy="Removing…">
      ${csrfField(state.csrfToken)}
      <button type="submit" class="secondary">${words.remove}</button>
    </form>`;
}

/** The form that sets or changes the URL, with its error at the field; `intro` goes between its heading and the form. */
export function endpointForm(words: SignedEndpointWords, state: SignedEndpointState, intro: unknown = "") {
  const fieldId = `${words.prefix}-url`;
  return html`${heading(words.heading, `${state.url ? "Change" : "Set"} the ${words.endpoint}`)} ${intro}
    <form method="post" action="${words.action}" class="console-form" data-busy="Saving…">
      ${csrfField(state.csrfToken)}
      <label for="${fieldId}">${words.urlLabel} <span class="hint">(https, a public host name)</span></label>
      <input
        type="url"
        id="${fieldId}"
        name="url"
        required
        autocomplete="off"
        inputmode="url"
        value="${state.typedUrl ?? state.url ?? ""}"
        ${invalidAttributes(fieldId, state.error)}
      />
      ${fieldError(fieldId, state.error)}
      <button type="submit">Save and make a secret</button>
    </form>`;
}

/** The page that shows a new signing secret once. */
export function secretOnceBody(
  page: { title: string; prefix: string; what: string; file: string; back: { href: string; text: string } },
  url: string,
  secret: string,
) {
  return html`<h1>${page.title}</h1>
    <p class="warning">
      Shown only once. ${page.what} to <code>${url}</code> are signed with it from now on; store it where your receiver checks signatures.
    </p>
    ${copyable(`${page.prefix}-secret`, secret, "secret")}
    <p><a href="#" data-download="${page.file}" data-from="${page.prefix}-secret" hidden>Download as a file</a></p>
    <p><a href="${page.back.href}">${page.back.text}</a></p>`;
}
