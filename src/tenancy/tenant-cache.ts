import type { Tenant } from "./tenant";

/**
 * @module Per-isolate cache of tenant lookups by slug. A change made through this
 * isolate (suspend, policy, delete) invalidates at once; other isolates see it
 * within the TTL, which bounds how long a suspended tenant keeps working.
 */

interface Entry {
  tenant: Tenant | undefined;
  expiresAt: number;
}

const MAX_ENTRIES = 5_000;
/** Unknown slugs are remembered briefly, so a flood of bad hosts spares D1. */
const NEGATIVE_TTL_MS = 5_000;

export class TenantCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  async get(slug: string, load: (slug: string) => Promise<Tenant | undefined>, now = Date.now()) {
    const hit = this.#entries.get(slug);
    if (hit && hit.expiresAt > now) return hit.tenant;
    const tenant = await load(slug);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    const ttl = tenant ? this.ttlMs : Math.min(this.ttlMs, NEGATIVE_TTL_MS);
    this.#entries.set(slug, { tenant, expiresAt: now + ttl });
    return tenant;
  }

  invalidate(slug: string): void {
    this.#entries.delete(slug);
  }
}

let shared: TenantCache | undefined;

export function sharedTenantCache(ttlSeconds: number): TenantCache {
  shared ??= new TenantCache(ttlSeconds * 1000);
  return shared;
}
