import { BASE_SCOPES, delegatedPermissions, graphScope } from "../graph/tool-groups";
import { ALL_GRAPH_RESOURCES } from "../tenancy/clouds";
import type { TenantPolicy } from "../tenancy/policy";

/** @module The Graph scopes asked of Entra at sign-in and at refresh, and how granted scopes are compared. */

/** The scopes the gateway asks Entra for at sign-in: the tenant policy's Graph permissions, on the tenant's cloud's Graph resource. */
export function graphScopesFor(policy: TenantPolicy, graphResource: string): string[] {
  return delegatedPermissions(policy.enabledGroups, policy.readOnly).map((permission) => graphScope(permission, graphResource));
}

const GRAPH_RESOURCE_PREFIX = new RegExp(`^(${ALL_GRAPH_RESOURCES.map((resource) => resource.replace(/[.]/g, "\\.")).join("|")})/`, "i");

/**
 * Entra may spell a granted scope `Mail.Read` or with the cloud's Graph
 * resource (`https://graph.microsoft.com/mail.read`, `https://graph.microsoft.us/Mail.Read`…);
 * compare them in one form.
 */
export function normalizeScope(scope: string): string {
  return scope.replace(GRAPH_RESOURCE_PREFIX, "").toLowerCase();
}

/**
 * The scopes to refresh with: what the policy allows AND the user's grant
 * already has. Asking Entra for a scope the user never consented to (a group
 * enabled after sign-in) fails with AADSTS65001 and would revoke the grant;
 * narrowing (a group disabled since) is always allowed.
 */
export function refreshScopesFor(policy: TenantPolicy, grantedScopes: readonly string[], graphResource: string): string[] {
  if (grantedScopes.length === 0) return graphScopesFor(policy, graphResource);
  const granted = new Set(grantedScopes.map(normalizeScope));
  const always = new Set<string>(BASE_SCOPES);
  return delegatedPermissions(policy.enabledGroups, policy.readOnly)
    .filter((scope) => always.has(scope) || granted.has(normalizeScope(scope)))
    .map((permission) => graphScope(permission, graphResource));
}
