import { env } from "cloudflare:workers";
import { Browser, formBody, hiddenField } from "./browser";
import { TEST_OIDS } from "./emulator";
import { call, createTenant, tenantUrl, uniqueSlug } from "./gateway";

/**
 * The org admin opens the admin-consent link signup gave them and grants the
 * app's permissions for everyone (some, such as ChannelMessage.Read.All, only
 * an admin can grant).
 */
export async function grantAdminConsent(adminConsentUrl: string): Promise<void> {
  const response = await fetch(adminConsentUrl, { redirect: "manual" });
  const back = new URL(response.headers.get("location") ?? "", adminConsentUrl);
  if (response.status !== 302 || back.searchParams.get("admin_consent") !== "True") {
    throw new Error(`admin consent: ${response.status} ${await response.text()}`);
  }
}

/**
 * A tenant whose Entra app (on the emulator) accepts the gateway's callback,
 * with one user; its admin granted consent unless `adminConsent: false`.
 */
export async function tenantWithUser(overrides: Record<string, unknown> = {}, options: { adminConsent?: boolean } = {}) {
  const slug = uniqueSlug("oa");
  const tenant = await createTenant({ slug, ...overrides, redirectUris: undefined });
  // The org admin registers the redirect URI signup told them to.
  const entraTenantId = String(tenant.input.entraTenantId);
  await fetch(`${env.LOGIN_BASE}/_emulator/tenants/${entraTenantId}/apps`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientId: tenant.input.clientId, secrets: [{ value: tenant.input.clientSecret }], redirectUris: [tenant.redirectUri] }),
  });
  if (options.adminConsent !== false) await grantAdminConsent(tenant.adminConsentUrl);
  const user = { oid: TEST_OIDS.dana, userPrincipalName: `dana@${slug}.example`, displayName: "Dana Whitfield" };
  await fetch(`${env.LOGIN_BASE}/_emulator/tenants/${entraTenantId}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(user),
  });
  return { ...tenant, slug, entraTenantId, user };
}

export const CLIENT_REDIRECT = "http://127.0.0.1:33418/oauth/callback";

export async function registerClient(slug: string, redirectUris = [CLIENT_REDIRECT]) {
  const response = await call(tenantUrl(slug, "/register"), {
    json: { client_name: "Test MCP client", redirect_uris: redirectUris, token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] },
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string };
}

export async function pkcePair() {
  const verifier = crypto.randomUUID() + crypto.randomUUID();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const challenge = btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { verifier, challenge };
}

export function authorizeUrl(slug: string, clientId: string, challenge: string, extra: Record<string, string> = {}) {
  const url = new URL(tenantUrl(slug, "/authorize"));
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "client-state-1",
    resource: tenantUrl(slug, "/mcp"),
    ...extra,
  }).toString();
  return url.toString();
}

/**
 * The whole interactive leg as a person does it: consent page, Allow, Entra
 * sign-in (login_hint picks the user), back through /callback to the client.
 */
export async function authorizeInBrowser(browser: Browser, authorize: string, loginHint: string): Promise<URL> {
  const consent = await browser.fetch(authorize);
  if (consent.status !== 200) throw new Error(`consent page: ${consent.status} ${await consent.text()}`);
  const handle = hiddenField(await consent.text(), "handle");
  const approved = await browser.fetch(new URL("/authorize", authorize).toString(), formBody({ handle, decision: "approve" }));
  const entra = new URL(approved.headers.get("location") ?? "");
  entra.searchParams.set("login_hint", loginHint);
  const done = await browser.follow(entra.toString(), (url) => url.toString().startsWith(CLIENT_REDIRECT));
  if (done.response) throw new Error(`flow stopped at ${done.url}: ${done.response.status} ${await done.response.text()}`);
  return done.url;
}

export async function exchangeCode(slug: string, clientId: string, code: string, verifier: string) {
  return call(tenantUrl(slug, "/token"), {
    body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_verifier: verifier, resource: tenantUrl(slug, "/mcp") }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

export { Browser };
