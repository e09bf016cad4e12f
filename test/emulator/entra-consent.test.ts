import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { EMULATOR, emulator, graph, graphToken, newEntraTenant } from "../helpers/emulator";
import { pkceChallenge } from "../helpers/oauth-browser";

/**
 * Consent as Entra ID does it: an admin-only permission (or any permission,
 * when the tenant allows no user consent) fails sign-in until the tenant's
 * admin grants it through /adminconsent; id_token claims follow the scopes.
 */
const REDIRECT = "https://acme.mcp.example.com/callback";
const USER_SCOPES = "openid profile offline_access User.Read https://graph.microsoft.com/Mail.Read";
const ADMIN_SCOPE = "https://graph.microsoft.com/ChannelMessage.Read.All";

/** A tenant with an app and a user; `clientId` lets two tenants hold the same (multi-tenant) app. */
async function entraApp(clientId: string = crypto.randomUUID()) {
  const tenantId = crypto.randomUUID();
  const clientSecret = `s3c~${crypto.randomUUID()}`;
  const user = { oid: crypto.randomUUID(), userPrincipalName: `kai@${tenantId.slice(0, 6)}.example`, displayName: "Kai Novak" };
  await emulator.createTenant({ tenantId, displayName: "Northwind" });
  await emulator.registerApp(tenantId, {
    clientId,
    displayName: "Northwind MCP",
    secrets: [{ value: clientSecret }],
    redirectUris: [REDIRECT],
  });
  await emulator.addUser(tenantId, user);
  return { tenantId, clientId, clientSecret, user };
}
type App = Awaited<ReturnType<typeof entraApp>>;

/** Signs the user in with these scopes; returns where Entra sent the browser back. */
async function signIn(app: App, scope: string, extra: Record<string, string> = {}): Promise<URL> {
  const url = new URL(`${EMULATOR()}/${app.tenantId}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope,
    state: "st-9",
    nonce: "n-9",
    code_challenge: await pkceChallenge("v".repeat(50)),
    code_challenge_method: "S256",
    login_hint: app.user.userPrincipalName,
    ...extra,
  }).toString();
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

function adminConsent(app: App, scope: string | undefined) {
  const url = new URL(`${EMULATOR()}/${app.tenantId}/v2.0/adminconsent`);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    state: "admin-consent",
    ...(scope ? { scope } : {}),
  }).toString();
  return fetch(url, { redirect: "manual" });
}

async function tokenRequest(app: App, form: Record<string, string>) {
  const response = await fetch(`${EMULATOR()}/${app.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> & { error_codes?: number[] } };
}

function redeem(app: App, back: URL, extra: Record<string, string> = {}) {
  return tokenRequest(app, {
    grant_type: "authorization_code",
    code: back.searchParams.get("code") ?? "",
    redirect_uri: REDIRECT,
    code_verifier: "v".repeat(50),
    ...extra,
  });
}

async function idTokenClaims(app: App, scope: string) {
  const { status, body } = await redeem(app, await signIn(app, scope));
  expect(status).toBe(200);
  return decodeJwt(body.id_token ?? "");
}

function expectRefused(back: URL, error: string, code: number) {
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get("code")).toBeNull();
  expect(back.searchParams.get("error")).toBe(error);
  expect(back.searchParams.get("error_description")).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(back.searchParams.get("state")).toBe("st-9");
}

