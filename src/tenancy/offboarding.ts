import { logEvent } from "../lib/log";
import type { Registry } from "./registry";
import type { TenantCache } from "./tenant-cache";
import { purgeTenantKv } from "./tenant-kv";
import type { Tenant } from "./tenant";

/**
 * Deletes everything the gateway holds for a tenant: every `t:<tenantId>:`
 * KV key (OAuth clients, grants, tokens) and then its D1 rows (with the
 * wrapped data key, which makes any stray copy of the secret undecryptable).
 *
 * The tenant is first marked `deleting`, which takes it offline at once and
 * keeps the row as the record of unfinished work: a purge cut short (a KV
 * failure, or more keys than one invocation may delete) is resumed by calling
 * again, or by the scheduled sweep, until the row itself is removed last.
 */
export type PurgeResult = { deleted: true; kvKeysDeleted: number } | { deleted: false; kvKeysDeleted: number };

export async function purgeTenant(
  deps: { registry: Registry; kv: KVNamespace; tenantCache: TenantCache },
  tenant: Tenant,
): Promise<PurgeResult> {
  if (tenant.status !== "deleting") {
    await deps.registry.setStatus(tenant.id, "deleting");
    logEvent("tenant_deletion_started", { tenantId: tenant.id });
  }
  deps.tenantCache.invalidate(tenant.slug);
  const kv = await purgeTenantKv(deps.kv, tenant.id);
  if (!kv.complete) {
    logEvent("tenant_purge_partial", { tenantId: tenant.id, kvKeysDeleted: kv.removed });
    return { deleted: false, kvKeysDeleted: kv.removed };
  }
  await deps.registry.deleteAll(tenant.id);
  deps.tenantCache.invalidate(tenant.slug);
  logEvent("tenant_purged", { tenantId: tenant.id, kvKeysDeleted: kv.removed });
  return { deleted: true, kvKeysDeleted: kv.removed };
}

/** What the delete endpoints answer: 200 when done, 202 while keys remain. */
export function purgeResponseBody(result: PurgeResult) {
  return result.deleted
    ? { status: 200 as const, body: { deleted: true, kvKeysDeleted: result.kvKeysDeleted } }
    : {
        status: 202 as const,
        body: {
          deleted: false,
          status: "deleting",
          kvKeysDeleted: result.kvKeysDeleted,
          message: "Deletion is under way and continues in the background; repeat the request to speed it up",
        },
      };
}
