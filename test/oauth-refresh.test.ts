import { describe, expect, it } from "vitest";
import { emulator } from "./helpers/emulator";
import { call, json, tenantUrl } from "./helpers/gateway";
import { refreshAt, signedIn, tenantWithUser, upsertEntraApp, whoami, type OAuthTenant, type TokenSet } from "./helpers/oauth-extra";

/**
 * The refresh_token grant at the gateway keeps MCP tokens in step with the
 * org's Entra tokens: a user's dead Microsoft grant revokes the MCP grant,
 * a broken org app answers temporarily_unavailable and alerts the tenant admin.
 */
interface Alert {
  kind: string;
  detail: string;
}

async function alertsOf(tenant: OAuthTenant): Promise<Alert[]> {
  const response = await call(tenantUrl(tenant.slug, "/api/admin/alerts"), { bearer: tenant.adminKey });
  expect(response.status).toBe(200);
  return (await json<{ alerts: Alert[] }>(response)).alerts;
}

async function expectInvalidGrant(response: Response) {
  expect(response.status).toBe(400);
  expect((await json(response)).error).toBe("invalid_grant");
}

async function expectTemporarilyUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("30");
  expect((await json(response)).error).toBe("temporarily_unavailable");
}

/** The refresh token still works, and the access token it brings serves /mcp. */
async function expectRefreshWorks(tenant: OAuthTenant, clientId: string, refreshToken: string) {
  const refreshed = await refreshAt(tenant.slug, clientId, refreshToken);
  expect(refreshed.status).toBe(200);
  expect((await whoami(tenant.slug, (await json<TokenSet>(refreshed)).access_token)).status).toBe(200);
}

/** After invalid_grant the provider revoked the whole grant: neither old token works any more. */
async function expectGrantRevoked(tenant: OAuthTenant, clientId: string, tokens: TokenSet) {
  await expectInvalidGrant(await refreshAt(tenant.slug, clientId, tokens.refresh_token));
  expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(401);
}

describe("refresh_token grant at the gateway /token", () => {
  it("caps the MCP access token at the Entra token's remaining life and refreshes into a working token", async () => {
    const tenant = await tenantWithUser();
    await upsertEntraApp(tenant, { accessTokenLifetimeSeconds: 120 });
    const { client, tokens } = await signedIn(tenant);
    expect(tokens.expires_in).toBeLessThanOrEqual(120 - 60);
    expect(tokens.expires_in).toBeGreaterThanOrEqual(60);

    const refreshed = await refreshAt(tenant.slug, client.client_id, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const next = await json<TokenSet>(refreshed);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.expires_in).toBeLessThanOrEqual(120 - 60);
    expect(next.expires_in).toBeGreaterThanOrEqual(60);

    const who = await whoami(tenant.slug, next.access_token);
    expect(who.status).toBe(200);
    expect(await who.text()).toContain(tenant.user.userPrincipalName);
  });

  it("keeps a full-hour MCP token when Entra issues hour-long tokens", async () => {
    const tenant = await tenantWithUser();
    const { tokens } = await signedIn(tenant);
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    expect(tokens.expires_in).toBeGreaterThan(3600 - 120);
  });

  it("answers invalid_grant and revokes the grant when the user's Microsoft sessions were revoked", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(200);
    await emulator.revokeUser(tenant.entraTenantId, tenant.user.oid);

    await expectInvalidGrant(await refreshAt(tenant.slug, client.client_id, tokens.refresh_token));
    await expectGrantRevoked(tenant, client.client_id, tokens);
    expect(await alertsOf(tenant)).toEqual([]);
  });

  it("answers invalid_grant and revokes the grant when the Entra refresh token expired", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    const { expired } = await emulator.expireGrants({ kind: "refresh_token", tenantId: tenant.entraTenantId, oid: tenant.user.oid });
    expect(expired).toBeGreaterThan(0);

    await expectInvalidGrant(await refreshAt(tenant.slug, client.client_id, tokens.refresh_token));
    await expectGrantRevoked(tenant, client.client_id, tokens);
  });

  it("answers temporarily_unavailable, alerts the tenant admin and keeps the grant when the org's secret no longer works", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    await upsertEntraApp(tenant, { secrets: [{ value: `Zz9~${crypto.randomUUID().replace(/-/g, "")}` }] });

    await expectTemporarilyUnavailable(await refreshAt(tenant.slug, client.client_id, tokens.refresh_token));
    const alerts = await alertsOf(tenant);
    expect(alerts.map((alert) => alert.kind)).toContain("entra_app_rejected");
    expect(alerts.find((alert) => alert.kind === "entra_app_rejected")?.detail).toContain("AADSTS7000215");
    expect(JSON.stringify(alerts)).not.toContain(tenant.input.clientSecret);

    // A tenant-level failure is not the user's fault: the grant survives and works once the app is fixed.
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(200);
    await upsertEntraApp(tenant);
    await expectRefreshWorks(tenant, client.client_id, tokens.refresh_token);
  });

  it("answers temporarily_unavailable with an AADSTS7000222 alert when the org's secret expired", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    await upsertEntraApp(tenant, {
      secrets: [{ value: tenant.input.clientSecret, expiresAt: new Date(Date.now() - 86_400_000).toISOString() }],
    });

    await expectTemporarilyUnavailable(await refreshAt(tenant.slug, client.client_id, tokens.refresh_token));
    const rejected = (await alertsOf(tenant)).filter((alert) => alert.kind === "entra_app_rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toContain("AADSTS7000222");
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(200);
  });
});

