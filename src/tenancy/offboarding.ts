import { logEvent } from "../lib/log";
import type { Registry } from "./registry";
import type { TenantCache } from "./tenant-cache";
import { purgeTenantKv } from "./tenant-kv";
import type { Tenant } from "./tenant";

/**
 * Deletes everything the gateway holds for a tenant: its D1 rows (with the
 * wrapped data key, which makes any stray copy of the secret undecryptable)
 * and every `t:<tenantId>:` KV key (OAuth clients, grants, tokens).
 */
export async function purgeTenant(
  deps: { registry: Registry; kv: KVNamespace; tenantCache: TenantCache },
  tenant: Tenant,
): Promise<{ kvKeysDeleted: number }> {
  // D1 first: once the row is gone no request can resolve the tenant, so no
  // new KV keys can appear behind the purge.
  await deps.registry.deleteAll(tenant.id);
  deps.tenantCache.invalidate(tenant.slug);
  const kvKeysDeleted = await purgeTenantKv(deps.kv, tenant.id);
  logEvent("tenant_purged", { tenantId: tenant.id, kvKeysDeleted });
  return { kvKeysDeleted };
}
