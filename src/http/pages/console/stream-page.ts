import { html } from "hono/html";
import { csrfField } from "./layout";
import { copyable, fieldError, invalidAttributes, timeOf } from "./parts";

/**
 * @module The console's Streaming page: where the org's audit trail is
 * streamed (its SIEM endpoint), whether deliveries are failing, and the
 * forms to set the endpoint, send a test batch, rotate the signing secret
 * and stop; and the page that shows a new secret once.
 */

export interface StreamPageInput {
  csrfToken: string;
  url: string | null;
  failingSince: Date | null;
  /** The outcome of a test batch just sent, in words. */
  testResult?: { delivered: boolean; text: string };
  errors: { url?: string };
  /** The value to show back in the URL field after a refused change. */
  typedUrl?: string;
  flash: unknown;
}

function currentSection(input: StreamPageInput) {
  if (!input.url) {
    return html`<p>The audit trail is not streamed. Set an HTTPS endpoint of your SIEM or log collector below to receive it.</p>`;
  }
  return html`<p>Audit events are streamed to <code>${input.url}</code>.</p>
    ${
      input.failingSince
        ? html`<p class="warning">
            Deliveries to this endpoint have been failing since ${timeOf(input.failingSince)}. Check the endpoint, then send a test batch.
            Events are kept in the trail meanwhile.
          </p>`
        : ""
    }
    ${input.testResult ? html`<p class="${input.testResult.delivered ? "console-flash" : "warning"}" role="status">${input.testResult.text}</p>` : ""}
    <form method="post" action="/admin/streaming/test" class="console-form" data-busy="Sending…">
      ${csrfField(input.csrfToken)}
      <button type="submit">Send a test batch</button>
    </form>
    <h2>Signing secret</h2>
    <p>Every batch is signed with a secret shown only when it is made. A new secret replaces the current one at once.</p>
    <form method="post" action="/admin/streaming/secret" class="console-form">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">Make a new secret</button>
    </form>
    <h2>Stop streaming</h2>
    <form method="post" action="/admin/streaming/delete" class="console-form">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">Stop streaming</button>
    </form>`;
}

export function streamBody(input: StreamPageInput) {
  const { errors } = input;
  return html`<h1>Streaming</h1>
    ${input.flash} ${currentSection(input)}
    <h2>${input.url ? "Change the endpoint" : "Set the endpoint"}</h2>
    <p>
      The gateway POSTs batches of events as NDJSON, signed with HMAC-SHA256 (headers <code>X-Audit-Timestamp</code>,
      <code>X-Audit-Signature</code>, <code>X-Audit-Batch-Id</code>), and retries with backoff when the endpoint does not answer 2xx. The
      gateway's README ("Streaming the audit trail") shows how to verify a batch.
    </p>
    <form method="post" action="/admin/streaming" class="console-form" data-busy="Saving…">
      ${csrfField(input.csrfToken)}
      <label for="stream-url">Endpoint URL <span class="hint">(https, a public host name)</span></label>
      <input
        type="url"
        id="stream-url"
        name="url"
        required
        autocomplete="off"
        inputmode="url"
        value="${input.typedUrl ?? input.url ?? ""}"
        ${invalidAttributes("stream-url", errors.url)}
      />
      ${fieldError("stream-url", errors.url)}
      <button type="submit">Save and make a secret</button>
    </form>`;
}

export function streamSecretBody(url: string, secret: string) {
  return html`<h1>Stream signing secret</h1>
    <p class="warning">
      Shown only once. Batches to <code>${url}</code> are signed with it from now on; store it where your receiver checks signatures.
    </p>
    ${copyable("stream-secret", secret, "secret")}
    <p><a href="#" data-download="audit-stream-secret.txt" data-from="stream-secret" hidden>Download as a file</a></p>
    <p><a href="/admin/streaming">Back to Streaming</a></p>`;
}
