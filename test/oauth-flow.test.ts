import { describe, expect, it } from "vitest";
import { call, json, tenantUrl } from "./helpers/gateway";
import { authorizeInBrowser, authorizeUrl, Browser, exchangeCode, pkcePair, registerClient, tenantWithUser } from "./helpers/oauth-flow";

async function mcp(slug: string, token: string, body: unknown) {
  return call(tenantUrl(slug, "/mcp"), {
    json: body,
    bearer: token,
    headers: { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
  });
}

describe("OAuth bridge: MCP client ↔ gateway ↔ the org's Entra app", () => {
  it("challenges /mcp with the tenant's protected-resource metadata", async () => {
    const tenant = await tenantWithUser();
    const response = await call(tenantUrl(tenant.slug, "/mcp"), { json: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain(
      `resource_metadata="${tenantUrl(tenant.slug, "/.well-known/oauth-protected-resource/mcp")}"`,
    );
    const metadata = await json(await call(tenantUrl(tenant.slug, "/.well-known/oauth-protected-resource/mcp")));
    expect(metadata.resource).toBe(tenantUrl(tenant.slug, "/mcp"));
    expect(metadata.authorization_servers).toEqual([tenantUrl(tenant.slug)]);
    const as = await json(await call(tenantUrl(tenant.slug, "/.well-known/oauth-authorization-server")));
    expect(as).toMatchObject({
      issuer: tenantUrl(tenant.slug),
      registration_endpoint: tenantUrl(tenant.slug, "/register"),
      code_challenge_methods_supported: ["S256"],
    });
  });

  it("signs a user in through consent and Entra, and serves tools to the token", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { verifier, challenge } = await pkcePair();
    const browser = new Browser();
    const back = await authorizeInBrowser(browser, authorizeUrl(tenant.slug, client.client_id, challenge), tenant.user.userPrincipalName);
    expect(back.searchParams.get("state")).toBe("client-state-1");
    expect(back.searchParams.get("iss")).toBe(tenantUrl(tenant.slug));
    const tokenResponse = await exchangeCode(tenant.slug, client.client_id, back.searchParams.get("code") ?? "", verifier);
    expect(tokenResponse.status).toBe(200);
    const tokens = await json<{ access_token: string; refresh_token: string; expires_in: number }>(tokenResponse);
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    const list = await mcp(tenant.slug, tokens.access_token, { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
    if (list.status !== 200) console.error("MCP", list.status, await list.clone().text());
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).toContain("whoami");
    const who = await mcp(tenant.slug, tokens.access_token, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "whoami", arguments: {} },
    });
    expect(await who.text()).toContain(tenant.user.userPrincipalName);
  });
});
