/**
 * @module Per-isolate copies of the OAuth provider's token records, the KV values
 * under `t:<tenantId>:token:<userId>:<grantId>:<tokenId>`.
 *
 * Why: every MCP request begins by reading its access token's record, a KV
 * round trip before any other work, and an agent's tool calls come in bursts
 * with the same token. The provider writes a token record once and never
 * changes it; it only deletes it (token or grant revocation, a replayed
 * code, a dead Microsoft grant, tenant deletion). So a copy can be wrong in
 * one way only: by outliving a delete made in another isolate. The TTL bounds
 * that, as TENANT_CACHE_TTL_SECONDS bounds a suspension; KV itself may keep
 * serving a deleted key at other locations for 60 s or more (Cloudflare's
 * "How KV works"). A delete made
 * through this isolate evicts at once, and a read that raced it is not kept.
 * Misses are never remembered: a token issued a moment ago in another isolate
 * works here on its first request.
 *
 * Keys are the full tenant-prefixed KV keys, so one tenant's entries can never
 * answer another's read. A deleted tenant's entries are not swept: its id is
 * never reused and its host is unknown at once in the isolate that deleted
 * it, so they are unreachable and age out within the TTL.
 */

const MAX_ENTRIES = 2_000;
const TOKEN_RECORD = "token:";

interface Entry {
  text: string;
  expiresAt: number;
}

export function isTokenRecordKey(key: string): boolean {
  return key.startsWith(TOKEN_RECORD);
}

export class TokenRecordCache {
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every eviction, so a read that started before one cannot store what it found. */
  #evictions = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.clock()) return entry.text;
    this.#entries.delete(key);
    return undefined;
  }

  /** A marker to take before reading KV and give back to `store`. */
  readStarted(): number {
    return this.#evictions;
  }

  /** Keeps what a read found, unless something was evicted while it was in flight. */
  store(key: string, text: string, readStarted: number): void {
    if (readStarted !== this.#evictions) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      // Map iterates in insertion order: the first key is the oldest copy.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { text, expiresAt: this.clock() + this.ttlMs });
  }

  evict(key: string): void {
    this.#evictions += 1;
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

let shared: TokenRecordCache | undefined;

/** The isolate's cache, or none when the TTL is 0 (every request reads KV). */
export function sharedTokenRecordCache(ttlSeconds: number): TokenRecordCache | undefined {
  if (ttlSeconds <= 0) return undefined;
  shared ??= new TokenRecordCache(ttlSeconds * 1000);
  return shared;
}
