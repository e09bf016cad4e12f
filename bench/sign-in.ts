import { randomBytes, randomUUID } from "node:crypto";
import { type ControlClient, controlClient } from "../emulator/control-client";
import {
  authorizeInBrowser,
  authorizeUrlAt,
  Browser,
  exchangeCodeAt,
  type FetchFn,
  grantAdminConsent,
  registerClient,
  pkcePair,
} from "../test/helpers/oauth-browser";
import { header, type HttpResponse, type LoopbackHttp, loopbackFetch } from "./http";

/**
 * Organizations and users for the load benchmarks, set up the way real ones
 * are: the Entra side on the emulator's control API, signup through the
 * gateway's API, dynamic client registration, and each user signed in
 * through the whole OAuth bridge over HTTP (consent page, Allow, Entra
 * sign-in with login_hint, /callback, /token), with the browser the tests use.
 */
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

export class SignIn {
  /** The emulator's control API, over the bench's own HTTP client. */
  readonly emulator: ControlClient;
  readonly #send: FetchFn;

  constructor(
    private readonly http: LoopbackHttp,
    emulatorUrl: string,
    private readonly gatewayOrigin: (slug?: string) => string,
  ) {
    this.#send = loopbackFetch(http);
    this.emulator = controlClient(emulatorUrl, this.#send);
  }

  /** An organization with `userCount` users, signed up on the gateway, with one registered MCP client. */
  async createTenant(slug: string, marker: string, userCount: number): Promise<BenchTenant> {
    const entraTenantId = randomUUID();
    const clientId = randomUUID();
    const clientSecret = `Bx8~${randomBytes(16).toString("hex")}`;
    await this.emulator.createTenant({ tenantId: entraTenantId, displayName: `Org ${marker}` });
    await this.emulator.registerApp(entraTenantId, {
      clientId,
      secrets: [{ value: clientSecret }],
      redirectUris: [`${this.gatewayOrigin(slug)}/callback`],
    });
    const users: BenchUser[] = [];
    for (let index = 0; index < userCount; index += 1) {
      const number = String(index + 1).padStart(2, "0");
      const user = { oid: randomUUID(), userPrincipalName: `user${number}@${marker}.example`, displayName: `User ${number} ${marker}` };
      await this.emulator.addUser(entraTenantId, { ...user, timeZone: "W. Europe Standard Time" });
      users.push(user);
    }
    const signup = await ok(
      await this.http.fetch(
        `${this.gatewayOrigin()}/api/signup`,
        json({ orgName: `Org ${marker}`, slug, entraTenantId, clientId, clientSecret, adminEmail: `it@${marker}.example` }),
      ),
      `signup ${slug}`,
      201,
    );
    const { delegatedPermissions: permissions, adminConsentUrl } = JSON.parse(signup.text) as {
      delegatedPermissions: string[];
      adminConsentUrl: string;
    };
    // The org admin grants the permissions only an admin can (ChannelMessage.Read.All) for everyone.
    await grantAdminConsent(this.#send, adminConsentUrl);
    const graphScopes = permissions.filter((permission) => !["openid", "profile", "offline_access"].includes(permission));
    const { client_id: mcpClientId } = await registerClient(this.#send, this.gatewayOrigin(slug), "Bench MCP client");
    return { slug, marker, entraTenantId, clientId, users, mcpClientId, graphScopes };
  }

  /** The interactive leg as a person does it, then the code exchange: the user's MCP access token. */
  async signIn(tenant: BenchTenant, user: BenchUser): Promise<string> {
    const origin = this.gatewayOrigin(tenant.slug);
    const { verifier, challenge } = await pkcePair();
    const authorize = authorizeUrlAt(origin, tenant.mcpClientId, challenge, { state: randomUUID() });
    const back = await authorizeInBrowser(new Browser(this.#send), authorize, user.userPrincipalName);
    const tokens = await exchangeCodeAt(this.#send, origin, tenant.mcpClientId, back.searchParams.get("code") ?? "", verifier);
    if (tokens.status !== 200) throw new Error(`token: HTTP ${tokens.status} ${(await tokens.text()).slice(0, 500)}`);
    return String(((await tokens.json()) as { access_token: string }).access_token);
  }

  /** A Graph token for the user straight from the emulator, for the baseline and read-backs. */
  async graphToken(tenant: Pick<BenchTenant, "entraTenantId">, user: BenchUser, scopes: string[]): Promise<string> {
    return (await this.emulator.mintToken({ tenantId: tenant.entraTenantId, oid: user.oid, scopes })).access_token;
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
export async function callTool(
  http: LoopbackHttp,
  mcpUrl: string,
  accessToken: string,
  name: string,
  args: Record<string, unknown>,
  id = 1,
): Promise<RpcResult> {
  const response = await http.fetch(mcpUrl, {
    method: "POST",
    headers: { ...MCP_HEADERS, "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } }),
  });
  if (response.status !== 200)
    return { status: response.status, ms: response.ms, text: response.text.slice(0, 300), transportError: true, toolError: false };
  let payload = response.text;
  if ((header(response, "content-type") ?? "").includes("text/event-stream")) {
    payload =
      payload
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .pop() ?? "{}";
  }
  try {
    const reply = JSON.parse(payload) as { error?: { message?: string }; result?: { isError?: boolean; content?: { text?: string }[] } };
    if (reply.error || !reply.result)
      return { status: 200, ms: response.ms, text: reply.error?.message ?? "no result", transportError: true, toolError: false };
    const text = (reply.result.content ?? []).map((part) => part.text ?? "").join("\n");
    return { status: 200, ms: response.ms, text, transportError: false, toolError: Boolean(reply.result.isError) };
  } catch {
    return { status: 200, ms: response.ms, text: payload.slice(0, 300), transportError: true, toolError: false };
  }
}
