/**
 * @module
 * The one OAuth browser, shared by the tests (inside workerd) and the bench
 * (under Node): a cookie jar that honours Set-Cookie's attributes, redirects
 * followed by hand, form posts, PKCE S256, and the steps a person takes
 * through the gateway's consent page and the emulator's Entra sign-in.
 * Web APIs only; every request goes through the fetch function it is given.
 */

/** Whatever sends a request: the Worker's own fetch handler, the global `fetch`, or a Node client. */
export type FetchFn = (request: Request) => Promise<Response>;

/** Where the MCP client receives its authorization code: a loopback redirect, as desktop clients use. */
export const CLIENT_REDIRECT = "http://127.0.0.1:33418/oauth/callback";

export interface SetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  secure: boolean;
  /** Epoch ms from Max-Age (which wins) or Expires; a session cookie has none. */
  expiresAt?: number;
}

/** One Set-Cookie line (RFC 6265 §5.2): its name, value and the attributes a browser acts on. */
export function parseSetCookie(line: string, now = Date.now()): SetCookie | undefined {
  const [pair = "", ...attributes] = line.split(";");
  const index = pair.indexOf("=");
  if (index < 1) return undefined;
  const cookie: SetCookie = { name: pair.slice(0, index).trim(), value: pair.slice(index + 1).trim(), secure: false };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf("=");
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? "" : attribute.slice(at + 1).trim();
    if (key === "max-age" && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === "expires" && !Number.isNaN(Date.parse(value))) expires = Date.parse(value);
    else if (key === "domain" && value) cookie.domain = value.replace(/^\./, "").toLowerCase();
    else if (key === "path" && value.startsWith("/")) cookie.path = value;
    else if (key === "secure") cookie.secure = true;
  }
  if (maxAge !== undefined) cookie.expiresAt = now + maxAge * 1000;
  else if (expires !== undefined) cookie.expiresAt = expires;
  return cookie;
}

function expired(cookie: { expiresAt?: number }, now = Date.now()): boolean {
  return cookie.expiresAt !== undefined && cookie.expiresAt <= now;
}

/** `name=value` pairs a response set (cleared and expired cookies left out), ready for a Cookie header. */
export function cookiesSet(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => parseSetCookie(line))
    .filter((cookie): cookie is SetCookie => cookie !== undefined && cookie.value !== "" && !expired(cookie))
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join("; ");
}

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  /** Without a Domain attribute, only the host that set it gets it back. */
  hostOnly: boolean;
  path: string;
  secure: boolean;
  expiresAt?: number;
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/** The directory of the request path (RFC 6265 §5.1.4), for a cookie set without Path. */
function defaultPath(pathname: string): string {
  const slash = pathname.lastIndexOf("/");
  return slash <= 0 ? "/" : pathname.slice(0, slash);
}

/** A browser's cookie store: scoped by host (or Domain), path and Secure; Max-Age and Expires honoured. */
export class CookieJar {
  #cookies: StoredCookie[] = [];

  /** Keeps what the response to a request for `url` set, and forgets what it cleared. */
  store(url: string | URL, response: Response): void {
    const target = new URL(url);
    const host = target.hostname.toLowerCase();
    for (const line of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      // A Domain attribute that does not cover the host is refused, as browsers do.
      if (cookie.domain && !domainMatches(host, cookie.domain)) continue;
      const stored: StoredCookie = {
        name: cookie.name,
        value: cookie.value,
        domain: cookie.domain ?? host,
        hostOnly: !cookie.domain,
        path: cookie.path ?? defaultPath(target.pathname),
        secure: cookie.secure,
        expiresAt: cookie.expiresAt,
      };
      this.#cookies = this.#cookies.filter((c) => !(c.name === stored.name && c.domain === stored.domain && c.path === stored.path));
      if (!expired(stored)) this.#cookies.push(stored);
    }
  }

  /** The Cookie header a browser sends with a request for `url` (longest paths first); empty when none applies. */
  header(url: string | URL): string {
    const target = new URL(url);
    const host = target.hostname.toLowerCase();
    const now = Date.now();
    this.#cookies = this.#cookies.filter((cookie) => !expired(cookie, now));
    return this.#cookies
      .filter((cookie) => (cookie.hostOnly ? host === cookie.domain : domainMatches(host, cookie.domain)))
      .filter((cookie) => pathMatches(target.pathname, cookie.path) && (!cookie.secure || target.protocol === "https:"))
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }
}

/** Sends requests as a browser does: with its cookies, keeping what answers set, never following redirects by itself. */
export class Browser {
  readonly cookies = new CookieJar();
  readonly #send: FetchFn;

  constructor(send: FetchFn) {
    this.#send = send;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookies.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await this.#send(new Request(url, { ...init, headers, redirect: "manual" }));
    this.cookies.store(url, response);
    return response;
  }

