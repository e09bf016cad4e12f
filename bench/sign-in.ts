import { createHash, randomBytes, randomUUID } from "node:crypto";
import { header, type HttpResponse, type LoopbackHttp, setCookies } from "./http";

/**
 * Organizations and users for the load benchmarks, set up the way real ones
 * are: the Entra side on the emulator's control API, signup through the
 * gateway's API, dynamic client registration, and each user signed in
 * through the whole OAuth bridge over HTTP (consent page, Allow, Entra
 * sign-in with login_hint, /callback, /token).
 */
export const CLIENT_REDIRECT = "http://127.0.0.1:33418/oauth/callback";
export const MCP_HEADERS = { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };

export interface BenchUser {
  oid: string;
  userPrincipalName: string;
  displayName: string;
}

export interface BenchTenant {
  slug: string;
  /** A string found in this organization's data and nowhere else. */
  marker: string;
  entraTenantId: string;
  clientId: string;
  users: BenchUser[];
  /** The DCR client the tenant's users sign in with. */
  mcpClientId: string;
  /** The delegated Graph permissions signup asked the org to grant. */
  graphScopes: string[];
}

async function ok(response: HttpResponse, what: string, status = 200): Promise<HttpResponse> {
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status} ${response.text.slice(0, 500)}`);
  return response;
}

function json(body: unknown) {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function form(fields: Record<string, string>, cookie?: string) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (cookie) headers.cookie = cookie;
  return { method: "POST", headers, body: new URLSearchParams(fields).toString() };
}

/** A browser's cookie jar for one host: enough for the consent and upstream-state cookies. */
class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: HttpResponse): void {
    for (const line of setCookies(response)) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name} in the page`);
  return match[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}

export class SignIn {
  constructor(
    private readonly http: LoopbackHttp,
    private readonly emulatorUrl: string,
    private readonly gatewayOrigin: (slug?: string) => string,
  ) {}

