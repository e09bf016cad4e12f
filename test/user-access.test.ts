import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetLastUse, grantOfBearer, LAST_USE_RESOLUTION_MS, readLastUse, recordLastUse } from "../src/oauth/last-use";
import { describeRedirect, redirectFacts } from "../src/oauth/redirect-target";
import { tenantKvView } from "../src/tenancy/tenant-kv";
import type { UserAccess } from "../src/oauth/user-access";
import { usersPage } from "../src/http/pages/console/users-page";
import { agentName } from "../src/tenancy/agent-name";
import { workerFetch } from "./helpers/browser";
import { emulator, TEST_OIDS } from "./helpers/emulator";
import { json, tenantUrl } from "./helpers/gateway";
import { registerClient as registerClientAt } from "./helpers/oauth-browser";
import {
  approveToEntra,
  authorizeWith,
  Browser,
  kvKeys,
  pkcePair,
  refreshAt,
  tenantWithUser,
  whoami,
  type OAuthTenant,
  type TokenSet,
} from "./helpers/oauth-extra";
import { adminCall, errorOf } from "./helpers/tenants";
import { CLIENT_REDIRECT } from "./helpers/oauth-flow";

/**
 * The org's admins see who connected which MCP clients, and take access
 * away: one client (its tokens refused at once) or a whole user (every
 * grant, the agent's storage, their row), never another org's.
 */

const CLAUDE_REDIRECT = "https://claude.ai/api/mcp/auth_callback";

interface Connection {
  clientId: string;
  tokens: TokenSet;
}

interface ClientJson {
  grantId: string;
  clientId: string;
  clientName: string;
  nameVerified: boolean;
  redirectsTo: string;
  redirectsToThisComputer: boolean;
  connectedAt: string;
  lastUsedAt: string | null;
}

interface UserJson {
  userId: string;
  upn: string | null;
  displayName: string | null;
  lastSignInAt: string;
  clients: ClientJson[];
}

