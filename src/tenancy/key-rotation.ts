import type { Config } from "../config";
import { logError } from "../lib/log";
import type { Registry } from "./registry";
import { rewrapEnvelope } from "./secret-envelope";

/**
 * Re-wraps every tenant's data key under the active KEK. Tenants already on
 * it are skipped, so the operation can be repeated safely after a partial run.
 * Once it reports no failures, the old KEK secret can be removed.
 */
export async function rewrapAllTenants(registry: Registry, config: Config) {
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
        await registry.setWrappedKey(tenant.id, await rewrapEnvelope(tenant.envelope, tenant.id, keyring));
        result.rewrapped += 1;
      } catch (error) {
        logError("kek_rewrap_failed", error, { tenantId: tenant.id });
        result.failed.push(tenant.id);
      }
    }
    afterId = page.at(-1)?.id;
  }
  return result;
}
