import { Client, ProtocolError, StreamableHTTPClientTransport, UnauthorizedError } from "@modelcontextprotocol/client";
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TOOLS } from "../src/graph/tools";
import { DEFAULT_GROUPS } from "../src/tenancy/policy";
import { graph, graphToken } from "./helpers/emulator";
import { createTenant, tenantUrl } from "./helpers/gateway";
import { connectedUser } from "./helpers/mcp";

/**
 * The official v2 MCP client (`@modelcontextprotocol/client`) pinned to the
 * 2026-07-28 revision against /mcp: `server/discover` instead of `initialize`,
 * no session, the per-request `_meta` envelope and `MCP-Protocol-Version`
 * header. 2025-era clients are covered by mcp-client-e2e and mcp-endpoint.
 */
const MODERN = "2026-07-28";

type User = Awaited<ReturnType<typeof connectedUser>>;

interface Exchange {
  method: string;
  url: string;
  rpcMethod?: string;
  protocolVersion: string | null;
  status: number;
  headers: Headers;
}

/** A modern client whose requests reach the Worker's fetch handler; every exchange is recorded. */
function modernClient(mcpUrl: string, accessToken?: string) {
  const seen: Exchange[] = [];
  const fetchToGateway = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const body = request.method === "POST" ? ((await request.clone().json()) as { method?: string }) : {};
    const response = await exports.default.fetch(request);
    seen.push({
      method: request.method,
      url: request.url,
      rpcMethod: body.method,
      protocolVersion: request.headers.get("mcp-protocol-version"),
      status: response.status,
      headers: response.headers,
    });
    return response;
  };
  const client = new Client({ name: "modern-e2e", version: "1.0.0" }, { versionNegotiation: { mode: { pin: MODERN } } });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    fetch: fetchToGateway,
    ...(accessToken === undefined ? {} : { authProvider: { token: async () => accessToken } }),
  });
  return { client, transport, seen };
}

function textOf(result: { content?: unknown }): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((block) => block.text ?? "").join("\n");
}

