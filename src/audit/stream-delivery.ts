import { GATEWAY_VERSION } from "../env";
import { bytesToHex, utf8 } from "../lib/encoding";

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
 * an attempt gives up after 10 s.
 */

export const STREAM_TIMEOUT_MS = 10_000;
export const SIGNATURE_VERSION = "v1";

export interface StreamDelivery {
  url: string;
  /** The stream secret, as shown to the org admin. */
  secret: string;
  /** NDJSON, one event per line. */
  body: string;
  batchId: string;
  eventCount: number;
}

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; status: number | null; reason: string };

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export async function streamSignature(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, utf8(`${timestamp}.${body}`));
  return `${SIGNATURE_VERSION}=${bytesToHex(new Uint8Array(mac))}`;
}

/** A batch's id from its stored object's key: stable across attempts, and reveals nothing beyond what the events say. */
export async function streamBatchId(objectKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(`audit-stream-batch|${objectKey}`));
  return bytesToHex(new Uint8Array(digest)).slice(0, 32);
}

/** Signs and sends one batch; never throws, and never reads more of the answer than its status. */
export async function deliverBatch(delivery: StreamDelivery, now: Date = new Date()): Promise<DeliveryOutcome> {
  const timestamp = Math.floor(now.getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(delivery.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(STREAM_TIMEOUT_MS),
      headers: {
        "content-type": "application/x-ndjson",
        "user-agent": `m365-mcp-gateway-audit-stream/${GATEWAY_VERSION}`,
        "x-audit-timestamp": String(timestamp),
        "x-audit-signature": await streamSignature(delivery.secret, timestamp, delivery.body),
        "x-audit-batch-id": delivery.batchId,
        "x-audit-event-count": String(delivery.eventCount),
      },
      body: delivery.body,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, status: null, reason: timedOut ? "no answer within 10 seconds" : "the endpoint could not be reached" };
  }
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const reason =
    response.status >= 300 && response.status < 400 ? "it answered with a redirect, which is not followed" : "it did not answer 2xx";
  return { ok: false, status: response.status, reason };
}
