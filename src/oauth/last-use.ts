/**
 * @module When a connected client last used the gateway, per grant. The OAuth
 * provider records when a grant was made, not when its tokens are used, so
 * the MCP endpoint notes it here: `used:<userId>:<grantId>` in the tenant's
 * KV view, holding epoch milliseconds.
 *
 * Cheap on purpose: each isolate writes a grant's key at most once an hour
 * (it remembers what it wrote), so "last use" is true to within an hour and
 * a busy client costs one KV write an hour, not one per request. The key
 * expires with the longest a grant can live, and is deleted with the grant
 * when an admin revokes it; a tenant's deletion removes it with every other
 * key under the tenant's prefix. A grant the provider ends on its own (a
 * client signing in again replaces its grant, a dead Microsoft sign-in)
 * leaves its record to expire: it names a grant id nothing can reach.
 */

/** How stale a recorded last use may be: one write per grant per isolate in this time. */
export const LAST_USE_RESOLUTION_MS = 60 * 60 * 1000;

/** Kept as long as a grant can live (the provider's refresh-token TTL, 90 days). */
const LAST_USE_TTL_SECONDS = 90 * 24 * 60 * 60;

/** How many grants an isolate remembers writing for; past that the oldest is forgotten (and may be written again early). */
const MAX_REMEMBERED = 5_000;

const written = new Map<string, number>();

/** The key in the tenant's KV view. User and grant ids never hold a `:` (the provider splits its tokens on it). */
export function lastUseKey(userId: string, grantId: string): string {
  return `used:${userId}:${grantId}`;
}

/**
 * Notes that the grant was used now, unless this isolate already did within
 * the hour. `kv` is the tenant's view, so `tenantId` only keeps the
 * isolate's memory of one tenant's grants apart from another's. A failed
 * write is not retried within the hour and never fails the request.
 */
export async function recordLastUse(kv: KVNamespace, tenantId: string, userId: string, grantId: string, now = Date.now()): Promise<void> {
  const memoryKey = `${tenantId}:${userId}:${grantId}`;
  const last = written.get(memoryKey);
  if (last !== undefined && now - last < LAST_USE_RESOLUTION_MS) return;
  written.delete(memoryKey);
  if (written.size >= MAX_REMEMBERED) {
    const oldest = written.keys().next();
    if (!oldest.done) written.delete(oldest.value);
  }
  written.set(memoryKey, now);
  await kv.put(lastUseKey(userId, grantId), String(now), { expirationTtl: LAST_USE_TTL_SECONDS });
}

/** When the grant was last used, to within an hour, or undefined when it never was since this was recorded. */
export async function readLastUse(kv: KVNamespace, userId: string, grantId: string): Promise<Date | undefined> {
  const stored = await kv.get(lastUseKey(userId, grantId));
  const ms = stored === null ? Number.NaN : Number(stored);
  return Number.isSafeInteger(ms) ? new Date(ms) : undefined;
}

/** Drops the record with its grant, and this isolate's memory of it, so a new grant with a reused id could never inherit it. */
export async function forgetLastUse(kv: KVNamespace, tenantId: string, userId: string, grantId: string): Promise<void> {
  written.delete(`${tenantId}:${userId}:${grantId}`);
  await kv.delete(lastUseKey(userId, grantId));
}

/**
 * The user and grant an access token names: the provider's tokens read
 * `<userId>:<grantId>:<secret>`. Only called after the provider accepted
 * the token, so the parts are the provider's own.
 */
export function grantOfBearer(authorization: string | null): { userId: string; grantId: string } | undefined {
  const match = /^Bearer\s+([^:\s]+):([^:\s]+):\S+$/i.exec(authorization ?? "");
  return match?.[1] && match[2] ? { userId: match[1], grantId: match[2] } : undefined;
}
