import { html } from "hono/html";
import { currentEndpoint, endpointForm, secretOnceBody, type SignedEndpointWords } from "./signed-endpoint";

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

const STREAM: SignedEndpointWords = {
  action: "/admin/streaming",
  prefix: "stream",
  urlLabel: "Endpoint URL",
  delivery: "batch",
  endpoint: "endpoint",
  heading: "h2",
  unset: html`<p>The audit trail is not streamed. Set an HTTPS endpoint of your SIEM or log collector below to receive it.</p>`,
  set: (url) => html`<p>Audit events are streamed to <code>${url}</code>.</p>`,
  failing: "Deliveries to this endpoint",
  failingAfter: "Events are kept in the trail meanwhile.",
  remove: "Stop streaming",
};

export function streamBody(input: StreamPageInput) {
  const state = { ...input, error: input.errors.url };
  return html`<h1>Streaming</h1>
    ${input.flash} ${currentEndpoint(STREAM, state)}
    ${endpointForm(
      STREAM,
      state,
      html`<p>
        The gateway POSTs batches of events as NDJSON, signed with HMAC-SHA256 (headers <code>X-Audit-Timestamp</code>,
        <code>X-Audit-Signature</code>, <code>X-Audit-Batch-Id</code>), and retries with backoff when the endpoint does not answer 2xx. The
        gateway's README ("Streaming the audit trail") shows how to verify a batch.
      </p>`,
    )}`;
}

export function streamSecretBody(url: string, secret: string) {
  return secretOnceBody(
    {
      title: "Stream signing secret",
      prefix: "stream",
      what: "Batches",
      file: "audit-stream-secret.txt",
      back: { href: "/admin/streaming", text: "Back to Streaming" },
    },
    url,
    secret,
  );
}
