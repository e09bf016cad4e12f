import { OAuthProvider, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { logEvent } from "../lib/log";
import type { Tenant } from "../tenancy/tenant";
import { checkClientRegistration } from "./client-metadata";
import type { ProviderEnv } from "./provider-env";
import { tokenExchangeCallback } from "./token-callback";

/**
 * @module One OAuth 2.1 authorization server per tenant host, built from the tenant's
 * row and cached per isolate. Its tokens are bound to the API it protects
 * (`https://<host>/mcp`), which the web layer hands in, and its storage is
 * the tenant-prefixed KV view it receives in `env`.
 */
export const AUTHORIZE_PATH = "/authorize";
export const TOKEN_PATH = "/token";
export const REGISTER_PATH = "/register";
const DAY = 86_400;

/** What the provider serves to requests bearing one of its access tokens. */
export interface ProtectedApi {
  /** The path the access tokens are bound to, e.g. `/mcp`. */
  apiRoute: string;
  apiHandler: ExportedHandler<ProviderEnv> & { fetch: NonNullable<ExportedHandler<ProviderEnv>["fetch"]> };
}

const notHandledHere: ExportedHandler<ProviderEnv> = {
  fetch: () => Response.json({ error: "not_found", message: "No such endpoint" }, { status: 404 }),
};

export function providerOptions(tenant: Tenant, origin: string, api: ProtectedApi): OAuthProviderOptions<ProviderEnv> {
  return {
    apiRoute: api.apiRoute,
    apiHandler: api.apiHandler,
    defaultHandler: notHandledHere,
    authorizeEndpoint: AUTHORIZE_PATH,
    tokenEndpoint: TOKEN_PATH,
    clientRegistrationEndpoint: REGISTER_PATH,
    // What a user may do is decided by the tenant policy and the Microsoft
    // permissions granted at sign-in, not by MCP scopes: none are offered.
    scopesSupported: ["offline_access"],
    resourceMetadata: {
      resource: `${origin}${api.apiRoute}`,
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
const cache = new Map<string, { api: ProtectedApi; options: OAuthProviderOptions<ProviderEnv>; provider: OAuthProvider<ProviderEnv> }>();

/** Rebuilt whenever the tenant row changes (policy, suspension), the host differs or another API is protected. */
export function tenantProvider(tenant: Tenant, origin: string, api: ProtectedApi) {
  const key = `${tenant.id}|${origin}|${tenant.updatedAt.getTime()}`;
  let entry = cache.get(key);
  if (!entry || entry.api !== api) {
    if (cache.size >= MAX_CACHED) cache.clear();
    const options = providerOptions(tenant, origin, api);
    entry = { api, options, provider: new OAuthProvider(options) };
    cache.set(key, entry);
  }
  return entry;
}
