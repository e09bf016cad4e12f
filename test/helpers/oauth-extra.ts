import { env, exports } from "cloudflare:workers";
import { emulator } from "./emulator";
import { call, json, tenantUrl } from "./gateway";
import { approveToEntra, callbackFor, cookiesSet, formBody, openConsent } from "./oauth-browser";
import {
  authorizeInBrowser,
  authorizeUrl,
  Browser,
  CLIENT_REDIRECT,
  exchangeCode,
  pkcePair,
  registerClient,
  tenantWithUser,
} from "./oauth-flow";

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

/** Replaces the tenant's Entra app on the emulator (upsert replaces every field). */
export function upsertEntraApp(
  tenant: OAuthTenant,
  app: { secrets?: { value: string; expiresAt?: string }[]; accessTokenLifetimeSeconds?: number } = {},
) {
  return emulator.registerApp(tenant.entraTenantId, {
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

export {
  approveToEntra,
  Browser,
  callbackFor,
  CLIENT_REDIRECT,
  authorizeUrl,
  cookiesSet,
  exchangeCode,
  formBody,
  openConsent,
  pkcePair,
  registerClient,
  tenantWithUser,
};
