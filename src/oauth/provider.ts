import { OAuthProvider, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { MCP_PATH, mcpApiHandler } from "../agent/mcp-endpoint";
import { logEvent } from "../lib/log";
import type { Tenant } from "../tenancy/tenant";
import { checkClientRegistration } from "./client-metadata";
import type { TenantEnv } from "./tenant-env";
import { tokenExchangeCallback } from "./token-callback";

/**
 * One OAuth 2.1 authorization server per tenant host, built from the tenant's
 * row and cached per isolate. Its tokens are bound to `https://<host>/mcp`
 * and its storage is the tenant-prefixed KV view it receives in `env`.
 */
export const AUTHORIZE_PATH = "/authorize";
export const TOKEN_PATH = "/token";
export const REGISTER_PATH = "/register";
const DAY = 86_400;

const notHandledHere: ExportedHandler<TenantEnv> = {
  fetch: () => Response.json({ error: "not_found", message: "No such endpoint" }, { status: 404 }),
};

export function providerOptions(tenant: Tenant, origin: string): OAuthProviderOptions<TenantEnv> {
  return {
    apiRoute: MCP_PATH,
    apiHandler: mcpApiHandler,
    defaultHandler: notHandledHere,
    authorizeEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientRegistrationEndpoint: REGISTER_PATH,
    // What a user may do is decided by the tenant policy and the Microsoft
    // permissions granted at sign-in, not by MCP scopes: none are offered.
    scopesSupported: ["offline_access"],
    resourceMetadata: {
      resource: `${origin}${MCP_PATH}`,
      authorization_servers: [origin],
      bearer_methods_supported: ["header"],
      resource_name: `${tenant.displayName} Microsoft 365`,
    },
    // Bounded redirect URIs and display fields, allowed schemes only (src/oauth/client-metadata.ts).
    clientRegistrationCallback: checkClientRegistration,
    clientIdMetadataDocumentEnabled: true,
    allowPrivateUseRedirectUris: tenant.policy.allowCustomSchemeRedirects,
    accessTokenTTL: 3600,
    refreshTokenTTL: 90 * DAY,
    refreshTokenIdleTTL: 30 * DAY,
    tokenExchangeCallback,
    onError({ code, status, internal }) {
      logEvent("oauth_error", { tenantId: tenant.id, code, status, category: internal.category, reason: internal.reason });
    },
  };
}

const MAX_CACHED = 1_000;
const cache = new Map<string, { options: OAuthProviderOptions<TenantEnv>; provider: OAuthProvider<TenantEnv> }>();

/** Rebuilt whenever the tenant row changes (policy, suspension) or the host differs. */
export function tenantProvider(tenant: Tenant, origin: string) {
  const key = `${tenant.id}|${origin}|${tenant.updatedAt.getTime()}`;
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size >= MAX_CACHED) cache.clear();
    const options = providerOptions(tenant, origin);
    entry = { options, provider: new OAuthProvider(options) };
    cache.set(key, entry);
  }
  return entry;
}
