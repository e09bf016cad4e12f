import type { Config } from "../config";
import { delegatedPermissions } from "../graph/tool-groups";
import { cloudEndpoints } from "./clouds";
import { adminConsentUrl } from "./onboarding";
import type { Tenant } from "./tenant";

/**
 * @module The admin-consent link of an existing organization: the
 * permissions its policy needs now, on its own cloud. Every page and alert
 * that asks an administrator for consent uses this one.
 */

export function tenantAdminConsentUrl(tenant: Tenant, config: Config, redirectUri: string): string {
  const endpoints = cloudEndpoints(config, tenant.cloud);
  return adminConsentUrl({
    loginBase: endpoints.loginBase,
    graphResource: endpoints.graphResource,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    redirectUri,
    permissions: delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly),
  });
}
