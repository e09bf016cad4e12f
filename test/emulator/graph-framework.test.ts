import { describe, expect, it } from "vitest";
import { EMULATOR, emulator, graph, graphToken, newEntraTenant, signedInUser } from "../helpers/emulator";

describe("emulated Graph: tokens, scopes and errors", () => {
  it("serves /me for a token with User.Read, honouring $select", async () => {
    const { token, user } = await signedInUser(["User.Read"]);
    const response = await graph(token, "/me?$select=displayName,mail");
    expect(response.status).toBe(200);
    expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ id: user.oid, displayName: user.displayName, mail: user.userPrincipalName });
  });

  it("answers 401 InvalidAuthenticationToken without, with a forged, or with an expired token", async () => {
    const { tenantId, users } = await newEntraTenant();
    const missing = await fetch(`${EMULATOR()}/v1.0/me`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    const token = await graphToken(tenantId, users[0].oid, ["User.Read"]);
    const [header, payload] = token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(342)}`;
    expect((await graph(forged, "/me")).status).toBe(401);
    const expired = await graphToken(tenantId, users[0].oid, ["User.Read"], -60);
    const expiredResponse = await graph(expired, "/me");
    expect(expiredResponse.status).toBe(401);
    expect(((await expiredResponse.json()) as { error: { message: string } }).error.message).toContain("expired");
  });

  it("answers 403 ErrorAccessDenied when the token lacks the endpoint's scope", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const response = await graph(token, "/me");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
  });

  it("rejects every token of a user after revocation", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    expect((await graph(token, "/me")).status).toBe(200);
    await emulator.revokeUser(tenantId, user.oid);
    expect((await graph(token, "/me")).status).toBe(401);
    expect((await graph(await graphToken(tenantId, user.oid, ["User.Read"]), "/me")).status).toBe(200);
  });

  it("throttles the next calls of one user with 429 and Retry-After, then recovers", async () => {
    const { tenantId, user, token, other } = await signedInUser(["User.Read"]);
    const otherToken = await graphToken(tenantId, other.oid, ["User.Read"]);
    await emulator.queueFault({ status: 429, count: 2, retryAfterSeconds: 3, userKey: `${tenantId}.${user.oid}` });
    const first = await graph(token, "/me");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await graph(otherToken, "/me")).status).toBe(200);
    expect((await graph(token, "/me")).status).toBe(429);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("answers 503 when a fault is injected", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    await emulator.queueFault({ status: 503, userKey: `${tenantId}.${user.oid}` });
    expect((await graph(token, "/me")).status).toBe(503);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("runs $batch sub-requests through the same checks, each on its own", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    await emulator.queueFault({
      status: 429,
      count: 1,
      retryAfterSeconds: 2,
      userKey: `${tenantId}.${user.oid}`,
      pathContains: "/mailboxSettings",
    });
    const response = await graph(token, "/$batch", {
      json: {
        requests: [
          { id: "1", method: "GET", url: "/me?$select=displayName" },
          { id: "2", method: "GET", url: "/me/mailboxSettings" },
          { id: "3", method: "GET", url: "/me", dependsOn: ["2"] },
        ],
      },
    });
    expect(response.status).toBe(200);
    const { responses } = (await response.json()) as { responses: { id: string; status: number; headers?: Record<string, string> }[] };
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ["1", 200],
      ["2", 429],
      ["3", 424],
    ]);
    expect(responses[1]?.headers?.["retry-after"]).toBe("2");
  });

  it("refuses a $batch of more than 20 requests", async () => {
    const { token } = await signedInUser(["User.Read"]);
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" }));
    const response = await graph(token, "/$batch", { json: { requests } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("limit of 20");
  });
});
