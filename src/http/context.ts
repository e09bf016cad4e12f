import type { Config } from "../config";
import type { Env } from "../env";
import type { HostTarget } from "../tenancy/host";
import type { Registry } from "../tenancy/registry";
import type { TenantCache } from "../tenancy/tenant-cache";
import type { Tenant } from "../tenancy/tenant";

/** @module Typed Hono variables, set once per request by the gateway app's middleware. */
export interface GatewayVariables {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  /** The Worker's own execution context (Hono's type omits parts the OAuth provider needs). */
  workerCtx: ExecutionContext;
  /** Which part of the product the request's host addresses. */
  host: HostTarget;
}

export interface TenantVariables extends GatewayVariables {
  tenant: Tenant;
}

export type GatewayEnv = { Bindings: Env; Variables: GatewayVariables };
export type ApexEnv = GatewayEnv;
export type TenantEnv = { Bindings: Env; Variables: TenantVariables };
