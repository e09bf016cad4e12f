import type { Config } from "../config";
import type { Env } from "../env";
import type { Registry } from "../tenancy/registry";
import type { TenantCache } from "../tenancy/tenant-cache";
import { tenantKvView } from "../tenancy/tenant-kv";
import { sharedTokenRecordCache } from "../tenancy/token-record-cache";
import type { Tenant } from "../tenancy/tenant";

/**
 * The environment a tenant's OAuth provider and MCP handler run with: the
 * Worker's bindings, except that OAUTH_KV is the tenant-prefixed view, plus
 * what the entry point already resolved for this request.
 */
export interface TenantContext {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  tenant: Tenant;
  /** `https://<slug>.<BASE_DOMAIN>` as the client addressed it. */
  origin: string;
}

export type TenantEnv = Env & { TENANT: TenantContext };

export function tenantEnv(env: Env, context: TenantContext): TenantEnv {
  const tokenRecords = sharedTokenRecordCache(context.config.TOKEN_CACHE_TTL_SECONDS);
  return { ...env, OAUTH_KV: tenantKvView(env.OAUTH_KV, context.tenant.id, tokenRecords), TENANT: context };
}
