import { describe, expect, it } from "vitest";
import { call, json, tenantUrl } from "./helpers/gateway";
import { connectedUser, injectGraphFault } from "./helpers/mcp";

describe("/mcp: catalogue, policy and agent", () => {
  it("answers whoami through the user's agent and Graph", async () => {
    const user = await connectedUser();
    const result = await user.callTool("whoami");
    expect(result.isError).toBe(false);
    expect(result.text).toContain(`Account: ${user.user.userPrincipalName}`);
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    const result = await user.callTool("whoami", { unexpected: 1 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("unexpected");
  });

  it("retries a throttled Graph call after Retry-After and succeeds", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me" });
    const result = await user.callTool("whoami");
    expect(result.isError).toBe(false);
  });

  it("turns persistent throttling into a tool error that says to wait", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 10, retryAfterSeconds: 0, pathContains: "/me" });
    const result = await user.callTool("whoami");
    expect(result.isError).toBe(true);
    expect(result.text).toContain("429");
    expect(result.text).toContain("throttling");
  });

  it("serves the profile resource", async () => {
    const user = await connectedUser();
    const reply = await user.rpc("resources/read", { uri: "profile://me" });
    expect(JSON.stringify(reply.result)).toContain(user.user.userPrincipalName);
  });
});

describe("legacy SSE transport", () => {
  it("answers /sse with a clear 410 that points to the Streamable HTTP endpoint", async () => {
    const user = await connectedUser();
    for (const path of ["/sse", "/sse/message?sessionId=abc"]) {
      const response = await call(tenantUrl(user.tenant.slug, path), { bearer: user.accessToken });
      expect(response.status).toBe(410);
      const body = await json<{ error: string; mcpUrl: string }>(response);
      expect(body).toMatchObject({ error: "sse_transport_not_supported", mcpUrl: tenantUrl(user.tenant.slug, "/mcp") });
    }
  });
});