describe("a 2026-07-28 client on /mcp", () => {
  let user: User;
  let session: ReturnType<typeof modernClient>;

  beforeAll(async () => {
    user = await connectedUser();
    session = modernClient(tenantUrl(user.tenant.slug, "/mcp"), user.accessToken);
    await session.client.connect(session.transport);
  });

  afterAll(async () => {
    await session?.client.close();
  });

  it("negotiates 2026-07-28 through server/discover, without initialize or a session", () => {
    expect(session.client.getProtocolEra()).toBe("modern");
    expect(session.client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(session.client.getServerVersion()?.name).toBe(`${user.tenant.tenant.displayName} Microsoft 365`);
    // Each request gets a fresh server: it never sends list-changed notifications, so it does not offer them.
    expect(session.client.getServerCapabilities()).toMatchObject({ tools: { listChanged: false }, resources: { listChanged: false } });
    expect(session.seen[0]).toMatchObject({ method: "POST", rpcMethod: "server/discover", protocolVersion: MODERN, status: 200 });
    expect(session.seen.map((exchange) => exchange.rpcMethod)).not.toContain("initialize");
  });

  it("lists the whole catalogue the user may see, the same as a 2025-era client does", async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain("whoami");
    expect(names).toContain("list_messages");
    // The default policy: every tool of the default groups.
    const defaults = ALL_TOOLS.filter((tool) => tool.group === "profile" || DEFAULT_GROUPS.includes(tool.group));
    expect([...names].sort()).toEqual(defaults.map((tool) => tool.name).sort());
    expect([...names].sort()).toEqual((await user.listTools()).map((tool) => tool.name).sort());
  });

  it("answers whoami with the signed-in user's Microsoft 365 profile", async () => {
    const result = await session.client.callTool({ name: "whoami", arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain(`Name: ${user.user.displayName}`);
    expect(textOf(result)).toContain(`Account: ${user.user.userPrincipalName}`);
  });

  it("lists the user's newest inbox messages as Graph holds them", async () => {
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.Read"]);
    const inbox = await graph(token, "/me/mailFolders/inbox/messages?$top=3&$orderby=receivedDateTime%20desc&$select=id,subject");
    expect(inbox.status).toBe(200);
    const newest = ((await inbox.json()) as { value: { id: string; subject: string }[] }).value;
    expect(newest).toHaveLength(3);

    const result = await session.client.callTool({ name: "list_messages", arguments: { limit: 3 } });
    expect(result.isError).toBeFalsy();
    const lines = textOf(result)
      .split("\n")
      .filter((line) => line.includes(" · id: "));
    expect(lines).toHaveLength(3);
    newest.forEach((message, index) => {
      expect(lines[index]).toContain(message.subject);
      expect(lines[index]).toMatch(new RegExp(` · id: ${message.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
    });
  });

  it("names the offending field when arguments are invalid", async () => {
    const wrongType = await session.client.callTool({ name: "list_messages", arguments: { limit: "many" } });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/\blimit\b/);

    const notAnAddress = await session.client.callTool({ name: "list_messages", arguments: { from: "not-an-address" } });
    expect(notAnAddress.isError).toBe(true);
    expect(textOf(notAnAddress)).toContain("from");
    expect(textOf(notAnAddress)).toContain("expected an email address");

    const unknownKey = await session.client.callTool({ name: "whoami", arguments: { unexpected: 1 } });
    expect(unknownKey.isError).toBe(true);
    expect(textOf(unknownKey)).toContain("unexpected");
  });

  it("answers a tool that does not exist with a protocol error naming it", async () => {
    const call = session.client.callTool({ name: "no_such_tool", arguments: {} });
    await expect(call).rejects.toBeInstanceOf(ProtocolError);
    await expect(call).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("no_such_tool") });
  });

  it("serves the profile resource", async () => {
    const { resources } = await session.client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain("profile://me");
    const read = await session.client.readResource({ uri: "profile://me" });
    const [contents] = read.contents;
    expect(contents).toMatchObject({ uri: "profile://me", mimeType: "text/plain" });
    expect(contents && "text" in contents ? contents.text : "").toContain(`Account: ${user.user.userPrincipalName}`);
  });

  it("sends 2026-07-28 on every request and is never handed a session", () => {
    expect(session.seen.length).toBeGreaterThan(5);
    for (const exchange of session.seen) {
      expect(exchange.protocolVersion).toBe(MODERN);
      expect(exchange.headers.has("mcp-session-id")).toBe(false);
    }
  });
});

describe("a 2026-07-28 client on a read-only tenant", () => {
  it("sees no write tool and cannot call one", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    const { client, transport } = modernClient(tenantUrl(user.tenant.slug, "/mcp"), user.accessToken);
    await client.connect(transport);
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("list_messages");
      expect(names).not.toContain("send_message");
      await expect(client.callTool({ name: "send_message", arguments: {} })).rejects.toMatchObject({
        code: -32602,
        message: expect.stringContaining("send_message"),
      });
    } finally {
      await client.close();
    }
  });
});

describe("a 2026-07-28 client without a valid token for the host", () => {
  let user: User;

  beforeAll(async () => {
    user = await connectedUser();
  });

  it("gets 401 with the resource metadata to sign in from when it sends no token", async () => {
    const mcpUrl = tenantUrl(user.tenant.slug, "/mcp");
    const { client, transport, seen } = modernClient(mcpUrl);
    await expect(client.connect(transport)).rejects.toThrow(/401/);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ rpcMethod: "server/discover", protocolVersion: MODERN, status: 401 });
    expect(seen[0]?.headers.get("www-authenticate")).toContain(
      `resource_metadata="${tenantUrl(user.tenant.slug, "/.well-known/oauth-protected-resource/mcp")}"`,
    );
  });

  it("is refused on another organization's host with the same access token", async () => {
    const other = await createTenant();
    const { client, transport, seen } = modernClient(tenantUrl(other.tenant.slug, "/mcp"), user.accessToken);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(seen.length).toBeGreaterThan(0);
    for (const exchange of seen) {
      expect(exchange.url).toBe(tenantUrl(other.tenant.slug, "/mcp"));
      expect(exchange.status).toBe(401);
    }
    const challenge = seen[0]?.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${tenantUrl(other.tenant.slug, "/.well-known/oauth-protected-resource/mcp")}"`);

    // The token still works on its own organization's host.
    const home = modernClient(tenantUrl(user.tenant.slug, "/mcp"), user.accessToken);
    await home.client.connect(home.transport);
    try {
      expect(textOf(await home.client.callTool({ name: "whoami", arguments: {} }))).toContain(user.user.userPrincipalName);
    } finally {
      await home.client.close();
    }
  });
});
