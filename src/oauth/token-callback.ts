import { OAuthError, type TokenExchangeCallbackOptions, type TokenExchangeCallbackResult } from "@cloudflare/workers-oauth-provider";
import { logEvent } from "../lib/log";
import { refreshTokens, isEntraFailure } from "./entra-client";
import { refreshScopesFor } from "./scopes";
import { GrantPropsSchema } from "./props";
import { openTenantSecret } from "./tenant-secret";
import type { TenantEnv } from "./tenant-env";

/**
 * Keeps MCP tokens in step with the org's Entra tokens. At code exchange the
 * MCP access token is capped at the Entra token's remaining life; on refresh
 * the Entra token is refreshed with the tenant's own secret first.
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
  const { tenant, registry, config } = options.env.TENANT;
  if (!props.success || props.data.tenantId !== tenant.id) {
    throw new OAuthError("invalid_grant", { description: "This grant does not belong to this organization" });
  }
  if (options.grantType === "authorization_code") {
    return { accessTokenTTL: accessTokenTtl(props.data.graph.expiresAt) };
  }
  if (options.grantType !== "refresh_token") return;

  const refreshToken = props.data.graph.refreshToken;
  if (!refreshToken) throw new OAuthError("invalid_grant", { description: "Sign in again: Microsoft gave no refresh token" });
  const app = { loginBase: config.LOGIN_BASE, entraTenantId: tenant.entraTenantId, clientId: tenant.clientId, clientSecret: await openTenantSecret(tenant, config) };
  const refreshed = await refreshTokens(app, refreshToken, refreshScopesFor(tenant.policy, props.data.grantedScopes));
  if (isEntraFailure(refreshed)) {
    logEvent("entra_refresh_failed", { tenantId: tenant.id, kind: refreshed.kind, aadsts: refreshed.aadsts });
    if (refreshed.kind === "user") {
      // The user's Microsoft grant is gone for good: revoke ours so the client re-authorizes.
      throw new OAuthError("invalid_grant", { description: "Microsoft sign-in expired or was revoked; sign in again" });
    }
    if (refreshed.kind === "tenant") {
      await registry.addAlert(tenant.id, "entra_app_rejected", `Entra ID refused the organization's app while refreshing a user's token (${refreshed.aadsts ?? "no code"}): ${refreshed.reason}`);
    } else {
      await registry.addAlert(tenant.id, "entra_unavailable", `Entra ID was unavailable while refreshing a user's token: ${refreshed.reason}`);
    }
    throw new OAuthError("temporarily_unavailable", {
      description: refreshed.kind === "tenant"
        ? "Your organization's Microsoft app needs attention from its administrator"
        : "Microsoft sign-in is temporarily unavailable; try again shortly",
      statusCode: 503,
      headers: { "retry-after": "30" },
    });
  }
  const newProps = {
    ...props.data,
    graph: {
      accessToken: refreshed.accessToken,
      refreshToken: refreshed.refreshToken ?? refreshToken,
      expiresAt: refreshed.expiresAt,
    },
    grantedScopes: refreshed.scope.length > 0 ? refreshed.scope : props.data.grantedScopes,
  };
  return { newProps, accessTokenTTL: accessTokenTtl(refreshed.expiresAt) };
}
