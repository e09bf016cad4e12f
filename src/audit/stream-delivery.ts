import { bytesToHex, utf8 } from "../lib/encoding";
import { signatureOf, signedPost, type DeliveryOutcome } from "./signed-post";

/**
 * @module One signed POST of audit events to an organization's SIEM endpoint.
 *
 * The request (README, "Streaming the audit trail"):
 * - body: NDJSON (`application/x-ndjson`), one audit event per line, in the
 *   order they were stored; not compressed, so the signed bytes are the
 *   bytes any HTTP stack hands the receiver;
 * - `X-Audit-Timestamp`: Unix seconds when this attempt was signed;
 * - `X-Audit-Signature`: `v1=` + hex HMAC-SHA256, keyed with the stream
 *   secret's text (UTF-8), over `<timestamp>.<body>`;
 * - `X-Audit-Batch-Id`: the same for every attempt of one batch (derived
 *   from its stored object), so a receiver that answered 2xx to a response
 *   the gateway never got can drop the repeat.
 * Any 2xx is success; a redirect is not followed (it counts as a failure);
 * an attempt gives up after 10 s (signed-post.ts, shared with the alert notices).
 */

export { SIGNATURE_VERSION, type DeliveryOutcome } from "./signed-post";

export interface StreamDelivery {
  url: string;
  /** The stream secret, as shown to the org admin. */
  secret: string;
  /** NDJSON, one event per line. */
  body: string;
  batchId: string;
  eventCount: number;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, as every signed delivery (signed-post.ts). */
export const streamSignature = signatureOf;

/** A batch's id from its stored object's key: stable across attempts, and reveals nothing beyond what the events say. */
export async function streamBatchId(objectKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(`audit-stream-batch|${objectKey}`));
  return bytesToHex(new Uint8Array(digest)).slice(0, 32);
}

/** Signs and sends one batch; never throws, and never reads more of the answer than its status. */
export function deliverBatch(delivery: StreamDelivery, now: Date = new Date()): Promise<DeliveryOutcome> {
  return signedPost(
    {
      url: delivery.url,
      secret: delivery.secret,
      body: delivery.body,
      contentType: "application/x-ndjson",
      userAgent: "m365-mcp-gateway-audit-stream",
      timestampHeader: "x-audit-timestamp",
      signatureHeader: "x-audit-signature",
      headers: { "x-audit-batch-id": delivery.batchId, "x-audit-event-count": String(delivery.eventCount) },
    },
    now,
  );
}