/** `upn` registers a client named `clientName` and signs in through it, sending the code to `redirectUri`. */
async function connect(tenant: OAuthTenant, upn: string, clientName: string, redirectUri = CLIENT_REDIRECT): Promise<Connection> {
  const origin = tenantUrl(tenant.slug);
  const client = await registerClientAt(workerFetch, origin, clientName, [redirectUri]);
  const { verifier, challenge } = await pkcePair();
  const browser = new Browser();
  const { entra } = await approveToEntra(browser, authorizeWith(tenant.slug, client.client_id, challenge, redirectUri), upn);
  const back = await browser.follow(entra.toString(), (url) => url.toString().startsWith(redirectUri));
  if (back.response) throw new Error(`sign-in stopped at ${back.url}: HTTP ${back.response.status}`);
  const exchanged = await workerFetch(
    new Request(`${origin}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: back.url.searchParams.get("code") ?? "",
        client_id: client.client_id,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        resource: `${origin}/mcp`,
      }).toString(),
    }),
  );
  if (exchanged.status !== 200) throw new Error(`token: ${exchanged.status} ${await exchanged.text()}`);
  return { clientId: client.client_id, tokens: await json<TokenSet>(exchanged) };
}

/** Adds Sam to the tenant's Entra directory; returns his sign-in name. */
async function addSam(tenant: OAuthTenant): Promise<string> {
  const upn = `sam@${tenant.slug}.example`;
  await emulator.addUser(tenant.entraTenantId, { oid: TEST_OIDS.sam, userPrincipalName: upn, displayName: "Sam Okafor" });
  return upn;
}

const danaId = (tenant: OAuthTenant) => `${tenant.entraTenantId}.${tenant.user.oid}`;

async function listUsers(tenant: OAuthTenant, query = ""): Promise<{ users: UserJson[]; nextCursor: string | null }> {
  const response = await adminCall(tenant.slug, `/users${query}`, tenant.adminKey);
  expect(response.status).toBe(200);
  return json(response);
}

async function userOf(tenant: OAuthTenant, userId: string): Promise<UserJson> {
  const response = await adminCall(tenant.slug, `/users/${userId}`, tenant.adminKey);
  expect(response.status).toBe(200);
  return json(response);
}

function grantOf(user: UserJson, clientId: string): ClientJson {
  const client = user.clients.find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`no grant of ${clientId}`);
  return client;
}

async function expectRefused(tenant: OAuthTenant, connection: Connection) {
  expect((await whoami(tenant.slug, connection.tokens.access_token)).status).toBe(401);
  const refreshed = await refreshAt(tenant.slug, connection.clientId, connection.tokens.refresh_token);
  expect(refreshed.status).toBe(400);
  expect((await json(refreshed)).error).toBe("invalid_grant");
}

async function expectWorks(tenant: OAuthTenant, connection: Connection) {
  expect((await whoami(tenant.slug, connection.tokens.access_token)).status).toBe(200);
}

describe("listing users and their connected clients", () => {
  it("shows each user with their clients: cleaned names marked unverified, where access goes, when connected and last used", async () => {
    const tenant = await tenantWithUser();
    const claude = await connect(tenant, tenant.user.userPrincipalName, "Claude", CLAUDE_REDIRECT);
    const inspector = await connect(tenant, tenant.user.userPrincipalName, "Insp\u202Eector <b>");
    const sam = await connect(tenant, await addSam(tenant), "Sam's client");
    await expectWorks(tenant, claude);

    const { users, nextCursor } = await listUsers(tenant);
    expect(nextCursor).toBeNull();
    // Sam signed in last: listed first.
    expect(users.map((user) => user.upn)).toEqual([`sam@${tenant.slug}.example`, tenant.user.userPrincipalName]);
    const [samRow, dana] = users as [UserJson, UserJson];
    expect(samRow.clients.map((client) => client.clientName)).toEqual(["Sam's client"]);
    expect(samRow.clients[0]?.clientId).toBe(sam.clientId);
    expect(dana.displayName).toBe("Dana Whitfield");
    expect(dana.clients).toHaveLength(2);
    const viaClaude = grantOf(dana, claude.clientId);
    expect(viaClaude).toMatchObject({
      clientName: "Claude",
      nameVerified: false,
      redirectsTo: "claude.ai",
      redirectsToThisComputer: false,
    });
    expect(Date.parse(viaClaude.lastUsedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(viaClaude.connectedAt));
    const viaInspector = grantOf(dana, inspector.clientId);
    expect(viaInspector).toMatchObject({
      clientName: "Inspector <b>",
      redirectsTo: "an app on this computer (127.0.0.1)",
      redirectsToThisComputer: true,
      lastUsedAt: null,
    });
    expect(await userOf(tenant, danaId(tenant))).toEqual(dana);
  });

  it("pages users with the cursor it hands out, none twice and none left out", async () => {
    const tenant = await tenantWithUser();
    await connect(tenant, tenant.user.userPrincipalName, "First");
    await connect(tenant, await addSam(tenant), "Second");
    const first = await listUsers(tenant, "?cursor=&limit=1");
    expect(first.users).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listUsers(tenant, `?limit=1&cursor=${encodeURIComponent(first.nextCursor ?? "")}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.users, ...second.users].map((user) => user.upn).sort()).toEqual(
      [tenant.user.userPrincipalName, `sam@${tenant.slug}.example`].sort(),
    );
  });
});

