/**
 * Verifying a batch of the gateway's audit stream (or one of its alert notices), for a receiver written in
 * TypeScript or JavaScript (Node 20+, Deno, Bun, Cloudflare Workers: it uses
 * only the standard Web Crypto API). The gateway's tests run this file
 * against real signed deliveries.
 *
 * Usage in a receiver, with the raw body exactly as received (before any JSON
 * parsing):
 *
 *   const verdict = await verifyAuditBatch({
 *     secret: process.env.AUDIT_STREAM_SECRET,
 *     body: rawBody,
 *     timestamp: request.headers.get("x-audit-timestamp"),
 *     signature: request.headers.get("x-audit-signature"),
 *   });
 *   if (!verdict.ok) return new Response(verdict.reason, { status: 401 });
 *   // Then drop a batch whose X-Audit-Batch-Id you already stored, and store the rest.
 *
 * Alert notices (README, "Alert notices") are signed the same way: pass
 * their `X-Notice-Timestamp` and `X-Notice-Signature` headers and the
 * notices' secret, then drop a notice whose `X-Notice-Id` you already have.
 */

/** Batches signed longer ago than this are refused as possible replays. */
export const MAX_AGE_SECONDS = 5 * 60;

export interface AuditBatch {
  /** The stream secret the gateway showed when the endpoint was set. */
  secret: string;
  /** The request body, unparsed. */
  body: string;
  /** The `X-Audit-Timestamp` header. */
  timestamp: string | null;
  /** The `X-Audit-Signature` header: `v1=<hex>`. */
  signature: string | null;
  /** Now, in Unix seconds (for tests); the clock by default. */
  now?: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export async function verifyAuditBatch(batch: AuditBatch): Promise<Verdict> {
  const timestamp = Number(batch.timestamp);
  if (!batch.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: "missing or malformed X-Audit-Timestamp" };
  const now = batch.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > MAX_AGE_SECONDS) return { ok: false, reason: "timestamp outside the 5-minute window (replay?)" };

  const mac = batch.signature?.startsWith("v1=") ? hexToBytes(batch.signature.slice(3)) : undefined;
  if (!mac) return { ok: false, reason: "missing or malformed X-Audit-Signature" };

  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(batch.secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify("HMAC", key, mac, encoder.encode(`${batch.timestamp}.${batch.body}`));
  return valid ? { ok: true } : { ok: false, reason: "signature does not match" };
}