  async #control(path: string, body: unknown): Promise<void> {
    await ok(await this.http.fetch(`${this.emulatorUrl}/_emulator${path}`, json(body)), `emulator ${path}`, 201);
  }

  /** An organization with `userCount` users, signed up on the gateway, with one registered MCP client. */
  async createTenant(slug: string, marker: string, userCount: number): Promise<BenchTenant> {
    const entraTenantId = randomUUID();
    const clientId = randomUUID();
    const clientSecret = `Bx8~${randomBytes(16).toString("hex")}`;
    await this.#control("/tenants", { tenantId: entraTenantId, displayName: `Org ${marker}` });
    await this.#control(`/tenants/${entraTenantId}/apps`, {
      clientId,
      secrets: [{ value: clientSecret }],
      redirectUris: [`${this.gatewayOrigin(slug)}/callback`],
    });
    const users: BenchUser[] = [];
    for (let index = 0; index < userCount; index += 1) {
      const number = String(index + 1).padStart(2, "0");
      const user = { oid: randomUUID(), userPrincipalName: `user${number}@${marker}.example`, displayName: `User ${number} ${marker}` };
      await this.#control(`/tenants/${entraTenantId}/users`, { ...user, timeZone: "W. Europe Standard Time" });
      users.push(user);
    }
    const signup = await ok(
      await this.http.fetch(`${this.gatewayOrigin()}/api/signup`, json({ orgName: `Org ${marker}`, slug, entraTenantId, clientId, clientSecret, adminEmail: `it@${marker}.example` })),
      `signup ${slug}`,
      201,
    );
    const { delegatedPermissions: permissions, adminConsentUrl } = JSON.parse(signup.text) as { delegatedPermissions: string[]; adminConsentUrl: string };
    // The org admin grants the permissions only an admin can (ChannelMessage.Read.All) for everyone.
    await ok(await this.http.fetch(adminConsentUrl), "admin consent", 302);
    const graphScopes = permissions.filter((permission) => !["openid", "profile", "offline_access"].includes(permission));
    const registered = await ok(
      await this.http.fetch(
        `${this.gatewayOrigin(slug)}/register`,
        json({ client_name: "Bench MCP client", redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] }),
      ),
      `register a client on ${slug}`,
      201,
    );
    const mcpClientId = String((JSON.parse(registered.text) as { client_id: string }).client_id);
    return { slug, marker, entraTenantId, clientId, users, mcpClientId, graphScopes };
  }

  /** The interactive leg as a person does it, then the code exchange: the user's MCP access token. */
  async signIn(tenant: BenchTenant, user: BenchUser): Promise<string> {
    const origin = this.gatewayOrigin(tenant.slug);
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = new URL(`${origin}/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: tenant.mcpClientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: randomUUID(),
      resource: `${origin}/mcp`,
    }).toString();
    const jar = new CookieJar();
    const consent = await ok(await this.http.fetch(authorize.toString()), "consent page");
    jar.store(consent);
    const approved = await ok(await this.http.fetch(`${origin}/authorize`, form({ handle: hiddenField(consent.text, "handle"), decision: "approve" }, jar.header())), "approve", 302);
    jar.store(approved);
    const entra = new URL(header(approved, "location") ?? "");
    entra.searchParams.set("login_hint", user.userPrincipalName);
    const signedIn = await ok(await this.http.fetch(entra.toString()), "Entra sign-in", 302);
    const callback = await ok(await this.http.fetch(header(signedIn, "location") ?? "", { headers: { cookie: jar.header() } }), "callback", 302);
    const back = new URL(header(callback, "location") ?? "");
    if (!back.toString().startsWith(CLIENT_REDIRECT)) throw new Error(`callback sent the browser to ${back.origin}`);
    const tokens = await ok(
      await this.http.fetch(`${origin}/token`, form({ grant_type: "authorization_code", code: back.searchParams.get("code") ?? "", client_id: tenant.mcpClientId, redirect_uri: CLIENT_REDIRECT, code_verifier: verifier, resource: `${origin}/mcp` })),
      "token",
    );
    return String((JSON.parse(tokens.text) as { access_token: string }).access_token);
  }

  /** A Graph token for the user straight from the emulator, for the baseline and read-backs. */
  async graphToken(tenant: Pick<BenchTenant, "entraTenantId">, user: BenchUser, scopes: string[]): Promise<string> {
    const response = await ok(await this.http.fetch(`${this.emulatorUrl}/_emulator/tokens`, json({ tenantId: tenant.entraTenantId, oid: user.oid, scopes })), "mint a Graph token");
    return String((JSON.parse(response.text) as { access_token: string }).access_token);
  }
}

export interface RpcResult {
  status: number;
  ms: number;
  /** The tool's text, or the JSON-RPC / HTTP error. */
  text: string;
  /** HTTP or JSON-RPC failure: the request itself did not work. */
  transportError: boolean;
  /** The tool ran and reported an error (e.g. Graph refused). */
  toolError: boolean;
}

/** One MCP `tools/call` over HTTP with the user's bearer token. */
export async function callTool(http: LoopbackHttp, mcpUrl: string, accessToken: string, name: string, args: Record<string, unknown>, id = 1): Promise<RpcResult> {
  const response = await http.fetch(mcpUrl, {
    method: "POST",
    headers: { ...MCP_HEADERS, "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } }),
  });
  if (response.status !== 200) return { status: response.status, ms: response.ms, text: response.text.slice(0, 300), transportError: true, toolError: false };
  let payload = response.text;
  if ((header(response, "content-type") ?? "").includes("text/event-stream")) {
    payload = payload.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim()).pop() ?? "{}";
  }
  try {
    const reply = JSON.parse(payload) as { error?: { message?: string }; result?: { isError?: boolean; content?: { text?: string }[] } };
    if (reply.error || !reply.result) return { status: 200, ms: response.ms, text: reply.error?.message ?? "no result", transportError: true, toolError: false };
    const text = (reply.result.content ?? []).map((part) => part.text ?? "").join("\n");
    return { status: 200, ms: response.ms, text, transportError: false, toolError: Boolean(reply.result.isError) };
  } catch {
    return { status: 200, ms: response.ms, text: payload.slice(0, 300), transportError: true, toolError: false };
  }
}
