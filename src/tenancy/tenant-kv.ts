/**
 * Tenant-scoped KV. Every key a tenant's OAuth provider reads or writes is
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

export function tenantKvView(kv: KVNamespace, tenantId: string): KVNamespace {
  const prefix = tenantKeyPrefix(tenantId);
  const scoped = (key: string | string[]) =>
    Array.isArray(key) ? key.map((k) => prefix + k) : prefix + key;

  // KVNamespace's overloads cannot be re-declared one by one without copying
  // the whole interface; the wrappers only rewrite keys and pass the rest on.
  const get = (async (key: string | string[], options?: unknown) => {
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
    put: (key, value, options) => kv.put(prefix + key, value, options),
    delete: (key) => kv.delete(prefix + key),
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
export async function purgeTenantKv(
  kv: KVNamespace,
  tenantId: string,
  budget = 800,
): Promise<{ removed: number; complete: boolean }> {
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