describe("revoking one client", () => {
  it("refuses its access token at /mcp and its refresh token at /token at once, while the user's other client keeps working", async () => {
    const tenant = await tenantWithUser();
    const first = await connect(tenant, tenant.user.userPrincipalName, "First client");
    const second = await connect(tenant, tenant.user.userPrincipalName, "Second client");
    // Served once, so this isolate holds a copy of the token record the revocation must drop.
    await expectWorks(tenant, first);
    const grantId = grantOf(await userOf(tenant, danaId(tenant)), first.clientId).grantId;

    const response = await adminCall(tenant.slug, `/users/${danaId(tenant)}/clients/${grantId}`, tenant.adminKey, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect((await json<{ revoked: ClientJson }>(response)).revoked).toMatchObject({ grantId, clientName: "First client" });

    await expectRefused(tenant, first);
    await expectWorks(tenant, second);
    const refreshed = await refreshAt(tenant.slug, second.clientId, second.tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect((await userOf(tenant, danaId(tenant))).clients.map((client) => client.clientId)).toEqual([second.clientId]);
    // Nothing of the grant is left: no token record, no last-use record.
    const prefix = `t:${tenant.tenant.id}:`;
    expect((await kvKeys(prefix)).filter((key) => key.includes(grantId))).toEqual([]);

    const again = await adminCall(tenant.slug, `/users/${danaId(tenant)}/clients/${grantId}`, tenant.adminKey, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toMatchObject({ error: "client_not_found" });
  });
});

describe("revoking a user", () => {
  it("refuses every token of theirs, wipes their agent and forgets them; others keep working; signing in again works", async () => {
    const tenant = await tenantWithUser();
    const first = await connect(tenant, tenant.user.userPrincipalName, "First client");
    const second = await connect(tenant, tenant.user.userPrincipalName, "Second client");
    const sam = await connect(tenant, await addSam(tenant), "Sam's client");
    const danaAgent = env.USER_AGENT.getByName(agentName(tenant.tenant.id, danaId(tenant)));
    const samAgent = env.USER_AGENT.getByName(agentName(tenant.tenant.id, `${tenant.entraTenantId}.${TEST_OIDS.sam}`));
    for (const agent of [danaAgent, samAgent]) {
      await runInDurableObject(agent, (_instance, state) => state.storage.kv.put("marker", "kept until wiped"));
    }

    const response = await adminCall(tenant.slug, `/users/${danaId(tenant)}`, tenant.adminKey, { method: "DELETE" });
    expect(response.status).toBe(200);
    const body = await json<{ userId: string; clientsRevoked: ClientJson[]; agentWiped: boolean }>(response);
    expect(body.userId).toBe(danaId(tenant));
    expect(body.agentWiped).toBe(true);
    expect(body.clientsRevoked.map((client) => client.clientName).sort()).toEqual(["First client", "Second client"]);

    await expectRefused(tenant, first);
    await expectRefused(tenant, second);
    expect(await runInDurableObject(danaAgent, (_instance, state) => state.storage.kv.get("marker"))).toBeUndefined();
    expect(await runInDurableObject(samAgent, (_instance, state) => state.storage.kv.get("marker"))).toBe("kept until wiped");
    await expectWorks(tenant, sam);
    expect((await adminCall(tenant.slug, `/users/${danaId(tenant)}`, tenant.adminKey)).status).toBe(404);
    expect((await listUsers(tenant)).users.map((user) => user.upn)).toEqual([`sam@${tenant.slug}.example`]);

    const back = await connect(tenant, tenant.user.userPrincipalName, "First client");
    await expectWorks(tenant, back);
    expect((await userOf(tenant, danaId(tenant))).clients.map((client) => client.clientId)).toEqual([back.clientId]);
  });

  it("works while the org is suspended, so an admin can stop everything and then take one user's access away", async () => {
    const tenant = await tenantWithUser();
    const connection = await connect(tenant, tenant.user.userPrincipalName, "A client");
    expect((await adminCall(tenant.slug, "/suspend", tenant.adminKey, { method: "POST" })).status).toBe(200);
    expect((await userOf(tenant, danaId(tenant))).clients).toHaveLength(1);
    expect((await adminCall(tenant.slug, `/users/${danaId(tenant)}`, tenant.adminKey, { method: "DELETE" })).status).toBe(200);
    expect((await adminCall(tenant.slug, "/resume", tenant.adminKey, { method: "POST" })).status).toBe(200);
    await expectRefused(tenant, connection);
  });

  it("answers 404 in words for a user who never signed in here", async () => {
    const tenant = await tenantWithUser();
    const stranger = `${crypto.randomUUID()}.${crypto.randomUUID()}`;
    const response = await adminCall(tenant.slug, `/users/${stranger}`, tenant.adminKey, { method: "DELETE" });
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({
      error: "user_not_found",
      message: `No user ${stranger} has signed in to this organization`,
    });
  });
});

describe("isolation between orgs", () => {
  it("never lists, shows or revokes another org's users and grants, even with their real ids", async () => {
    const a = await tenantWithUser();
    const b = await tenantWithUser();
    const bConnection = await connect(b, b.user.userPrincipalName, "B's client");
    const bGrant = grantOf(await userOf(b, danaId(b)), bConnection.clientId).grantId;

    expect((await listUsers(a)).users).toEqual([]);
    expect((await adminCall(a.slug, `/users/${danaId(b)}`, a.adminKey)).status).toBe(404);
    const client = await adminCall(a.slug, `/users/${danaId(b)}/clients/${bGrant}`, a.adminKey, { method: "DELETE" });
    expect(client.status).toBe(404);
    expect((await adminCall(a.slug, `/users/${danaId(b)}`, a.adminKey, { method: "DELETE" })).status).toBe(404);
    // B's admin key is refused on A's host.
    expect((await adminCall(a.slug, "/users", b.adminKey)).status).toBe(401);
    await expectWorks(b, bConnection);
    expect((await userOf(b, danaId(b))).clients).toHaveLength(1);
  });

  it("keeps the same Entra user apart in two orgs that share a directory: revoking in one leaves the other", async () => {
    const a = await tenantWithUser();
    // A second Entra app in A's directory, signed up as its own gateway org.
    const clientId = crypto.randomUUID();
    const clientSecret = `Qx8~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(a.entraTenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [] });
    const b = await tenantWithUser({ entraTenantId: a.entraTenantId, clientId, clientSecret });
    expect(danaId(b)).toBe(danaId(a));
    const inA = await connect(a, b.user.userPrincipalName, "A's client");
    const inB = await connect(b, b.user.userPrincipalName, "B's client");
    const aGrant = grantOf(await userOf(a, danaId(a)), inA.clientId).grantId;

    await expectWorks(a, inA);
    // Last use is kept under A's prefix only: B's listing of the same user knows nothing of it.
    expect(await kvKeys(`t:${a.tenant.id}:used:${danaId(a)}:${aGrant}`)).toHaveLength(1);
    expect(await kvKeys(`t:${b.tenant.id}:used:`)).toEqual([]);
    expect((await userOf(b, danaId(b))).clients.map((client) => client.lastUsedAt)).toEqual([null]);
    // A's grant id is unknown on B's host, for the very same user id.
    expect((await adminCall(b.slug, `/users/${danaId(b)}/clients/${aGrant}`, b.adminKey, { method: "DELETE" })).status).toBe(404);
    const revoked = await adminCall(a.slug, `/users/${danaId(a)}`, a.adminKey, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    await expectRefused(a, inA);
    await expectWorks(b, inB);
    expect((await userOf(b, danaId(b))).clients.map((client) => client.clientName)).toEqual(["B's client"]);
  });
});

describe("validation", () => {
  it("names the field and what was expected", async () => {
    const tenant = await tenantWithUser();
    const cases: [string, string, string][] = [
      ["GET", "/users/DANA", "userId"],
      ["GET", `/users/${danaId(tenant).toUpperCase()}`, "userId"],
      ["DELETE", `/users/${danaId(tenant)}/clients/no!`, "grantId"],
      ["GET", "/users?cursor=elsewhere", "cursor"],
      ["GET", "/users?limit=0", "limit"],
      ["GET", "/users?limit=many", "limit"],
    ];
    for (const [method, path, field] of cases) {
      const response = await adminCall(tenant.slug, path, tenant.adminKey, { method });
      expect(response.status, path).toBe(400);
      const body = await errorOf(response);
      expect(
        body.issues?.map((issue) => issue.field),
        path,
      ).toEqual([field]);
      expect(body.issues?.[0]?.message, path).toMatch(/expected|at most/);
    }
  });

  it("refuses every users endpoint without this org's admin key", async () => {
    const tenant = await tenantWithUser();
    for (const [method, path] of [
      ["GET", "/users"],
      ["GET", `/users/${danaId(tenant)}`],
      ["DELETE", `/users/${danaId(tenant)}`],
    ] as const) {
      expect((await adminCall(tenant.slug, path, undefined, { method })).status).toBe(401);
    }
  });
});

describe("recording last use", () => {
  it("writes a grant's last use at most once an hour per isolate, and keeps each org's records under its own prefix", async () => {
    const tenantId = crypto.randomUUID();
    const kv = tenantKvView(env.OAUTH_KV, tenantId);
    const userId = `${crypto.randomUUID()}.${crypto.randomUUID()}`;
    const start = Date.now();
    await recordLastUse(kv, tenantId, userId, "grantCCCCCCCCCCC", start);
    await recordLastUse(kv, tenantId, userId, "grantCCCCCCCCCCC", start + LAST_USE_RESOLUTION_MS - 1);
    expect((await readLastUse(kv, userId, "grantCCCCCCCCCCC"))?.getTime()).toBe(start);
    await recordLastUse(kv, tenantId, userId, "grantCCCCCCCCCCC", start + LAST_USE_RESOLUTION_MS);
    expect((await readLastUse(kv, userId, "grantCCCCCCCCCCC"))?.getTime()).toBe(start + LAST_USE_RESOLUTION_MS);
    expect(await kvKeys(`t:${tenantId}:used:`)).toEqual([`t:${tenantId}:used:${userId}:grantCCCCCCCCCCC`]);
    const other = crypto.randomUUID();
    expect(await readLastUse(tenantKvView(env.OAUTH_KV, other), userId, "grantCCCCCCCCCCC")).toBeUndefined();
    await forgetLastUse(kv, tenantId, userId, "grantCCCCCCCCCCC");
    expect(await readLastUse(kv, userId, "grantCCCCCCCCCCC")).toBeUndefined();
  });

  it("reads the grant from a bearer token of the provider's shape only", () => {
    expect(grantOfBearer("Bearer a.b:grant1:secret")).toEqual({ userId: "a.b", grantId: "grant1" });
    expect(grantOfBearer("Bearer opaque")).toBeUndefined();
    expect(grantOfBearer(null)).toBeUndefined();
  });
});

describe("where a client's access goes", () => {
  it("reads private-use schemes and loopback addresses as an app on this computer, https by host", () => {
    expect(describeRedirect(redirectFacts("cursor://anysphere.cursor-retrieval/oauth/callback"))).toEqual({
      local: true,
      label: "an app on this computer: cursor://anysphere.cursor-retrieval",
    });
    expect(describeRedirect(redirectFacts("com.example.app:/callback"))).toEqual({
      local: true,
      label: "an app on this computer: com.example.app:/callback",
    });
    expect(describeRedirect(redirectFacts("http://localhost:6274/callback"))).toEqual({
      local: true,
      label: "an app on this computer (localhost)",
    });
    expect(describeRedirect(redirectFacts(CLAUDE_REDIRECT))).toEqual({ local: false, label: "claude.ai" });
  });
});

describe("the console's Users page", () => {
  const context = { orgName: "Contoso", adminName: "Ada Admin", csrfToken: "csrf-token-value" };
  const at = new Date(Date.now() - 3_600_000);
  const user: UserAccess = {
    userId: `${crypto.randomUUID()}.${crypto.randomUUID()}`,
    upn: "dana@contoso.example",
    displayName: "Dana <script>alert(1)</script>",
    firstSignInAt: at,
    lastSignInAt: at,
    clients: [
      {
        grantId: "grantAAAAAAAAAAA",
        clientId: "client-1",
        clientName: `<img src=x onerror="alert(1)">`,
        verifiedDomain: undefined,
        redirect: { local: true, label: "an app on this computer: cursor://anysphere.cursor-retrieval" },
        connectedAt: at,
        lastUsedAt: undefined,
      },
      {
        grantId: "grantBBBBBBBBBBB",
        clientId: "https://app.example.com/client.json",
        clientName: "Example app",
        verifiedDomain: "app.example.com",
        redirect: { local: false, label: "app.example.com" },
        connectedAt: at,
        lastUsedAt: at,
      },
    ],
  };

  async function render(view: Partial<Parameters<typeof usersPage>[0]> = {}): Promise<string> {
    return String(
      await usersPage({ users: [user], nextCursor: undefined, mcpUrl: "https://contoso.mcp.example.com/mcp", ...view }, context),
    );
  }

  it("escapes every name, marks self-chosen client names unverified, and puts the CSRF field in every form", async () => {
    const page = await render();
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("Dana &lt;script&gt;");
    expect(page).toContain("&lt;img src=x onerror=");
    expect(page.match(/Unverified name/g)).toHaveLength(1);
    expect(page).toContain("published by app.example.com");
    const forms = page.match(/<form[\s\S]*?<\/form>/g) ?? [];
    // Sign out, two Disconnects, one revoke-all.
    expect(forms).toHaveLength(4);
    for (const form of forms) expect(form).toContain(`<input type="hidden" name="csrf" value="csrf-token-value" />`);
    expect(page).toContain(`action="/admin/users/${user.userId}/clients/grantAAAAAAAAAAA/disconnect"`);
    expect(page).toMatch(/<input[^>]*name="confirm"[^>]*required/);
    expect(page).not.toMatch(/ style=| on[a-z]+="/);
  });

  it("shows a refused confirmation at its checkbox, and fixed flash words only", async () => {
    const page = await render({ confirmMissingFor: user.userId, flash: "disconnected", single: true });
    expect(page).toContain(`<a href="/admin/users">All users</a>`);
    expect(page).toMatch(/<details id="revoke-0" open>/);
    expect(page).toMatch(/aria-invalid="true" aria-describedby="confirm-0-error"/);
    expect(page).toContain(`id="confirm-0-error"`);
    expect(page).toContain("The client is disconnected");
  });

  it("says nobody has connected yet, with the MCP URL, when the list is empty", async () => {
    const page = await render({ users: [] });
    expect(page).toContain("Nobody has connected yet");
    expect(page).toContain("https://contoso.mcp.example.com/mcp");
  });
});
