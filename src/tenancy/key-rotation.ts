import type { Config } from "../config";
import { logError } from "../lib/log";
import type { Registry } from "./registry";
import { rewrapEnvelope, type Keyring } from "./secret-envelope";

/**
 * @module Re-wraps every tenant's data key under the active KEK. Tenants already on
 * it are skipped, so the operation can be repeated safely after a partial run.
 * Once it reports no failures, the old KEK secret can be removed.
 */

const ATTEMPTS = 3;

/**
 * Re-wraps one tenant's data key from its latest row. When the wrapping
 * changed underneath (another rotation run got there first), the write is
 * refused and the fresh row is looked at again.
 * Returns false when there was nothing to do.
 */
async function rewrapCurrent(registry: Registry, tenantId: string, keyring: Keyring): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const tenant = await registry.findById(tenantId);
    if (!tenant || tenant.envelope.kekId === keyring.activeKekId) return false;
    const next = await rewrapEnvelope(tenant.envelope, tenant.id, keyring);
    if (await registry.setWrappedKey(tenant.id, tenant.envelope, next)) return true;
  }
  throw new Error("the tenant's secret kept changing during rotation");
}

/** `onRewrapped`: told of each tenant whose data key moved, and from which KEK (for its audit trail). */
export async function rewrapAllTenants(registry: Registry, config: Config, onRewrapped?: (tenantId: string, fromKekId: string) => void) {
  const keyring = { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
  const result = { activeKekId: config.ACTIVE_KEK_ID, rewrapped: 0, alreadyCurrent: 0, failed: [] as string[] };
  let afterId: string | undefined;
  for (;;) {
    const page = await registry.list(100, afterId);
    if (page.length === 0) break;
    for (const tenant of page) {
      if (tenant.envelope.kekId === keyring.activeKekId) {
        result.alreadyCurrent += 1;
        continue;
      }
      try {
        if (await rewrapCurrent(registry, tenant.id, keyring)) {
          result.rewrapped += 1;
          onRewrapped?.(tenant.id, tenant.envelope.kekId);
        } else result.alreadyCurrent += 1;
      } catch (error) {
        logError("kek_rewrap_failed", error, { tenantId: tenant.id });
        result.failed.push(tenant.id);
      }
    }
    afterId = page.at(-1)?.id;
  }
  return result;
}
