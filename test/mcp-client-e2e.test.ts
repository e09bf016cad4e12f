import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { describe, expect, it } from "vitest";
import { workerFetch } from "./helpers/browser";
import { emulator } from "./helpers/emulator";
import { tenantUrl } from "./helpers/gateway";
import { authorizeInBrowser, Browser, CLIENT_REDIRECT, tenantWithUser } from "./helpers/oauth-flow";

/**
 * The official MCP TypeScript client, with its own OAuth support, against the
 * gateway and the Entra emulator: discovery → DCR → consent → Entra sign-in
 * → callback → token → tools/list → tools/call → refresh after expiry.
 */
class InMemoryOAuthProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  readonly redirectUrl = CLIENT_REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: "SDK e2e client",
    redirect_uris: [CLIENT_REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** Gateway hosts go to the Worker's fetch handler; the emulator over real HTTP. */
const routedFetch: typeof fetch = async (input, init) => workerFetch(new Request(input, init));

async function connect(url: URL, auth: InMemoryOAuthProvider) {
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: auth, fetch: routedFetch }));
  return client;
}

describe("the official MCP client signs in through the gateway", () => {
  it("runs discovery, DCR, consent, Entra sign-in, tools and a refresh after expiry", async () => {
    const tenant = await tenantWithUser();
    // Short Entra tokens, so the gateway must refresh through Entra.
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: tenant.input.clientId,
      secrets: [{ value: tenant.input.clientSecret }],
      redirectUris: [tenant.redirectUri],
      accessTokenLifetimeSeconds: 120,
    });
    const mcpUrl = new URL(tenantUrl(tenant.slug, "/mcp"));
    const auth = new InMemoryOAuthProvider();

    const firstTransport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth, fetch: routedFetch });
    await expect(new Client({ name: "e2e", version: "1.0.0" }).connect(firstTransport)).rejects.toThrow(/Unauthorized/);
    expect(auth.client?.client_id).toBeTruthy();
    expect(auth.authorizationUrl?.origin).toBe(tenantUrl(tenant.slug));
    expect(auth.authorizationUrl?.searchParams.get("resource")).toBe(mcpUrl.toString());

    const back = await authorizeInBrowser(new Browser(), auth.authorizationUrl?.toString() ?? "", tenant.user.userPrincipalName);
    await firstTransport.finishAuth(back.searchParams.get("code") ?? "");
    expect(auth.saved?.expires_in).toBeLessThanOrEqual(60);

    const client = await connect(mcpUrl, auth);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("whoami");
    const who = await client.callTool({ name: "whoami", arguments: {} });
    expect(JSON.stringify(who.content)).toContain(tenant.user.userPrincipalName);
    await client.close();

    // The client's access token is rejected once revoked locally; its refresh token gets a new one.
    const before = auth.saved?.access_token;
    auth.saveTokens({ ...(auth.saved as OAuthTokens), access_token: "expired-or-unknown-token" });
    const again = await connect(mcpUrl, auth);
    expect((await again.callTool({ name: "whoami", arguments: {} })).isError).toBeFalsy();
    expect(auth.saved?.access_token).not.toBe(before);
    await again.close();
  });
});
