import { describe, expect, it } from "vitest";
import { calledToolName, PREPARSE_MAX_BYTES, readMcpBody } from "../src/agent/mcp-request";
import { call, tenantUrl } from "./helpers/gateway";
import { connectedUser } from "./helpers/mcp";

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("https://acme.mcp.example.com/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(body.length), ...headers },
    body,
  });

describe("reading an /mcp body once", () => {
  it("names the tool of a single tools/call and nothing else", () => {
    expect(calledToolName({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami" } })).toBe("whoami");
    expect(calledToolName({ jsonrpc: "2.0", id: 1, method: "tools/list" })).toBeUndefined();
    expect(calledToolName([{ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami" } }])).toBeUndefined();
    expect(calledToolName({ method: "tools/call", params: { name: 7 } })).toBeUndefined();
    expect(calledToolName({ method: "tools/call" })).toBeUndefined();
    expect(calledToolName("tools/call")).toBeUndefined();
    expect(calledToolName(null)).toBeUndefined();
  });

  it("parses a modest JSON body and hands on a request that still carries it", async () => {
    const body = await readMcpBody(post('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
    expect(body.parsedBody).toEqual({ jsonrpc: "2.0", id: 1, method: "ping" });
    expect(await body.request.text()).toBe('{"jsonrpc":"2.0","id":1,"method":"ping"}');
  });

  it("leaves invalid JSON, bodies without a length and oversized bodies to the SDK", async () => {
    const broken = await readMcpBody(post("{not json"));
    expect(broken.parsedBody).toBeUndefined();
    expect(await broken.request.text()).toBe("{not json");
    const oversized = post("{}", { "content-length": String(PREPARSE_MAX_BYTES + 1) });
    expect((await readMcpBody(oversized)).request).toBe(oversized);
    const get = new Request("https://acme.mcp.example.com/mcp");
    expect((await readMcpBody(get)).request).toBe(get);
  });
});

describe("/mcp with the body read once", () => {
  it("answers a JSON-RPC parse error for a body that is not JSON, and 413 for an oversized one", async () => {
    const user = await connectedUser();
    const headers = {
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
      "content-type": "application/json",
    };
    const broken = await call(tenantUrl(user.tenant.slug, "/mcp"), {
      method: "POST",
      bearer: user.accessToken,
      headers,
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/Parse error/i);
    const huge = await call(tenantUrl(user.tenant.slug, "/mcp"), {
      method: "POST",
      bearer: user.accessToken,
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(5 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
  });

  it("calls a tool with only that tool registered, and still refuses one the user cannot see", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    expect((await user.callTool("whoami")).isError).toBe(false);
    const refused = await user.callTool("send_message", { to: ["a@b.example"], subject: "s", body: "b" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Tool send_message not found/);
  });
});

describe("/mcp for 2025-era clients: one JSON answer, same checks", () => {
  const legacyHeaders = {
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-06-18",
    "content-type": "application/json",
  };
  const toolCall = JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "whoami", arguments: {} } });

  it("answers a tools/call with application/json carrying the result, and a notification with 202", async () => {
    const user = await connectedUser();
    const response = await call(tenantUrl(user.tenant.slug, "/mcp"), {
      method: "POST",
      bearer: user.accessToken,
      headers: legacyHeaders,
      body: toolCall,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const reply = (await response.json()) as { id: number; result: { isError?: boolean; content: { text: string }[] } };
    expect(reply.id).toBe(7);
    expect(reply.result.isError ?? false).toBe(false);
    expect(reply.result.content[0]?.text).toContain(user.tenant.user.userPrincipalName);
    const notification = await call(tenantUrl(user.tenant.slug, "/mcp"), {
      method: "POST",
      bearer: user.accessToken,
      headers: legacyHeaders,
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    expect(notification.status).toBe(202);
  });

  it("refuses a browser Origin other than the tenant's host or a local client, before any tool runs", async () => {
    const user = await connectedUser();
    const url = tenantUrl(user.tenant.slug, "/mcp");
    const foreign = await call(url, {
      method: "POST",
      bearer: user.accessToken,
      headers: { ...legacyHeaders, origin: "https://evil.example" },
      body: toolCall,
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).not.toContain(user.tenant.user.userPrincipalName);
    const local = await call(url, {
      method: "POST",
      bearer: user.accessToken,
      headers: { ...legacyHeaders, origin: "http://localhost:6274" },
      body: toolCall,
    });
    expect(local.status).toBe(200);
    const own = await call(url, {
      method: "POST",
      bearer: user.accessToken,
      headers: { ...legacyHeaders, origin: new URL(url).origin },
      body: toolCall,
    });
    expect(own.status).toBe(200);
  });

  it("still answers GET with 405: there is no standalone stream to open", async () => {
    const user = await connectedUser();
    const response = await call(tenantUrl(user.tenant.slug, "/mcp"), {
      method: "GET",
      bearer: user.accessToken,
      headers: { accept: "text/event-stream", "mcp-protocol-version": "2025-06-18" },
    });
    expect(response.status).toBe(405);
  });
});
