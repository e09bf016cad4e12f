import { z } from "zod";
import { bytesToBase64Url, bytesToHex, randomBytes, utf8 } from "../../lib/encoding";
import { tenantKvView } from "../../tenancy/tenant-kv";
import type { ConsoleAdmin } from "./context";

/**
 * @module The admin console's session and pending sign-ins, kept server-side
 * in the tenant's own KV prefix (so a session made on one org's host is
 * unknown on every other), addressed by the SHA-256 of a random value that
 * only the browser's `__Host-` cookie holds. CSRF tokens are an HMAC of the
 * session id under a secret of the session's own.
 */

export const SESSION_COOKIE = "__Host-console-session";
export const SIGN_IN_COOKIE = "__Host-console-sign-in";
/** One hour, absolute: a console session is short-lived and never extended. */
export const SESSION_SECONDS = 3600;
/** As long as Entra's sign-in page may reasonably take. */
export const SIGN_IN_SECONDS = 600;
/** Both console cookies: host-only (`__Host-`), HTTPS only, never read by scripts, sent on top-level navigations back from Microsoft. */
export const COOKIE_OPTIONS = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" } as const;
/** The prefix of the console's `state`, told apart from a user sign-in's at /callback. */
export const CONSOLE_STATE_PREFIX = "console.";

const SessionRecord = z.object({
  userId: z.string(),
  upn: z.string(),
  name: z.string(),
  via: z.enum(["listed", "entra-role"]),
  createdAt: z.number(),
  csrfSecret: z.string(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;

const PendingSignIn = z.object({
  verifier: z.string(),
  nonce: z.string(),
  returnTo: z.string(),
  browserHash: z.string(),
});
export type PendingSignIn = z.infer<typeof PendingSignIn>;

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text))));
}

export function randomToken(bytes = 32): string {
  return bytesToBase64Url(randomBytes(bytes));
}

const sessionKey = async (id: string) => `console-session:${await sha256Hex(id)}`;
const signInKey = async (state: string) => `console-sign-in:${await sha256Hex(state)}`;

/** A new session for an admitted admin; the id goes only into the cookie. */
export async function createSession(kv: KVNamespace, tenantId: string, admin: ConsoleAdmin): Promise<string> {
  const id = randomToken();
  const record: SessionRecord = { ...admin, createdAt: Date.now(), csrfSecret: randomToken() };
  await tenantKvView(kv, tenantId).put(await sessionKey(id), JSON.stringify(record), { expirationTtl: SESSION_SECONDS });
  return id;
}

/** The session the cookie names, if it exists on this tenant and is younger than its lifetime. */
export async function readSession(kv: KVNamespace, tenantId: string, id: string): Promise<SessionRecord | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const stored = await tenantKvView(kv, tenantId).get(await sessionKey(id), "json");
  const parsed = SessionRecord.safeParse(stored);
  if (!parsed.success) return undefined;
  // KV's TTL is a floor on deletion, not a promise: the age is checked here too.
  if (Date.now() - parsed.data.createdAt >= SESSION_SECONDS * 1000) return undefined;
  return parsed.data;
}

export async function deleteSession(kv: KVNamespace, tenantId: string, id: string): Promise<void> {
  await tenantKvView(kv, tenantId).delete(await sessionKey(id));
}

/** The synchronizer token of a session: HMAC-SHA256 of its id under its own secret. */
export async function csrfTokenFor(sessionId: string, csrfSecret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(csrfSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(sessionId))));
}

/** Compares a sent CSRF token with the expected one in constant time. */
export async function csrfMatches(sent: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(sent), sha256Hex(expected)]);
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/** Stores a pending console sign-in under its `state`; `browser` is the random value of the browser's cookie. */
export async function savePendingSignIn(
  kv: KVNamespace,
  tenantId: string,
  state: string,
  pending: Omit<PendingSignIn, "browserHash">,
  browser: string,
): Promise<void> {
  const record: PendingSignIn = { ...pending, browserHash: await sha256Hex(browser) };
  await tenantKvView(kv, tenantId).put(await signInKey(state), JSON.stringify(record), { expirationTtl: SIGN_IN_SECONDS });
}

/**
 * Takes (reads and deletes: single use) the pending sign-in of this `state`,
 * only if this browser's cookie is the one it was started with.
 */
export async function takePendingSignIn(
  kv: KVNamespace,
  tenantId: string,
  state: string,
  browser: string | undefined,
): Promise<PendingSignIn | undefined> {
  const view = tenantKvView(kv, tenantId);
  const key = await signInKey(state);
  const parsed = PendingSignIn.safeParse(await view.get(key, "json"));
  if (!parsed.success) return undefined;
  await view.delete(key);
  if (!browser || !(await csrfMatches(await sha256Hex(browser), parsed.data.browserHash))) return undefined;
  return parsed.data;
}

/** Only console paths may be returned to after sign-in: never another host or a path outside /admin. */
export function safeReturnPath(path: string | undefined): string {
  if (!path || !/^\/admin(\/[A-Za-z0-9/_-]*)?$/.test(path)) return "/admin";
  return path;
}
