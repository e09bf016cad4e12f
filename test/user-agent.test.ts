import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Semaphore, SingleFlight } from "../src/agent/semaphore";
import { SETTLE_MS } from "../src/agent/dead-grants";
import { PRODUCED_RESULT_MS } from "../src/agent/refresh-gate";
import type { AgentAuth, GrantRefreshOutcome } from "../src/agent/user-agent";
import type { GraphResponse } from "../src/graph/client";
import { userIdOf } from "../src/oauth/props";
import { agentName } from "../src/tenancy/agent-name";
import { emulator } from "./helpers/emulator";
import { pkcePair } from "./helpers/oauth-browser";
import { tenantWithUser } from "./helpers/oauth-flow";

/** Entra tokens for the tenant's user, straight from the emulator's code flow. */
async function entraTokens(tenant: Awaited<ReturnType<typeof tenantWithUser>>) {
  const { verifier, challenge } = await pkcePair();
  const authorize = new URL(`${env.LOGIN_BASE}/${tenant.entraTenantId}/oauth2/v2.0/authorize`);
  authorize.search = new URLSearchParams({
    client_id: String(tenant.input.clientId),
    response_type: "code",
    redirect_uri: tenant.redirectUri,
    scope: "openid offline_access User.Read",
    code_challenge: challenge,
    code_challenge_method: "S256",
    login_hint: tenant.user.userPrincipalName,
  }).toString();
  const code = new URL((await fetch(authorize, { redirect: "manual" })).headers.get("location") ?? "").searchParams.get("code") ?? "";
  const response = await fetch(`${env.LOGIN_BASE}/${tenant.entraTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: tenant.redirectUri,
      code_verifier: verifier,
      client_id: String(tenant.input.clientId),
      client_secret: String(tenant.input.clientSecret),
    }),
  });
  return (await response.json()) as { access_token: string; refresh_token: string };
}

/** The agent's view of a signed-in user, with a Graph token `expiresIn` seconds from now (negative: expired). */
function agentAuth(
  tenant: Awaited<ReturnType<typeof tenantWithUser>>,
  tokens: { access_token: string; refresh_token: string },
  expiresIn: number,
): AgentAuth {
  return {
    tenantId: tenant.tenant.id,
    tid: tenant.entraTenantId,
    oid: tenant.user.oid,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
    grantedScopes: ["User.Read"],
    cloud: "global",
  };
}

function agentFor(auth: Pick<AgentAuth, "tenantId" | "tid" | "oid">) {
  return env.USER_AGENT.getByName(agentName(auth.tenantId, userIdOf(auth)));
}

describe("the per-user Graph agent", () => {
  it("is named <tenantId>:<tid>.<oid> and refuses a request carrying another user's claims", async () => {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    const mine: AgentAuth = {
      tenantId: tenant.tenant.id,
      tid: tenant.entraTenantId,
      oid: tenant.user.oid,
      accessToken: tokens.access_token,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      grantedScopes: ["User.Read"],
      cloud: "global",
    };
    const name = `${tenant.tenant.id}:${tenant.entraTenantId}.${tenant.user.oid}`;
    expect(agentName(mine.tenantId, userIdOf(mine))).toBe(name);
    const agent = agentFor(mine);
    const ok = (await agent.graph({ method: "GET", path: "/me" }, mine)) as GraphResponse;
    expect(ok.ok).toBe(true);
    // The object knows its own name from its id, which is what it checks the claims against.
    expect(await runInDurableObject(agent, (_instance, state) => state.id.name)).toBe(name);
    // Same user and directory, but presented as another gateway tenant: a different agent name.
    const foreign = { ...mine, tenantId: crypto.randomUUID() };
    const refused = (await agent.graph({ method: "GET", path: "/me" }, foreign)) as GraphResponse;
    expect(refused).toMatchObject({ ok: false, status: 403, code: "WrongAgent" });
  });

  it("refreshes an expired Graph token once for many concurrent calls, and keeps the new token in its own storage", async () => {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    const auth = agentAuth(tenant, tokens, -10);
    const agent = agentFor(auth);
    // The emulator honours a rotated refresh token only once more, so several
    // refreshes in parallel would make some calls fail: all succeed only with one.
    const results = (await Promise.all(
      Array.from({ length: 6 }, () => agent.graph({ method: "GET", path: "/me" }, auth)),
    )) as GraphResponse[];
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    const stored = await runInDurableObject(agent, (_instance, state) =>
      state.storage.kv.get<{ accessToken: string; expiresAt: number }>("graph-token"),
    );
    expect(stored?.accessToken).not.toBe(tokens.access_token);
    expect(stored?.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("uses a Graph token it stored earlier under graph-token, newer than the caller's, without refreshing", async () => {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    const agent = agentFor({ tenantId: tenant.tenant.id, tid: tenant.entraTenantId, oid: tenant.user.oid });
    const now = Math.floor(Date.now() / 1000);
    // As a previous deployment of the object left it: same storage, same key.
    await runInDurableObject(agent, (_instance, state) =>
      state.storage.kv.put("graph-token", { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: now + 3600 }),
    );
    const stale: AgentAuth = {
      tenantId: tenant.tenant.id,
      tid: tenant.entraTenantId,
      oid: tenant.user.oid,
      accessToken: "an-expired-token",
      expiresAt: now - 10,
      grantedScopes: ["User.Read"],
      cloud: "global",
    };
    const result = (await agent.graph({ method: "GET", path: "/me" }, stale)) as GraphResponse;
    expect(result.ok).toBe(true);
    const refreshes = await fetch(`${env.LOGIN_BASE}/_emulator/tenants/${tenant.entraTenantId}/users/${tenant.user.oid}/refreshes`);
    expect(await refreshes.json()).toEqual({ issued: 0, refused: 0 });
  });

  it("answers SignInExpired when Microsoft revoked the user, without throwing", async () => {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);
    const auth = agentAuth(tenant, tokens, 3600);
    const result = (await agentFor(auth).graph({ method: "GET", path: "/me" }, auth)) as GraphResponse;
    expect(result).toMatchObject({ ok: false, status: 401, code: "SignInExpired" });
  });
});

describe("refreshing a grant's Entra tokens (the MCP refresh_token grant)", () => {
  function emulatorRefreshes(tenant: Awaited<ReturnType<typeof tenantWithUser>>) {
    return emulator.refreshes(tenant.entraTenantId, tenant.user.oid);
  }

  async function grantRequest() {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    const request = {
      tenantId: tenant.tenant.id,
      tid: tenant.entraTenantId,
      oid: tenant.user.oid,
      grantedScopes: ["User.Read"],
      grantId: crypto.randomUUID(),
      refreshToken: tokens.refresh_token,
    };
    return { tenant, request, agent: agentFor(request) };
  }

  it("answers a caller still holding the replaced refresh token with the tokens its redemption produced, asking Entra once", async () => {
    const { tenant, request, agent } = await grantRequest();
    const first = (await agent.refreshGrant(request)) as GrantRefreshOutcome;
    const second = (await agent.refreshGrant(request)) as GrantRefreshOutcome;
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await emulatorRefreshes(tenant)).toEqual({ issued: 1, refused: 0 });
    // A tool call of the same user uses the refreshed token the agent now keeps.
    const stored = await runInDurableObject(agent, (_instance, state) => state.storage.kv.get<{ accessToken: string }>("graph-token"));
    expect(first.ok && stored?.accessToken === first.tokens.accessToken).toBe(true);
  });

  it("answers a caller of the same batch that already read the rotated token with the same tokens, asking Entra once", async () => {
    const { tenant, request, agent } = await grantRequest();
    const first = (await agent.refreshGrant(request)) as GrantRefreshOutcome;
    if (!first.ok) throw new Error("the first refresh should work");
    const straggler = (await agent.refreshGrant({ ...request, refreshToken: first.tokens.refreshToken })) as GrantRefreshOutcome;
    expect(straggler).toEqual(first);
    expect(await emulatorRefreshes(tenant)).toEqual({ issued: 1, refused: 0 });
  });

  it("refuses a grant for good once Microsoft refused it, even to a caller still holding the token it had just redeemed", async () => {
    const { tenant, request, agent } = await grantRequest();
    const issuedAt = Date.now();
    const first = (await agent.refreshGrant(request)) as GrantRefreshOutcome;
    if (!first.ok) throw new Error("the first refresh should work");
    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);
    // The rotated token answers with its own redemption's tokens for a few seconds (a parallel batch's stragglers); after that it goes to Entra.
    await new Promise((resolve) => setTimeout(resolve, PRODUCED_RESULT_MS + 100));

    const refused = (await agent.refreshGrant({ ...request, refreshToken: first.tokens.refreshToken })) as GrantRefreshOutcome;
    expect(refused).toEqual({ ok: false, kind: "user" });
    // Not answered before the tokens issued for this grant had time to be stored, so the revocation that follows finds them.
    expect(Date.now() - issuedAt).toBeGreaterThanOrEqual(SETTLE_MS - 50);
    // The first redemption's tokens are still remembered, but this grant gets none of them any more.
    expect(await agent.refreshGrant(request)).toEqual({ ok: false, kind: "user" });
    expect(await emulatorRefreshes(tenant)).toEqual({ issued: 1, refused: 1 });
  }, 30_000);
});

describe("when the refresh itself fails", () => {
  it("tells a broken organization app apart from a dead sign-in, and alerts the tenant admin", async () => {
    const tenant = await tenantWithUser();
    const tokens = await entraTokens(tenant);
    // The org's secret stops working in Entra (rotated there, not here).
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: tenant.input.clientId,
      secrets: [{ value: "a-new-secret-only-entra-knows" }],
      redirectUris: [tenant.redirectUri],
    });
    const auth = agentAuth(tenant, tokens, -10);
    const result = (await agentFor(auth).graph({ method: "GET", path: "/me" }, auth)) as GraphResponse;
    expect(result).toMatchObject({ ok: false, status: 503, code: "OrganizationAppRejected" });
    const alerts = await env.DB.prepare("SELECT kind, detail FROM tenant_alerts WHERE tenant_id = ?").bind(tenant.tenant.id).all();
    expect(JSON.stringify(alerts.results)).toContain("AADSTS7000215");
  });
});

describe("mailbox concurrency and single flight", () => {
  it("never runs more than the limit at once", async () => {
    const semaphore = new Semaphore(4);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        semaphore.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 5));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(4);
  });

  it("shares one in-flight task among concurrent callers", async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const task = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return runs;
    };
    expect(await Promise.all([flight.run(task), flight.run(task), flight.run(task)])).toEqual([1, 1, 1]);
    expect(await flight.run(task)).toBe(2);
  });
});

describe("offboarding and agents", () => {
  it("wipes every signed-in user's agent storage when the tenant is deleted, even after their grant expired", async () => {
    const { connectedUser } = await import("./helpers/mcp");
    const { call, tenantUrl } = await import("./helpers/gateway");
    const user = await connectedUser();
    expect((await user.callTool("whoami")).isError).toBe(false);
    const stub = agentFor({ tenantId: user.tenant.tenant.id, tid: user.entra.tenantId, oid: user.entra.oid });
    await runInDurableObject(stub, (_instance, state) => state.storage.kv.put("graph-token", { accessToken: "x", expiresAt: 1 }));
    // The user's grant is already gone (expired or revoked): the agent must still be found.
    const grants = await env.OAUTH_KV.list({ prefix: `t:${user.tenant.tenant.id}:grant:` });
    await Promise.all(grants.keys.map((key) => env.OAUTH_KV.delete(key.name)));
    const deleted = await call(tenantUrl(user.tenant.slug, "/api/admin/tenant"), {
      method: "DELETE",
      json: { confirm: user.tenant.slug },
      bearer: user.tenant.adminKey,
    });
    expect(deleted.status).toBe(200);
    const left = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get("graph-token"));
    expect(left).toBeUndefined();
  });
});
