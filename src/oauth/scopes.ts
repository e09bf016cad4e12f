import { BASE_SCOPES, delegatedPermissions, graphScope } from "../graph/tool-groups";
import type { TenantPolicy } from "../tenancy/policy";

/** @module The Graph scopes asked of Entra at sign-in and at refresh, and how granted scopes are compared. */

/** The scopes the gateway asks Entra for at sign-in: the tenant policy's Graph permissions. */
export function graphScopesFor(policy: TenantPolicy): string[] {
  return delegatedPermissions(policy.enabledGroups, policy.readOnly).map(graphScope);
}

/**
 * Entra may spell a granted scope `Mail.Read` or `https://graph.microsoft.com/mail.read`;
 * compare them in one form.
 */
export function normalizeScope(scope: string): string {
  return scope.replace(/^https:\/\/graph\.microsoft\.com\//i, "").toLowerCase();
}

/**
 * The scopes to refresh with: what the policy allows AND the user's grant
 * already has. Asking Entra for a scope the user never consented to (a group
 * enabled after sign-in) fails with AADSTS65001 and would revoke the grant;
 * narrowing (a group disabled since) is always allowed.
 */
export function refreshScopesFor(policy: TenantPolicy, grantedScopes: readonly string[]): string[] {
  if (grantedScopes.length === 0) return graphScopesFor(policy);
  const granted = new Set(grantedScopes.map(normalizeScope));
  const always = new Set<string>(BASE_SCOPES);
  return delegatedPermissions(policy.enabledGroups, policy.readOnly)
    .filter((scope) => always.has(scope) || granted.has(normalizeScope(scope)))
    .map(graphScope);
}
