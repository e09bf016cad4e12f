import { Browser, workerFetch } from "./browser";
import { emulator, TEST_OIDS } from "./emulator";
import { createTenant, tenantUrl, uniqueSlug } from "./gateway";
import {
  authorizeInBrowser,
  authorizeUrlAt,
  CLIENT_REDIRECT,
  exchangeCodeAt,
  grantAdminConsent,
  pkcePair,
  registerClient as registerClientAt,
} from "./oauth-browser";

/**
 * A tenant whose Entra app (on the emulator) accepts the gateway's callback,
 * with one user; its admin granted consent unless `adminConsent: false`.
 */
export async function tenantWithUser(overrides: Record<string, unknown> = {}, options: { adminConsent?: boolean } = {}) {
  const slug = uniqueSlug("oa");
  const tenant = await createTenant({ slug, ...overrides, redirectUris: undefined });
  // The org admin registers the redirect URI signup told them to.
  const entraTenantId = String(tenant.input.entraTenantId);
  await emulator.registerApp(entraTenantId, {
    clientId: tenant.input.clientId,
    secrets: [{ value: tenant.input.clientSecret }],
    redirectUris: [tenant.redirectUri],
  });
  if (options.adminConsent !== false) await grantAdminConsent(workerFetch, tenant.adminConsentUrl);
  const user = { oid: TEST_OIDS.dana, userPrincipalName: `dana@${slug}.example`, displayName: "Dana Whitfield" };
  await emulator.addUser(entraTenantId, user);
  return { ...tenant, slug, entraTenantId, user };
}

export function registerClient(slug: string, redirectUris = [CLIENT_REDIRECT]) {
  return registerClientAt(workerFetch, tenantUrl(slug), "Test MCP client", redirectUris);
}

export function authorizeUrl(slug: string, clientId: string, challenge: string, extra: Record<string, string> = {}) {
  return authorizeUrlAt(tenantUrl(slug), clientId, challenge, extra);
}

export function exchangeCode(slug: string, clientId: string, code: string, verifier: string) {
  return exchangeCodeAt(workerFetch, tenantUrl(slug), clientId, code, verifier);
}

export { authorizeInBrowser, Browser, CLIENT_REDIRECT, pkcePair };
