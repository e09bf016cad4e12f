import { z } from "zod";
import { base64ToBytes, bytesToBase64Url, utf8 } from "../lib/encoding";

/**
 * @module The audit trail's paging cursor. It names a place in one tenant's
 * stored trail (a key relative to `audit/v1/<tenantId>/`, and how many events
 * of that object were already handed out) and carries an HMAC-SHA-256 over
 * the tenant id and that place, under a key derived with HKDF from
 * CURSOR_SECRET. A client can neither forge one nor use one tenant's cursor
 * on another: the tenant is never read from the cursor, and the place must
 * have the trail's key shape, so it can only ever name a key under the
 * requesting tenant's own prefix.
 */

export class TrailCursorError extends Error {
  override name = "TrailCursorError";
}

/**
 * A place in the trail, walking newest first: every key (relative to the
 * tenant's prefix) at or below `at`, skipping the first `skip` events (newest
 * first) of the object whose key is exactly `at`.
 */
export interface TrailPosition {
  at: string;
  skip: number;
}

/** `D/` (before day D), `D/~` (all of day D), `D/HH/`, `D/HH/~`, or one object's key. */
export const POSITION_PATTERN = /^\d{4}-\d{2}-\d{2}\/(~|\d{2}\/(~|\d{12}-\d{12}\.ndjson\.gz)?)?$/;

const PositionSchema = z.strictObject({
  a: z.string().max(64).regex(POSITION_PATTERN),
  s: z.number().int().min(0).max(1_000_000),
});

const HKDF_INFO = utf8("m365-mcp-gateway audit trail cursor v1");
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for cursors, derived once per isolate and secret; a different info than the tools' cursors. */
function macKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", utf8(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: HKDF_INFO },
          material,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign", "verify"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

function signedText(tenantId: string, payload: string): Uint8Array<ArrayBuffer> {
  return utf8(`${tenantId}\n${payload}`);
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  try {
    return base64ToBytes(padded);
  } catch {
    return undefined;
  }
}

export async function sealTrailCursor(secret: string, tenantId: string, position: TrailPosition): Promise<string> {
  const payload = bytesToBase64Url(utf8(JSON.stringify({ a: position.at, s: position.skip })));
  const mac = await crypto.subtle.sign("HMAC", await macKey(secret), signedText(tenantId, payload));
  return `${payload}.${bytesToBase64Url(new Uint8Array(mac))}`;
}

/** The place a cursor names, after checking it was issued for this tenant; anything else is a TrailCursorError. */
export async function openTrailCursor(secret: string, tenantId: string, cursor: string): Promise<TrailPosition> {
  const refused = new TrailCursorError("expected the nextCursor of a previous page of this organization's audit trail");
  const [payload, mac, extra] = cursor.split(".");
  const macBytes = mac === undefined ? undefined : base64UrlToBytes(mac);
  if (payload === undefined || !macBytes || extra !== undefined) throw refused;
  const valid = await crypto.subtle.verify("HMAC", await macKey(secret), macBytes, signedText(tenantId, payload));
  if (!valid) throw refused;
  const bytes = base64UrlToBytes(payload);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refused;
  }
  const parsed = PositionSchema.safeParse(value);
  if (!parsed.success) throw refused;
  return { at: parsed.data.a, skip: parsed.data.s };
}
