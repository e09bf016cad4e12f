import { OAuthError, type TokenExchangeCallbackOptions, type TokenExchangeCallbackResult } from "@cloudflare/workers-oauth-provider";
import type { GrantRefreshOutcome } from "../agent/user-agent";
import { logError } from "../lib/log";
import { agentName } from "../tenancy/agent-name";
import { GrantPropsSchema, userIdOf } from "./props";
import type { TenantEnv } from "./tenant-env";

/**
 * Keeps MCP tokens in step with the org's Entra tokens. At code exchange the
 * MCP access token is capped at the Entra token's remaining life; on refresh
 * the Entra token is refreshed first, by the user's agent, with the tenant's
 * own secret.
 */
const EXPIRY_MARGIN_SECONDS = 60;
/** KV's smallest expiration window, which the provider requires. */
const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 3600;

export function accessTokenTtl(graphExpiresAt: number, now = Math.floor(Date.now() / 1000)): number {
  const remaining = graphExpiresAt - now - EXPIRY_MARGIN_SECONDS;
  return Math.max(MIN_TTL_SECONDS, Math.min(MAX_TTL_SECONDS, remaining));
}

export async function tokenExchangeCallback(
  options: TokenExchangeCallbackOptions<TenantEnv>,
): Promise<TokenExchangeCallbackResult | void> {
  const props = GrantPropsSchema.safeParse(options.props);
  const { tenant } = options.env.TENANT;
  if (!props.success || props.data.tenantId !== tenant.id) {
    throw new OAuthError("invalid_grant", { description: "This grant does not belong to this organization" });
  }
  if (options.grantType === "authorization_code") {
    return { accessTokenTTL: accessTokenTtl(props.data.graph.expiresAt) };
  }
  if (options.grantType !== "refresh_token") return;

  const refreshToken = props.data.graph.refreshToken;
  if (!refreshToken) throw new OAuthError("invalid_grant", { description: "Sign in again: Microsoft gave no refresh token" });
  const { tid, oid, grantedScopes } = props.data;
  // Through the user's agent, named from the grant's verified claims: parallel
  // refreshes of this grant then share one Entra refresh.
  const refreshed = await options.env.USER_AGENT.getByName(agentName(tenant.id, userIdOf({ tid, oid })))
    .refreshGrant({ tenantId: tenant.id, tid, oid, grantedScopes, grantId: options.grantId, refreshToken })
    .catch((error: unknown): GrantRefreshOutcome => {
      logError("grant_refresh_failed", error, { tenantId: tenant.id });
      return { ok: false, kind: "unavailable" };
    });
  if (!refreshed.ok) {
    if (refreshed.kind === "user") {
      // The user's Microsoft grant is gone for good: revoke ours so the client re-authorizes.
      throw new OAuthError("invalid_grant", { description: "Microsoft sign-in expired or was revoked; sign in again" });
    }
    throw new OAuthError("temporarily_unavailable", {
      description: refreshed.kind === "tenant"
        ? "Your organization's Microsoft app needs attention from its administrator"
        : "Microsoft sign-in is temporarily unavailable; try again shortly",
      statusCode: 503,
      headers: { "retry-after": "30" },
    });
  }
  const { tokens } = refreshed;
  const newProps = {
    ...props.data,
    graph: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
    grantedScopes: tokens.scope,
  };
  return { newProps, accessTokenTTL: accessTokenTtl(tokens.expiresAt) };
}