describe("emulated Entra ID consent", () => {
  it("lets a user consent to user-consentable permissions without an admin", async () => {
    const app = await entraApp();
    expect((await signIn(app, USER_SCOPES)).searchParams.get("code")).toBeTruthy();
  });

  it("fails sign-in for an admin-only permission with AADSTS90094 until the admin grants it", async () => {
    const app = await entraApp();
    const refused = await signIn(app, `${USER_SCOPES} ${ADMIN_SCOPE}`);
    expectRefused(refused, "access_denied", 90094);
    expect(refused.searchParams.get("error_description")).toContain("only an admin can grant");

    const granted = await adminConsent(app, `${USER_SCOPES} ${ADMIN_SCOPE}`);
    expect(granted.status).toBe(302);
    expect(new URL(granted.headers.get("location") ?? "").searchParams.get("admin_consent")).toBe("True");
    expect((await signIn(app, `${USER_SCOPES} ${ADMIN_SCOPE}`)).searchParams.get("code")).toBeTruthy();
  });

  it("treats every Graph permission it does not know as admin-only", async () => {
    const app = await entraApp();
    for (const scope of ["User.Read.All", "Group.Read.All", "Directory.Read.All", "People.Read.All", "Sites.FullControl.All"]) {
      expectRefused(await signIn(app, `openid profile ${scope}`), "access_denied", 90094);
    }
  });

  it("answers a silent sign-in (prompt=none) that lacks consent with consent_required and AADSTS65001", async () => {
    const app = await entraApp();
    expectRefused(await signIn(app, `${USER_SCOPES} ${ADMIN_SCOPE}`, { prompt: "none" }), "consent_required", 65001);
  });

  it("with user consent disabled, fails even User.Read with AADSTS90093 until the admin grants the scopes", async () => {
    const app = await entraApp();
    await emulator.setTenantSettings(app.tenantId, { userConsent: "disabled" });
    const refused = await signIn(app, USER_SCOPES);
    expectRefused(refused, "access_denied", 90093);
    expect(refused.searchParams.get("error_description")).toContain("set a policy that prevents you from granting");

    await adminConsent(app, "openid profile offline_access User.Read");
    // Mail.Read is still nobody's grant.
    expectRefused(await signIn(app, USER_SCOPES), "access_denied", 90093);
    await adminConsent(app, "https://graph.microsoft.com/Mail.Read");
    expect((await signIn(app, USER_SCOPES)).searchParams.get("code")).toBeTruthy();
  });

  it("keeps one tenant's admin consent and consent setting out of every other tenant holding the same app", async () => {
    const home = await entraApp();
    const other = await entraApp(home.clientId);
    await adminConsent(home, `${USER_SCOPES} ${ADMIN_SCOPE}`);
    expect((await signIn(home, `${USER_SCOPES} ${ADMIN_SCOPE}`)).searchParams.get("code")).toBeTruthy();
    expectRefused(await signIn(other, `${USER_SCOPES} ${ADMIN_SCOPE}`), "access_denied", 90094);
    // Likewise a tenant's user-consent setting.
    await emulator.setTenantSettings(other.tenantId, { userConsent: "disabled" });
    expectRefused(await signIn(other, USER_SCOPES), "access_denied", 90093);
    expect((await signIn(home, USER_SCOPES)).searchParams.get("code")).toBeTruthy();
  });

  it("keeps admin consent when the app's secrets or redirect URIs change", async () => {
    const app = await entraApp();
    await adminConsent(app, ADMIN_SCOPE);
    await emulator.registerApp(app.tenantId, { clientId: app.clientId, secrets: [{ value: app.clientSecret }], redirectUris: [REDIRECT] });
    expect((await signIn(app, `${USER_SCOPES} ${ADMIN_SCOPE}`)).searchParams.get("code")).toBeTruthy();
  });

  it("refuses at the token endpoint (AADSTS65001) a scope nobody consented to, and allows one the admin granted since", async () => {
    const app = await entraApp();
    const widened = await redeem(app, await signIn(app, USER_SCOPES), { scope: `${USER_SCOPES} ${ADMIN_SCOPE}` });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe("invalid_grant");
    expect(widened.body.error_codes).toEqual([65001]);

    const signedIn = await redeem(app, await signIn(app, USER_SCOPES), { scope: USER_SCOPES });
    expect(signedIn.status).toBe(200);
    const refresh = (scope: string, token = signedIn.body.refresh_token ?? "") =>
      tokenRequest(app, { grant_type: "refresh_token", refresh_token: token, scope });
    const refused = await refresh(`${USER_SCOPES} ${ADMIN_SCOPE}`);
    expect(refused.body.error_codes).toEqual([65001]);
    // The user never consented to Calendars.Read either, though they could have.
    expect((await refresh("openid https://graph.microsoft.com/Calendars.Read")).body.error_codes).toEqual([65001]);

    await adminConsent(app, ADMIN_SCOPE);
    const after = await refresh(`${USER_SCOPES} ${ADMIN_SCOPE}`);
    expect(after.status).toBe(200);
    expect(String(decodeJwt(after.body.access_token ?? "").scp)).toContain("ChannelMessage.Read.All");
  });

  it("refuses an admin consent request without scope, and a tenant setting that is not allowed or allowed", async () => {
    const app = await entraApp();
    const missing = await adminConsent(app, undefined);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("AADSTS900144");
    // @ts-expect-error -- a setting the control API must refuse
    const bad = emulator.setTenantSettings(app.tenantId, { userConsent: "sometimes" });
    await expect(bad).rejects.toMatchObject({ status: 400, body: { issues: [{ field: "userConsent" }] } });
    await expect(emulator.setTenantSettings(crypto.randomUUID(), { userConsent: "disabled" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("emulated Entra ID id_token claims", () => {
  it("carries oid, name and preferred_username only with the profile scope, and email only with email", async () => {
    const app = await entraApp();
    const bare = await idTokenClaims(app, "openid User.Read");
    expect(bare).toMatchObject({ tid: app.tenantId, aud: app.clientId, nonce: "n-9" });
    expect(bare.sub).toBeTruthy();
    for (const claim of ["oid", "name", "preferred_username", "email"]) expect(bare).not.toHaveProperty(claim);

    const profile = await idTokenClaims(app, "openid profile User.Read");
    expect(profile).toMatchObject({ oid: app.user.oid, name: app.user.displayName, preferred_username: app.user.userPrincipalName });
    expect(profile).not.toHaveProperty("email");

    expect(await idTokenClaims(app, "openid email User.Read")).toMatchObject({ email: app.user.userPrincipalName });
  });
});

describe("emulated Graph directory properties follow the granted permission", () => {
  it("shows others' basic profile only with User.ReadBasic.All, and everything with User.Read.All", async () => {
    const { tenantId, users } = await newEntraTenant();
    const [me, colleague] = users;
    await emulator.addUser(tenantId, { ...colleague, jobTitle: "Buyer" });
    const basic = await graphToken(tenantId, me.oid, ["User.ReadBasic.All"]);
    const full = await graphToken(tenantId, me.oid, ["User.Read.All"]);
    const basicProfile = {
      id: colleague.oid,
      displayName: colleague.displayName,
      userPrincipalName: colleague.userPrincipalName,
      mail: colleague.userPrincipalName,
    };

    const one = (await (await graph(basic, `/users/${colleague.oid}`)).json()) as Record<string, unknown>;
    expect(one).toMatchObject({ ...basicProfile, jobTitle: null, officeLocation: null, preferredLanguage: null, businessPhones: [] });
    expect(one.givenName).toBeTruthy();
    expect(await (await graph(basic, `/users/${colleague.oid}?$select=jobTitle`)).json()).toEqual({ id: colleague.oid, jobTitle: null });
    // $search cannot reach what the permission hides.
    const searched = await graph(basic, `/users?$search="jobTitle:Buyer"`, { headers: { ConsistencyLevel: "eventual" } });
    expect(((await searched.json()) as { value: unknown[] }).value).toEqual([]);
    // The signed-in user's own record is read in full.
    expect(await (await graph(basic, `/users/${me.oid}?$select=preferredLanguage`)).json()).toEqual({
      id: me.oid,
      preferredLanguage: "en-US",
    });

    expect(await (await graph(full, `/users/${colleague.oid}?$select=jobTitle`)).json()).toEqual({ id: colleague.oid, jobTitle: "Buyer" });
    const listed = (await (await graph(full, `/users?$select=displayName,jobTitle`)).json()) as { value: Record<string, unknown>[] };
    expect(listed.value).toContainEqual({ id: colleague.oid, displayName: colleague.displayName, jobTitle: "Buyer" });
  });
});
