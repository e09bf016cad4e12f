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

/** Deletes every KV key of the tenant; returns how many were removed. */
export async function purgeTenantKv(kv: KVNamespace, tenantId: string): Promise<number> {
  const prefix = tenantKeyPrefix(tenantId);
  let removed = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor, limit: 1000 });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    removed += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return removed;
}
