import { GATEWAY_VERSION } from "../env";
import { bytesToHex, utf8 } from "../lib/encoding";

/**
 * @module One signed POST to an organization's own endpoint: the audit
 * stream's batches (stream-delivery.ts) and the alert notices (notices.ts)
 * share it, so a receiver checks both with the same code
 * (docs/verify-audit-signature.ts).
 *
 * The signature is `v1=` + hex HMAC-SHA256, keyed with the secret's text
 * (UTF-8), over `<timestamp>.<body>`, the timestamp being Unix seconds when
 * this attempt was signed; each kind of delivery names its own headers for
 * the two. Any 2xx is success; a redirect is not followed (it counts as a
 * failure); an attempt gives up after 10 s; nothing of the answer but its
 * status is read.
 */

export const SIGNED_POST_TIMEOUT_MS = 10_000;
export const SIGNATURE_VERSION = "v1";

export type DeliveryOutcome = { ok: true; status: number } | { ok: false; status: number | null; reason: string };

export interface SignedPost {
  url: string;
  /** The signing secret, as shown to the org admin. */
  secret: string;
  body: string;
  contentType: string;
  /** e.g. `m365-mcp-gateway-audit-stream`; the gateway's version is appended. */
  userAgent: string;
  /** The names of the timestamp and signature headers. */
  timestampHeader: string;
  signatureHeader: string;
  /** Further headers, such as the delivery's stable id. */
  headers?: Record<string, string>;
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export async function signatureOf(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, utf8(`${timestamp}.${body}`));
  return `${SIGNATURE_VERSION}=${bytesToHex(new Uint8Array(mac))}`;
}

/** Signs and sends one body; never throws, and never reads more of the answer than its status. */
export async function signedPost(post: SignedPost, now: Date = new Date()): Promise<DeliveryOutcome> {
  const timestamp = Math.floor(now.getTime() / 1000);
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(SIGNED_POST_TIMEOUT_MS),
      headers: {
        ...post.headers,
        "content-type": post.contentType,
        "user-agent": `${post.userAgent}/${GATEWAY_VERSION}`,
        [post.timestampHeader]: String(timestamp),
        [post.signatureHeader]: await signatureOf(post.secret, timestamp, post.body),
      },
      body: post.body,
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
