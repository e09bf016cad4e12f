import type { Config } from "../config";
import type { Env } from "../env";
import type { Registry } from "../tenancy/registry";
import type { TenantCache } from "../tenancy/tenant-cache";
import { tenantKvView } from "../tenancy/tenant-kv";
import { sharedTokenRecordCache } from "../tenancy/token-record-cache";
import type { Tenant } from "../tenancy/tenant";

/**
 * @module The environment a tenant's OAuth provider and MCP handler run with: the
 * Worker's bindings, except that OAUTH_KV is the tenant-prefixed view, plus
 * what the entry point already resolved for this request.
 */

export interface TenantContext {
  config: Config;
  registry: Registry;
  tenantCache: TenantCache;
  tenant: Tenant;
  /** `https://<slug>.<BASE_DOMAIN>`, whatever host spelling or port the request used. */
  origin: string;
}

export type ProviderEnv = Env & { TENANT: TenantContext };

export function providerEnv(env: Env, context: TenantContext): ProviderEnv {
  const tokenRecords = sharedTokenRecordCache(context.config.TOKEN_CACHE_TTL_SECONDS);
  return { ...env, OAUTH_KV: tenantKvView(env.OAUTH_KV, context.tenant.id, tokenRecords), TENANT: context };
}

/**
 * The tenant host's one origin, `https://<slug>.<BASE_DOMAIN>` (BASE_DOMAIN may
 * carry a port, for local development). Issuer, resource, redirect URIs and
 * links are built from it, never from the request's Host header: a request
 * that reached the Worker on another port (`Host: org.localhost:1`) must not
 * get metadata, tokens or an Entra redirect naming that port.
 */
export function canonicalOrigin(config: Pick<Config, "BASE_DOMAIN">, tenant: Pick<Tenant, "slug">): string {
  return `https://${tenant.slug}.${config.BASE_DOMAIN}`;
}

/** The same request addressed at the canonical origin, for code that derives URLs from the request. */
export function atOrigin(request: Request, origin: string): Request {
  const url = new URL(request.url);
  if (url.origin === origin) return request;
  return new Request(`${origin}${url.pathname}${url.search}`, request);
}
