import { getOAuthApi, type OAuthHelpers, type OAuthProvider } from "@cloudflare/workers-oauth-provider";
import type { Context } from "hono";
import { MCP_PATH, mcpApiHandler } from "../agent/mcp-endpoint";
import { guardMetadataDocumentFetches } from "../oauth/cimd-guard";
import { tenantProvider, type ProtectedApi } from "../oauth/provider";
import { canonicalOrigin, providerEnv, type ProviderEnv } from "../oauth/provider-env";
import type { TenantEnv } from "./context";

/**
 * @module The tenant's OAuth provider as the tenant app's routes use it: the
 * provider protects the MCP endpoint, runs with the tenant's view of the
 * Worker's bindings, and is addressed at the tenant's canonical origin.
 */

/** What the provider serves behind its access tokens: the agent layer's MCP endpoint. */
const MCP_API: ProtectedApi = { apiRoute: MCP_PATH, apiHandler: mcpApiHandler };

/** What the sign-in leg keeps server-side in the provider's upstream record: PKCE verifier and nonce. */
export interface UpstreamData {
  verifier: string;
  nonce: string;
}

function resolve<E extends TenantEnv>(c: Context<E>) {
  const origin = canonicalOrigin(c.get("config"), c.get("tenant"));
  // Every provider call that may resolve a client runs with this env: the fetch guard is in place by then.
  guardMetadataDocumentFetches(c.get("config").BASE_DOMAIN);
  const env = providerEnv(c.env, {
    config: c.get("config"),
    registry: c.get("registry"),
    tenantCache: c.get("tenantCache"),
    tenant: c.get("tenant"),
    origin,
  });
  return { env, origin, ...tenantProvider(c.get("tenant"), origin, MCP_API) };
}

/** The tenant's provider, the tenant's view of the Worker's bindings for this request, and the tenant's canonical origin. */
export function tenantOAuth(c: Context<TenantEnv>): { env: ProviderEnv; origin: string; provider: OAuthProvider<ProviderEnv> } {
  const { env, origin, provider } = resolve(c);
  return { env, origin, provider };
}

/** The OAuth helpers the consent and callback steps use, with the same env and origin. */
export function oauthContext<E extends TenantEnv>(c: Context<E>): { env: ProviderEnv; oauth: OAuthHelpers; origin: string } {
  const { env, origin, options } = resolve(c);
  return { env, origin, oauth: getOAuthApi(options, env) };
}