describe("refresh after the tenant admin changes the policy", () => {
  it("keeps working when a group is enabled after sign-in (never asks Entra for unconsented scopes)", async () => {
    const tenant = await tenantWithUser();
    await call(tenantUrl(tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { enabledGroups: ["tasks"] },
      bearer: tenant.adminKey,
    });
    const { client, tokens } = await signedIn(tenant);
    const enabled = await call(tenantUrl(tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { enabledGroups: ["mail", "calendar", "contacts", "teams", "files", "tasks"] },
      bearer: tenant.adminKey,
    });
    expect(enabled.status).toBe(200);
    const refreshed = await refreshAt(tenant.slug, client.client_id, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const next = await json<TokenSet>(refreshed);
    expect((await whoami(tenant.slug, next.access_token)).status).toBe(200);
  });

  it("narrows the Entra scopes when a group is disabled after sign-in", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    await call(tenantUrl(tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { enabledGroups: ["tasks"] },
      bearer: tenant.adminKey,
    });
    const refreshed = await refreshAt(tenant.slug, client.client_id, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
  });
});

/** RFC 7009 revocation at /token, the one path a client has to end its own tokens. */
function revokeAt(slug: string, clientId: string, token: string, hint?: "access_token" | "refresh_token") {
  return call(tenantUrl(slug, "/token"), {
    body: new URLSearchParams({ token, client_id: clientId, ...(hint ? { token_type_hint: hint } : {}) }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

describe("token revocation at /token", () => {
  it("refuses a revoked access token on its very next request, though it was just in use, and leaves the refresh token working", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(200);
    expect((await revokeAt(tenant.slug, client.client_id, tokens.access_token)).status).toBe(200);
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(401);
    await expectRefreshWorks(tenant, client.client_id, tokens.refresh_token);
  });

  it("ends the whole grant when the refresh token is revoked: its access token is refused at once", async () => {
    const tenant = await tenantWithUser();
    const { client, tokens } = await signedIn(tenant);
    expect((await whoami(tenant.slug, tokens.access_token)).status).toBe(200);
    expect((await revokeAt(tenant.slug, client.client_id, tokens.refresh_token, "refresh_token")).status).toBe(200);
    await expectGrantRevoked(tenant, client.client_id, tokens);
  });
});
