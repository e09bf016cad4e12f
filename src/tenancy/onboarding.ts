import { delegatedPermissions, graphScope, type ToolGroup } from "../graph/tool-groups";
import { tenantOrigin } from "./host";

/** @module What an org admin needs after signup: the tenant's URLs and the admin-consent link for its Entra app. */

/** The links an org admin needs after signup, derived from the apex URL. */
export interface OnboardingLinks {
  tenantUrl: string;
  mcpUrl: string;
  redirectUri: string;
  adminConsentUrl: string;
  delegatedPermissions: string[];
  /** The organization's admin console, where its console admins sign in with their work accounts. */
  adminConsoleUrl: string;
  /** Where the app registration is managed: the Entra admin center, or the Azure portal of a national cloud. */
  entraPortalUrl: string;
}

/**
 * Who may grant tenant-wide admin consent for delegated permissions
 * ("Grant tenant-wide admin consent to an application", Microsoft Entra docs).
 */
export const ADMIN_CONSENT_ROLES =
  "a Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator";

/** The `state` Entra returns to /callback after the admin-consent link; a sign-in's state is the OAuth provider's. */
export const ADMIN_CONSENT_STATE = "admin-consent";

/**
 * The v2.0 admin consent link: a tenant admin who opens it grants these
 * permissions for every user of the org, and Entra returns to the gateway's
 * /callback with `state` ADMIN_CONSENT_STATE.
 */
export function adminConsentUrl(input: {
  loginBase: string;
  graphResource: string;
  entraTenantId: string;
  clientId: string;
  redirectUri: string;
  permissions: readonly string[];
}): string {
  const consent = new URL(`${input.loginBase}/${input.entraTenantId}/v2.0/adminconsent`);
  consent.searchParams.set("client_id", input.clientId);
  consent.searchParams.set("scope", input.permissions.map((permission) => graphScope(permission, input.graphResource)).join(" "));
  consent.searchParams.set("redirect_uri", input.redirectUri);
  consent.searchParams.set("state", ADMIN_CONSENT_STATE);
  return consent.toString();
}

export function onboardingLinks(input: {
  apexUrl: URL;
  slug: string;
  loginBase: string;
  graphResource: string;
  portalBase: string;
  entraTenantId: string;
  clientId: string;
  enabledGroups: readonly ToolGroup[];
  readOnly: boolean;
}): OnboardingLinks {
  const tenantUrl = tenantOrigin(input.apexUrl, input.slug);
  const redirectUri = `${tenantUrl}/callback`;
  const permissions = delegatedPermissions(input.enabledGroups, input.readOnly);
  return {
    tenantUrl,
    mcpUrl: `${tenantUrl}/mcp`,
    redirectUri,
    adminConsentUrl: adminConsentUrl({ ...input, redirectUri, permissions }),
    delegatedPermissions: permissions,
    adminConsoleUrl: `${tenantUrl}/admin`,
    entraPortalUrl: input.portalBase,
  };
}

/** What an org admin does after signup, in words (the API's `nextSteps`; the result page says the same with buttons). */
export function nextSteps(links: OnboardingLinks, adminEmail: string): string[] {
  return [
    `In your app registration (${links.entraPortalUrl}), under Authentication, add the Web redirect URI ${links.redirectUri}`,
    `Under API permissions, add these delegated Microsoft Graph permissions: ${links.delegatedPermissions.join(", ")}`,
    `Grant admin consent for your organization: open ${links.adminConsentUrl} signed in as ${ADMIN_CONSENT_ROLES}`,
    `Give your users the MCP server URL ${links.mcpUrl}`,
    `Manage your organization in the admin console at ${links.adminConsoleUrl}, signed in as ${adminEmail}`,
  ];
}
