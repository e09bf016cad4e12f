import { emulator, TEST_OIDS } from "./emulator";
import { tenantUrl } from "./gateway";
import { formBody, hiddenField } from "./oauth-browser";
import { Browser, tenantWithUser } from "./oauth-flow";

/**
 * The org admin console as a person uses it: a tenant whose signup admin
 * exists in its Entra directory, and a browser that signs in through
 * /admin/sign-in, the emulator's Entra sign-in and /callback, then reads
 * pages and posts their forms (with the page's CSRF token and Origin).
 */

/** A tenant (with its user Dana) whose Entra directory also holds the signup's admin, `it@acme.example`. */
export async function consoleTenant(
  options: { adminRoles?: string[]; groupMembershipClaims?: "DirectoryRole" | "All"; adminConsent?: boolean } = {},
) {
  const tenant = await tenantWithUser({}, { adminConsent: options.adminConsent });
  const admin = { oid: TEST_OIDS.kai, userPrincipalName: String(tenant.input.adminEmail), displayName: "Kai Admin" };
  await emulator.addUser(tenant.entraTenantId, { ...admin, directoryRoles: options.adminRoles });
  if (options.groupMembershipClaims) await setGroupMembershipClaims(tenant, options.groupMembershipClaims);
  return { ...tenant, admin };
}

type ConsoleTenant = Awaited<ReturnType<typeof consoleTenant>>;

/** Sets the app manifest's groupMembershipClaims (the app is registered again with the same secret and redirect URI). */
export async function setGroupMembershipClaims(tenant: Awaited<ReturnType<typeof tenantWithUser>>, claims?: "DirectoryRole" | "All") {
  await emulator.registerApp(tenant.entraTenantId, {
    clientId: String(tenant.input.clientId),
    secrets: [{ value: String(tenant.input.clientSecret) }],
    redirectUris: [tenant.redirectUri],
    groupMembershipClaims: claims,
  });
}

export const origin = (slug: string) => tenantUrl(slug);

/** POST /admin/sign-in as the sign-in page's form does: the Entra authorize URL it redirects to. */
export async function startSignIn(browser: Browser, slug: string, returnTo = "/admin"): Promise<URL> {
  const response = await browser.fetch(tenantUrl(slug, "/admin/sign-in"), withOrigin(slug, formBody({ returnTo })));
  const location = response.headers.get("location");
  if (response.status !== 302 || !location)
    throw new Error(`console sign-in: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return new URL(location);
}

/** Signs `upn` in through the emulator: the gateway's answer at /callback (302 to the console, or a refusal page). */
export async function signInToConsole(browser: Browser, slug: string, upn: string, returnTo = "/admin"): Promise<Response> {
  const entra = await startSignIn(browser, slug, returnTo);
  entra.searchParams.set("login_hint", upn);
  const back = await browser.fetch(entra.toString());
  const callback = back.headers.get("location");
  if (back.status !== 302 || !callback) throw new Error(`Entra sign-in: HTTP ${back.status} ${(await back.text()).slice(0, 300)}`);
  return browser.fetch(callback);
}

/** A browser signed in to the tenant's console as its signup admin. */
export async function adminBrowser(tenant: ConsoleTenant): Promise<Browser> {
  const browser = new Browser();
  const response = await signInToConsole(browser, tenant.slug, tenant.admin.userPrincipalName);
  if (response.status !== 302) throw new Error(`admin sign-in: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return browser;
}

export function withOrigin(slug: string, init: RequestInit): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("origin", origin(slug));
  return { ...init, headers };
}

/** Opens a console page and sends one of its forms, CSRF token included, as the browser would. */
export async function submitConsoleForm(
  browser: Browser,
  slug: string,
  page: string,
  action: string,
  fields: Record<string, string | string[]> = {},
) {
  const html = await (await browser.fetch(tenantUrl(slug, page))).text();
  const csrf = hiddenField(html, "csrf");
  return postConsole(browser, slug, action, { ...fields, csrf });
}

/** A console POST with exactly these fields (repeated fields as arrays). */
export function postConsole(browser: Browser, slug: string, action: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const each of [value].flat()) body.append(name, each);
  return browser.fetch(
    tenantUrl(slug, action),
    withOrigin(slug, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }),
  );
}

/** The session id the browser holds for this tenant's console, from its cookie. */
export function sessionCookie(browser: Browser, slug: string): string | undefined {
  return /__Host-console-session=([^;]+)/.exec(browser.cookies.header(tenantUrl(slug, "/admin")))?.[1];
}