  /** Follows redirects until a URL matching `stop` (not fetched) or a non-redirect response. */
  async follow(url: string, stop: (url: URL) => boolean, init: RequestInit = {}): Promise<{ url: URL; response?: Response }> {
    let current = url;
    let options = init;
    for (let hop = 0; hop < 10; hop += 1) {
      if (stop(new URL(current))) return { url: new URL(current) };
      const response = await this.fetch(current, options);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: new URL(current), response };
      current = new URL(location, current).toString();
      options = {};
    }
    throw new Error("too many redirects");
  }
}

/** A form post, as a browser submits one. */
export function formBody(fields: Record<string, string>): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) };
}

/** The value of a hidden form field in a page, HTML-unescaped. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name} in the page`);
  return match[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** A fresh PKCE verifier (43 characters of 32 random bytes) and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await pkceChallenge(verifier) };
}

async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
  return response;
}

/** Dynamic client registration of a public MCP client (PKCE, no secret). */
export async function registerClient(
  send: FetchFn,
  origin: string,
  clientName: string,
  redirectUris = [CLIENT_REDIRECT],
): Promise<{ client_id: string }> {
  const response = await send(
    new Request(`${origin}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: clientName,
        redirect_uris: redirectUris,
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
      }),
    }),
  );
  await expectStatus(response, 201, `register a client at ${origin}`);
  return (await response.json()) as { client_id: string };
}

/** The authorize URL an MCP client opens in the browser, for the tenant's /mcp resource. */
export function authorizeUrlAt(origin: string, clientId: string, challenge: string, extra: Record<string, string> = {}): string {
  const url = new URL(`${origin}/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CLIENT_REDIRECT,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "client-state-1",
    resource: `${origin}/mcp`,
    ...extra,
  }).toString();
  return url.toString();
}

/** GET /authorize expecting the consent page; returns it with its form handle and the cookies it set. */
export async function openConsent(browser: Browser, authorize: string) {
  const response = await browser.fetch(authorize);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`consent page: HTTP ${response.status} ${html.slice(0, 500)}`);
  return { response, html, handle: hiddenField(html, "handle"), cookies: cookiesSet(response) };
}

/** Consent page, then Allow: the Entra authorize URL the gateway redirected to, with `login_hint` picking the user. */
export async function approveToEntra(browser: Browser, authorize: string, loginHint: string) {
  const { handle } = await openConsent(browser, authorize);
  const approved = await browser.fetch(new URL("/authorize", authorize).toString(), formBody({ handle, decision: "approve" }));
  const location = approved.headers.get("location");
  if (approved.status !== 302 || !location) throw new Error(`approve: HTTP ${approved.status} ${(await approved.text()).slice(0, 500)}`);
  const entra = new URL(location);
  entra.searchParams.set("login_hint", loginHint);
  return { entra, upstreamCookies: cookiesSet(approved) };
}

/** The emulator's Entra sign-in (the user named by `login_hint`): where Entra sends the browser back, not followed. */
export async function entraRedirect(browser: Browser, entra: URL): Promise<URL> {
  const response = await browser.fetch(entra.toString());
  const location = response.headers.get("location");
  if (response.status !== 302 || !location)
    throw new Error(`Entra sign-in: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
  return new URL(location, entra);
}

/** Consent, Allow and Entra sign-in: the gateway callback URL Entra answered with, not yet opened. */
export async function callbackFor(browser: Browser, authorize: string, loginHint: string) {
  const { entra, upstreamCookies } = await approveToEntra(browser, authorize, loginHint);
  return { callback: await entraRedirect(browser, entra), upstreamCookies };
}

/**
 * The whole interactive leg as a person does it: consent page, Allow, Entra
 * sign-in, back through /callback to the client's redirect URI (returned,
 * with its code and state).
 */
export async function authorizeInBrowser(browser: Browser, authorize: string, loginHint: string): Promise<URL> {
  const { entra } = await approveToEntra(browser, authorize, loginHint);
  const done = await browser.follow(entra.toString(), (url) => url.toString().startsWith(CLIENT_REDIRECT));
  if (done.response)
    throw new Error(`flow stopped at ${done.url}: HTTP ${done.response.status} ${(await done.response.text()).slice(0, 500)}`);
  return done.url;
}

/** The client's authorization-code redemption at the tenant's /token. */
export function exchangeCodeAt(send: FetchFn, origin: string, clientId: string, code: string, verifier: string): Promise<Response> {
  return send(
    new Request(`${origin}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        client_id: clientId,
        redirect_uri: CLIENT_REDIRECT,
        code_verifier: verifier,
        resource: `${origin}/mcp`,
      }).toString(),
    }),
  );
}

/**
 * The org admin opens the admin-consent link signup gave them and grants the
 * app's permissions for everyone (some, such as ChannelMessage.Read.All, only
 * an admin can grant).
 */
export async function grantAdminConsent(send: FetchFn, adminConsentUrl: string): Promise<void> {
  const response = await send(new Request(adminConsentUrl, { redirect: "manual" }));
  const back = new URL(response.headers.get("location") ?? "", adminConsentUrl);
  if (response.status !== 302 || back.searchParams.get("admin_consent") !== "True") {
    throw new Error(`admin consent: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
  }
}
