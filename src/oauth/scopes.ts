import { delegatedPermissions } from "../graph/tool-groups";
import { graphScope } from "../tenancy/onboarding";
import type { TenantPolicy } from "../tenancy/policy";

/** The scopes the gateway asks Entra for: the tenant policy's Graph permissions. */
export function graphScopesFor(policy: TenantPolicy): string[] {
  return delegatedPermissions(policy.enabledGroups, policy.readOnly).map(graphScope);
}
