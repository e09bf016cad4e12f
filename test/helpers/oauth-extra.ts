import { env, exports } from "cloudflare:workers";
import { Browser, formBody, hiddenField } from "./browser";
import { call, json, tenantUrl } from "./gateway";
import { authorizeInBrowser, authorizeUrl, CLIENT_REDIRECT, exchangeCode, pkcePair, registerClient, tenantWithUser } from "./oauth-flow";

/**
 * Building blocks for the isolation, security and refresh tests of the OAuth
 * bridge: each step of the interactive flow on its own, so a test can stop,
 * replay or tamper with any one of them.
 */
export type OAuthTenant = Awaited<ReturnType<typeof tenantWithUser>>;
export interface TokenSet {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export const MCP_HEADERS = { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };

export function mcp(slug: string, token: string, body: unknown = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }) {
  return call(tenantUrl(slug, "/mcp"), { json: body, bearer: token, headers: MCP_HEADERS });
}

export function whoami(slug: string, token: string) {
  return mcp(slug, token, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } });
}

/** The emulator's control API; throws unless it answers 2xx. */
export async function emulatorControl(path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${env.LOGIN_BASE}/_emulator${path}`, {
    method: "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Replaces the tenant's Entra app on the emulator (upsert replaces every field). */
export function upsertEntraApp(
  tenant: OAuthTenant,
  app: { secrets?: { value: string; expiresAt?: string }[]; accessTokenLifetimeSeconds?: number } = {},
) {
  return emulatorControl(`/tenants/${tenant.entraTenantId}/apps`, {
    clientId: tenant.input.clientId,
    secrets: app.secrets ?? [{ value: tenant.input.clientSecret }],
    redirectUris: [tenant.redirectUri],
    ...(app.accessTokenLifetimeSeconds ? { accessTokenLifetimeSeconds: app.accessTokenLifetimeSeconds } : {}),
  });
}

/** A registered public client and a user signed in through it: the client's token set. */
export async function signedIn(tenant: OAuthTenant, redirectUris = [CLIENT_REDIRECT]) {
  const client = await registerClient(tenant.slug, redirectUris);
  const { verifier, challenge } = await pkcePair();
  const browser = new Browser();
  const back = await authorizeInBrowser(browser, authorizeUrl(tenant.slug, client.client_id, challenge), tenant.user.userPrincipalName);
  const response = await exchangeCode(tenant.slug, client.client_id, back.searchParams.get("code") ?? "", verifier);
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return { client, browser, tokens: await json<TokenSet>(response) };
}

export function refreshAt(slug: string, clientId: string, refreshToken: string) {
  return call(tenantUrl(slug, "/token"), {
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

/** GET /authorize expecting the consent page; returns it with its handle and cookies. */
export async function openConsent(browser: Browser, authorize: string) {
  const response = await browser.fetch(authorize);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`consent page: ${response.status} ${html}`);
  return { response, html, handle: hiddenField(html, "handle"), cookies: cookiesSet(response) };
}

/** Consent page, then Allow: returns the Entra authorize URL the gateway redirected to. */
export async function approveToEntra(browser: Browser, authorize: string, loginHint: string) {
  const { handle } = await openConsent(browser, authorize);
  const approved = await browser.fetch(new URL("/authorize", authorize).toString(), formBody({ handle, decision: "approve" }));
  const location = approved.headers.get("location");
  if (approved.status !== 302 || !location) throw new Error(`approve: ${approved.status} ${await approved.text()}`);
  const entra = new URL(location);
  entra.searchParams.set("login_hint", loginHint);
  return { entra, upstreamCookies: cookiesSet(approved) };
}

/** Signs in at the emulator and returns where Entra sends the browser back (not followed). */
export async function entraRedirect(entra: URL): Promise<URL> {
  const response = await fetch(entra.toString(), { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`entra: ${response.status} ${await response.text()}`);
  return new URL(location);
}

/** Consent, Allow and Entra sign-in: the gateway callback URL Entra answered with, not yet opened. */
export async function callbackFor(browser: Browser, authorize: string, loginHint: string) {
  const { entra, upstreamCookies } = await approveToEntra(browser, authorize, loginHint);
  return { callback: await entraRedirect(entra), upstreamCookies };
}

/** `name=value` pairs a response set (cleared cookies left out), ready for a Cookie header. */
export function cookiesSet(response: Response): string {
  return response.headers
    .getSetCookie()
    .filter((line) => !/max-age=0|expires=thu, 01 jan 1970/i.test(line))
    .map((line) => line.split(";")[0]?.trim() ?? "")
    .filter((pair) => pair.length > 0 && !pair.endsWith("="))
    .join("; ");
}

/** A raw request to a gateway URL with an explicit Cookie header (as a replaying attacker would send); redirects not followed. */
export function withCookies(url: string, cookie: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("cookie", cookie);
  return exports.default.fetch(new Request(url, { ...init, headers, redirect: "manual" }));
}

export async function kvKeys(prefix = ""): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.OAUTH_KV.list({ prefix, cursor });
    names.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return names;
}

/** An authorize URL with its redirect_uri swapped for another one. */
export function authorizeWith(slug: string, clientId: string, challenge: string, redirectUri: string, extra: Record<string, string> = {}) {
  return authorizeUrl(slug, clientId, challenge, { redirect_uri: redirectUri, ...extra });
}

export { Browser, CLIENT_REDIRECT, authorizeUrl, exchangeCode, formBody, pkcePair, registerClient, tenantWithUser };
