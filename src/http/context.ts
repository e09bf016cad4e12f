import type { Config } from "../config";
import type { Env } from "../env";
import type { Registry } from "../tenancy/registry";
import type { TenantCache } from "../tenancy/tenant-cache";
import type { Tenant } from "../tenancy/tenant";

/** Typed Hono context shared by the apex and tenant apps. */
export interface GatewayVariables {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  /** The Worker's own execution context (Hono's type omits parts the OAuth provider needs). */
  workerCtx: ExecutionContext;
}

export interface TenantVariables extends GatewayVariables {
  tenant: Tenant;
}

export type ApexEnv = { Bindings: Env; Variables: GatewayVariables };
export type TenantEnv = { Bindings: Env; Variables: TenantVariables };
