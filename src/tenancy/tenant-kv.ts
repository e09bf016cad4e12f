import { isTokenRecordKey, type TokenRecordCache } from "./token-record-cache";

/**
 * @module Tenant-scoped KV. Every key a tenant's OAuth provider reads or writes is
 * stored as `t:<tenantId>:<key>`, so a token, grant or client registration
 * created on one tenant's host cannot be found from another's.
 */

export function tenantKeyPrefix(tenantId: string): string {
  return `t:${tenantId}:`;
}

type KvGet = KVNamespace["get"];
type KvGetWithMetadata = KVNamespace["getWithMetadata"];

function stripMapKeys<V>(map: Map<string, V>, prefix: string): Map<string, V> {
  return new Map([...map].map(([key, value]) => [key.slice(prefix.length), value]));
}

/**
 * "text" or "json" when a get asks for a plain value the token-record cache
 * can serve; undefined for other types, or other options (cacheTtl), which
 * are for KV itself.
 */
function textOrJson(options: unknown): "text" | "json" | undefined {
  const onlyType = typeof options === "object" && options !== null && Object.keys(options).every((name) => name === "type");
  const type = onlyType ? (options as { type?: unknown }).type : options;
  if (type === undefined || type === "text") return "text";
  return type === "json" ? "json" : undefined;
}

async function cachedTokenRecord(kv: KVNamespace, records: TokenRecordCache, fullKey: string, type: "text" | "json"): Promise<unknown> {
  let text = records.get(fullKey);
  if (text === undefined) {
    const readStarted = records.readStarted();
    const stored = await kv.get(fullKey, "text");
    if (stored === null) return null;
    records.store(fullKey, stored, readStarted);
    text = stored;
  }
  // Parsed on every read, so no caller can change what the next one gets.
  return type === "json" ? JSON.parse(text) : text;
}

/**
 * `tokenRecords`, when given, serves the provider's token records from this
 * isolate's memory (see token-record-cache.ts); every other key goes to KV.
 */
export function tenantKvView(kv: KVNamespace, tenantId: string, tokenRecords?: TokenRecordCache): KVNamespace {
  const prefix = tenantKeyPrefix(tenantId);
  const scoped = (key: string | string[]) => (Array.isArray(key) ? key.map((k) => prefix + k) : prefix + key);

  // A token record's copy is dropped once a write of it is done; the eviction
  // also stops a read still in flight from keeping what it found.
  const changing = async (key: string, write: () => Promise<void>) => {
    await write();
    if (tokenRecords && isTokenRecordKey(key)) tokenRecords.evict(prefix + key);
  };

  // KVNamespace's overloads cannot be re-declared one by one without copying
  // the whole interface; the wrappers only rewrite keys and pass the rest on.
  const get = (async (key: string | string[], options?: unknown) => {
    const type = tokenRecords && typeof key === "string" && isTokenRecordKey(key) ? textOrJson(options) : undefined;
    if (tokenRecords && type) return cachedTokenRecord(kv, tokenRecords, prefix + key, type);
    const result: unknown = await kv.get(scoped(key) as string, options as "text");
    return result instanceof Map ? stripMapKeys(result, prefix) : result;
  }) as KvGet;

  const getWithMetadata = (async (key: string | string[], options?: unknown) => {
    const result: unknown = await kv.getWithMetadata(scoped(key) as string, options as "text");
    return result instanceof Map ? stripMapKeys(result, prefix) : result;
  }) as KvGetWithMetadata;

  return {
    get,
    getWithMetadata,
    put: (key, value, options) => changing(key, () => kv.put(prefix + key, value, options)),
    delete: (key) => changing(key, () => kv.delete(prefix + key)),
    async list(options) {
      const listed = await kv.list({ ...options, prefix: prefix + (options?.prefix ?? "") });
      return { ...listed, keys: listed.keys.map((k) => ({ ...k, name: k.name.slice(prefix.length) })) };
    },
  } as KVNamespace;
}

/**
 * Deletes the tenant's KV keys, at most `budget` of them: a Worker invocation
 * may make about 1,000 KV calls, so a large tenant is purged over several
 * calls. `complete` says whether any key is left.
 */
export async function purgeTenantKv(kv: KVNamespace, tenantId: string, budget = 800): Promise<{ removed: number; complete: boolean }> {
  const prefix = tenantKeyPrefix(tenantId);
  let removed = 0;
  for (;;) {
    // Always list from the start: the keys deleted so far are gone from it.
    const page = await kv.list({ prefix, limit: Math.min(1000, budget - removed) });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    removed += page.keys.length;
    if (page.list_complete) return { removed, complete: true };
    if (removed >= budget) return { removed, complete: false };
  }
}
