import { EncryptJWT, errors, jwtDecrypt } from "jose";
import { z } from "zod";
import { bytesToBase64Url } from "../lib/encoding";
import { assertGraphPath } from "./path";

/**
 * @module Paging cursors. A list tool hands Graph's `@odata.nextLink` back to the
 * caller as a cursor; the next call follows it. The cursor is a compact JWE
 * (`dir`, A256GCM) under a key derived with HKDF from CURSOR_SECRET, so the
 * caller can neither read nor edit it, and it is bound to the tenant, the
 * user, the tool and the listing it came from: a cursor is opened only by
 * the same call that issued it, and only ever names a path Graph itself gave.
 */

export class CursorError extends Error {
  override name = "CursorError";
}

/** Graph's own skip tokens expire; a day is longer than any conversation needs one. */
const CURSOR_LIFETIME = "24h";
const HKDF_INFO = new TextEncoder().encode("m365-mcp-gateway paging cursor v1");

/** Who may open a cursor: the tenant and the user (`<tid>.<oid>`) it was issued to. */
export interface CursorOwner {
  tenantId: string;
  user: string;
}

/** Which listing a cursor continues: the tool and a key naming the listing's first page. */
export interface CursorListing {
  tool: string;
  listing: string;
}

export interface CursorSealer {
  /** The cursor for Graph's next link, or undefined when the link is not one to follow. */
  seal(listing: CursorListing, nextLink: string): Promise<string | undefined>;
  /** Graph's next page as a path and query, after checking the cursor was issued for this call. */
  open(listing: CursorListing, cursor: string): Promise<{ path: string; query: Record<string, string> }>;
}

const keys = new Map<string, Promise<Uint8Array>>();

/** A 256-bit key from the secret (HKDF-SHA-256), derived once per isolate. */
function cursorKey(secret: string): Promise<Uint8Array> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveBits"])
      .then((material) =>
        crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: HKDF_INFO }, material, 256),
      )
      .then((bits) => new Uint8Array(bits));
    keys.set(secret, key);
  }
  return key;
}

// oxlint-disable-next-line no-control-regex -- a next link with control characters is refused, so they must be matched
const UNSAFE = /[\u0000-\u001f\u007f\\#]/;

/**
 * The part of Graph's next link after `/v1.0`, if the link starts with the
 * configured Graph base and `/v1.0/` (as written, so no userinfo or other
 * trick can stand in for the host), and is free of control characters,
 * backslashes, fragments and dot segments (plain or percent-encoded).
 */
export function nextLinkTail(nextLink: string, graphBase: string): string | undefined {
  const prefix = `${graphBase}/v1.0/`;
  if (UNSAFE.test(nextLink) || !nextLink.startsWith(prefix) || !URL.canParse(nextLink)) return undefined;
  const tail = nextLink.slice(prefix.length - 1);
  const path = tail.split("?")[0] ?? "";
  try {
    assertGraphPath(path);
  } catch {
    return undefined;
  }
  return tail;
}

const PayloadSchema = z.object({ o: z.string(), s: z.string(), n: z.string().startsWith("/") });

/**
 * A short digest naming a binding inside the sealed payload: the payload is
 * authenticated, so 64 bits only need to tell bindings apart, and every
 * character of a cursor is paid for in tokens.
 */
async function tag(...parts: string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(parts)));
  return bytesToBase64Url(new Uint8Array(digest).slice(0, 8));
}

export function cursorSealer(secret: string, owner: CursorOwner, graphBase: string): CursorSealer {
  return {
    async seal({ tool, listing }, nextLink) {
      const tail = nextLinkTail(nextLink, graphBase);
      if (!tail) return undefined;
      return new EncryptJWT({ o: await tag(owner.tenantId, owner.user), s: await tag(tool, listing), n: tail })
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .setExpirationTime(CURSOR_LIFETIME)
        .encrypt(await cursorKey(secret));
    },
    async open({ tool, listing }, cursor) {
      let payload: unknown;
      try {
        ({ payload } = await jwtDecrypt(cursor, await cursorKey(secret), {
          keyManagementAlgorithms: ["dir"],
          contentEncryptionAlgorithms: ["A256GCM"],
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new CursorError("this cursor has expired; list again from the first page");
        throw new CursorError("cursor is not one this server issued");
      }
      const parsed = PayloadSchema.safeParse(payload);
      if (!parsed.success) throw new CursorError("cursor is not one this server issued");
      const sealed = parsed.data;
      if (sealed.o !== (await tag(owner.tenantId, owner.user))) throw new CursorError("cursor was not issued for you");
      if (sealed.s !== (await tag(tool, listing))) throw new CursorError("cursor belongs to another listing");
      const [path = "", search = ""] = sealed.n.split(/\?(.*)/s);
      // Checked again on the way out, so a key change or a bug in seal cannot widen what a cursor reaches.
      try {
        assertGraphPath(path);
      } catch {
        throw new CursorError("cursor is not one this server issued");
      }
      return { path, query: Object.fromEntries(new URLSearchParams(search)) };
    },
  };
}
