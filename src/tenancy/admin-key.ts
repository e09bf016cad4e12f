import { bytesToBase64Url, bytesToHex, randomBytes, utf8 } from "../lib/encoding";

/**
 * @module Tenant admin keys: 256 random bits, shown once, stored as SHA-256. A fast
 * hash is enough because the key is random, not a password.
 */

const KEY_PREFIX = "m365gw_admin_";

export function generateAdminKey(): string {
  return KEY_PREFIX + bytesToBase64Url(randomBytes(32));
}

export async function hashAdminKey(key: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(key))));
}

/** Compares a presented bearer value with a stored hash in constant time. */
export async function adminKeyMatches(presented: string, storedHash: string): Promise<boolean> {
  const presentedHash = utf8(await hashAdminKey(presented));
  const expected = utf8(storedHash);
  return presentedHash.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(presentedHash, expected);
}

/** Same comparison for the operator token, which is configured in clear. */
export async function secretsMatch(presented: string, configured: string): Promise<boolean> {
  return adminKeyMatches(presented, await hashAdminKey(configured));
}
