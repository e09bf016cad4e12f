import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PRODUCED_RESULT_MS } from "../src/agent/refresh-gate";
import type { GrantRefreshOutcome } from "../src/agent/user-agent";
import { agentName } from "../src/tenancy/agent-name";
import { emulator } from "./helpers/emulator";
import { json } from "./helpers/gateway";
import { kvKeys, refreshAt, signedIn, tenantWithUser, whoami, type OAuthTenant, type TokenSet } from "./helpers/oauth-extra";

/**
 * MCP clients refresh in parallel (several windows, a retry after a
 * timeout). Parallel refreshes of one grant share one Entra refresh through
 * the user's agent, so they never use up the Entra refresh token and revoke
 * the grant; and once Microsoft really refuses the sign-in, no access token
 * of the grant works, including those issued in a parallel batch.
 */
const BATCH = 10;

function entraRefreshes(tenant: OAuthTenant) {
  return emulator.refreshes(tenant.entraTenantId, tenant.user.oid);
}

function userIdOf(tenant: OAuthTenant): string {
  return `${tenant.entraTenantId}.${tenant.user.oid}`;
}

async function grantKeys(tenant: OAuthTenant): Promise<string[]> {
  return kvKeys(`t:${tenant.tenant.id}:grant:${userIdOf(tenant)}:`);
}

/** Every response is a working token or a retryable error; returns the token sets. */
async function settle(responses: Response[]): Promise<TokenSet[]> {
  const sets: TokenSet[] = [];
  for (const response of responses) {
    if (response.status === 200) {
      sets.push(await json<TokenSet>(response));
      continue;
    }
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
    expect((await json(response)).error).toBe("temporarily_unavailable");
  }
  return sets;
}

function parallelRefreshes(tenant: OAuthTenant, clientId: string, refreshTokens: string[]): Promise<Response[]> {
  return Promise.all(refreshTokens.map((token) => refreshAt(tenant.slug, clientId, token)));
}

describe("parallel refreshes of one grant", () => {
  it("give every caller a working token, keep the grant, and cost at most one Entra refresh", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    const before = await entraRefreshes(tenant);

    const issued = await settle(await parallelRefreshes(tenant, client.client_id, Array(BATCH).fill(tokens.refresh_token)));
    expect(issued.length).toBeGreaterThan(0);
    for (const set of issued) expect((await whoami(tenant.slug, set.access_token)).status).toBe(200);

    const after = await entraRefreshes(tenant);
    expect(after.issued - before.issued).toBeLessThanOrEqual(1);
    expect(after.refused).toBe(before.refused);
    expect(await grantKeys(tenant)).toHaveLength(1);

    // The grant goes on: a later refresh reaches Entra with the rotated token, not the used-up one.
    const later = await refreshAt(tenant.slug, client.client_id, tokens.refresh_token);
    expect(later.status).toBe(200);
    expect((await whoami(tenant.slug, (await json<TokenSet>(later)).access_token)).status).toBe(200);
    expect((await entraRefreshes(tenant)).refused).toBe(before.refused);
  });

  it("after Microsoft revokes the user, no access token of the grant works, including those a parallel batch issued", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    const issued = await settle(await parallelRefreshes(tenant, client.client_id, Array(BATCH).fill(tokens.refresh_token)));
    expect(issued.length).toBeGreaterThan(0);
    // For a few seconds the batch's rotated Entra token answers with the batch's own tokens (its stragglers); then it goes to Entra.
    await new Promise((resolve) => setTimeout(resolve, PRODUCED_RESULT_MS + 100));

    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);
    const again = await parallelRefreshes(tenant, client.client_id, [tokens.refresh_token, ...issued.map((set) => set.refresh_token)]);
    for (const response of again) {
      expect(response.status).toBe(400);
      expect((await json(response)).error).toBe("invalid_grant");
    }

    for (const token of [tokens.access_token, ...issued.map((set) => set.access_token)]) {
      expect((await whoami(tenant.slug, token)).status).toBe(401);
    }
    expect(await grantKeys(tenant)).toEqual([]);
  }, 30_000);

  it("leaves no working access token when Microsoft revokes the user in the middle of a parallel batch", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    const batch = parallelRefreshes(tenant, client.client_id, Array(BATCH).fill(tokens.refresh_token));
    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);
    const replies: { status: number; body: TokenSet & { error?: string } }[] = [];
    for (const response of await batch)
      replies.push({ status: response.status, body: await json<TokenSet & { error?: string }>(response) });
    // Issued before the revocation reached Entra, or refused after it: never anything else.
    const answered = replies.filter((reply) => reply.status === 200).map((reply) => reply.body);
    const refusals = replies.filter((reply) => reply.status !== 200).map((reply) => reply.body.error);
    for (const error of refusals) expect(error).toBe("invalid_grant");

    // Whatever the interleaving, the next refresh learns of the revocation.
    const next = await refreshAt(tenant.slug, client.client_id, tokens.refresh_token);
    expect(next.status).toBe(400);
    for (const set of answered) expect((await whoami(tenant.slug, set.access_token)).status).toBe(401);
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(401);
    expect(await grantKeys(tenant)).toEqual([]);
  });
});

describe("the agent that serializes a grant's refreshes", () => {
  it("is named from the gateway tenant and the verified Entra ids, and refuses a refresh presented for another tenant", async () => {
    const tenant = await tenantWithUser();
    const { tokens } = await signedIn(tenant);
    const before = await entraRefreshes(tenant);
    const request = {
      tenantId: tenant.tenant.id,
      tid: tenant.entraTenantId,
      oid: tenant.user.oid,
      grantedScopes: ["User.Read"],
      grantId: "g1",
      refreshToken: "not-used",
    };
    const name = agentName(request.tenantId, userIdOf(tenant));
    expect(name).toBe(`${tenant.tenant.id}:${tenant.entraTenantId}.${tenant.user.oid}`);

    // The same Entra user presented as another gateway tenant is another agent: this one refuses it, asking Entra nothing.
    const agent = env.USER_AGENT.getByName(name);
    const foreign = (await agent.refreshGrant({ ...request, tenantId: crypto.randomUUID() })) as GrantRefreshOutcome;
    expect(foreign).toEqual({ ok: false, kind: "unavailable" });
    expect(agentName(crypto.randomUUID(), userIdOf(tenant))).not.toBe(name);
    expect(await entraRefreshes(tenant)).toEqual(before);
    expect(tokens.access_token).toBeTruthy();
  });
});
