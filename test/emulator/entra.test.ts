import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { EMULATOR, emulator, graph } from "../helpers/emulator";
import { pkceChallenge } from "../helpers/oauth-browser";

const REDIRECT = "https://acme.mcp.example.com/callback";

/** A tenant with one app and one user, as an org would register them. */
async function entraApp(options: { accessTokenLifetimeSeconds?: number } = {}) {
  const tenantId = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const clientSecret = `s3c~${crypto.randomUUID()}`;
  const user = { oid: crypto.randomUUID(), userPrincipalName: `lee@${tenantId.slice(0, 6)}.example`, displayName: "Lee Moreau" };
  await emulator.createTenant({ tenantId, displayName: "Acme" });
  await emulator.registerApp(tenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [REDIRECT], ...options });
  await emulator.addUser(tenantId, user);
  return { tenantId, clientId, clientSecret, user };
}

type App = Awaited<ReturnType<typeof entraApp>>;

function authorizeUrl(app: App, params: Record<string, string | undefined>): string {
  const url = new URL(`${EMULATOR()}/${app.tenantId}/oauth2/v2.0/authorize`);
  const defaults = {
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile offline_access User.Read https://graph.microsoft.com/Mail.Read",
    state: "st-1",
  };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

async function token(app: App, form: Record<string, string>) {
  const response = await fetch(`${EMULATOR()}/${app.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function signIn(app: App, verifier = "v".repeat(50), nonce = "n-123") {
  const response = await fetch(
    authorizeUrl(app, {
      login_hint: app.user.userPrincipalName,
      code_challenge: await pkceChallenge(verifier),
      code_challenge_method: "S256",
      nonce,
    }),
    { redirect: "manual" },
  );
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "");
  return { code: location.searchParams.get("code") ?? "", location, verifier };
}

describe("emulated Entra ID v2.0", () => {
  it("publishes OpenID configuration and JWKS per tenant", async () => {
    const app = await entraApp();
    const config = (await (await fetch(`${EMULATOR()}/${app.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(config.issuer).toBe(`${EMULATOR()}/${app.tenantId}/v2.0`);
    const jwks = (await (await fetch(config.jwks_uri ?? "")).json()) as { keys: { kty: string }[] };
    expect(jwks.keys[0]?.kty).toBe("RSA");
  });

  it("shows an error page, never a redirect, for an unknown app or a redirect URI that is not registered", async () => {
    const app = await entraApp();
    const unknown = await fetch(authorizeUrl(app, { client_id: crypto.randomUUID() }), { redirect: "manual" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("AADSTS700016");
    const mismatch = await fetch(authorizeUrl(app, { redirect_uri: "https://evil.example/callback" }), { redirect: "manual" });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("AADSTS50011");
    const prefix = await fetch(authorizeUrl(app, { redirect_uri: `${REDIRECT}/extra` }), { redirect: "manual" });
    expect(prefix.status).toBe(400);
  });

  it("redirects with an error when PKCE is missing or not S256", async () => {
    const app = await entraApp();
    const missing = await fetch(authorizeUrl(app, {}), { redirect: "manual" });
    expect(new URL(missing.headers.get("location") ?? "").searchParams.get("error")).toBe("invalid_request");
    const plain = await fetch(authorizeUrl(app, { code_challenge: "abc", code_challenge_method: "plain" }), { redirect: "manual" });
    const location = new URL(plain.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("st-1");
  });

  it("lists the tenant's users on a sign-in page when no login_hint is given", async () => {
    const app = await entraApp();
    const page = await fetch(authorizeUrl(app, { code_challenge: await pkceChallenge("x".repeat(43)), code_challenge_method: "S256" }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(app.user.displayName);
    expect(html).toContain(`login_hint=${encodeURIComponent(app.user.userPrincipalName)}`);
  });

  it("exchanges a code with PKCE for an id_token, a Graph token and a refresh token", async () => {
    const app = await entraApp();
    const { code, location, verifier } = await signIn(app);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("st-1");
    const { status, body } = await token(app, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(status).toBe(200);
    expect(body.scope).toContain("Mail.Read");
    const { payload } = await jwtVerify(
      body.id_token ?? "",
      createRemoteJWKSet(new URL(`${EMULATOR()}/${app.tenantId}/discovery/v2.0/keys`)),
      {
        issuer: `${EMULATOR()}/${app.tenantId}/v2.0`,
        audience: app.clientId,
      },
    );
    expect(payload).toMatchObject({ tid: app.tenantId, oid: app.user.oid, nonce: "n-123", preferred_username: app.user.userPrincipalName });
    expect(decodeJwt(body.access_token ?? "").scp).toBe("User.Read Mail.Read");
    expect((await graph(body.access_token ?? "", "/me")).status).toBe(200);
    expect(body.refresh_token).toBeTruthy();
  });

  it("refuses code reuse (54005), a wrong verifier (501481), a different redirect_uri (500112) and an expired code (70008)", async () => {
    const app = await entraApp();
    const first = await signIn(app);
    const exchange = (code: string, extra: Record<string, string> = {}) =>
      token(app, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: first.verifier, ...extra });
    expect((await exchange(first.code)).status).toBe(200);
    expect((await exchange(first.code)).body.error_codes).toEqual([54005]);
    const second = await signIn(app);
    expect((await exchange(second.code, { code_verifier: "w".repeat(50) })).body.error_codes).toEqual([501481]);
    const third = await signIn(app);
    expect((await exchange(third.code, { redirect_uri: "https://acme.mcp.example.com/other" })).body.error_codes).toEqual([500112]);
    const fourth = await signIn(app);
    await emulator.expireGrants({ kind: "code", tenantId: app.tenantId });
    const expired = await exchange(fourth.code);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toBe("invalid_grant");
    expect(expired.body.error_codes).toEqual([70008]);
  });

  it("rotates refresh tokens, honouring the old one once more", async () => {
    const app = await entraApp();
    const { code, verifier } = await signIn(app);
    const first = (await token(app, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier })).body;
    const refresh = (rt: string) => token(app, { grant_type: "refresh_token", refresh_token: rt });
    const second = await refresh(first.refresh_token ?? "");
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh(first.refresh_token ?? "")).status).toBe(200);
    expect((await refresh(first.refresh_token ?? "")).status).toBe(400);
    expect((await refresh(second.body.refresh_token ?? "")).status).toBe(200);
    // The control API counts what a client really sent: 3 refreshes issued tokens, 1 was refused.
    expect(await emulator.refreshes(app.tenantId, app.user.oid)).toEqual({ issued: 3, refused: 1 });
  });

  it("answers 50173 after the user's sessions are revoked and 700082 for an expired refresh token", async () => {
    const app = await entraApp();
    const grant = async () => {
      const { code, verifier } = await signIn(app);
      return (await token(app, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier })).body;
    };
    const revoked = await grant();
    await emulator.revokeUser(app.tenantId, app.user.oid);
    expect((await token(app, { grant_type: "refresh_token", refresh_token: revoked.refresh_token ?? "" })).body.error_codes).toEqual([
      50173,
    ]);
    expect((await graph(revoked.access_token ?? "", "/me")).status).toBe(401);
    const stale = await grant();
    await emulator.expireGrants({ kind: "refresh_token", oid: app.user.oid });
    expect((await token(app, { grant_type: "refresh_token", refresh_token: stale.refresh_token ?? "" })).body.error_codes).toEqual([
      700082,
    ]);
  });

  it("refuses a refresh token or code presented by another client of the same tenant", async () => {
    const app = await entraApp();
    const { code, verifier } = await signIn(app);
    const other = { ...app, clientId: crypto.randomUUID(), clientSecret: "other~secret" };
    await emulator.registerApp(app.tenantId, {
      clientId: other.clientId,
      secrets: [{ value: other.clientSecret }],
      redirectUris: [REDIRECT],
    });
    const stolen = await token(other, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(stolen.body.error).toBe("invalid_grant");
  });

  it("issues app-only tokens for client credentials and names a bad secret with AADSTS7000215", async () => {
    const app = await entraApp();
    expect((await token(app, { grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" })).status).toBe(200);
    const bad = await token(
      { ...app, clientSecret: "nope" },
      { grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" },
    );
    expect(bad.status).toBe(401);
    expect(bad.body.error_description).toMatch(/^AADSTS7000215:/);
  });

  it("redirects admin consent back with admin_consent=True and the state", async () => {
    const app = await entraApp();
    const url = new URL(`${EMULATOR()}/${app.tenantId}/v2.0/adminconsent`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      state: "admin-consent",
      scope: "https://graph.microsoft.com/Mail.Read",
    }).toString();
    const response = await fetch(url, { redirect: "manual" });
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("admin_consent")).toBe("True");
    expect(location.searchParams.get("state")).toBe("admin-consent");
    expect(location.searchParams.get("tenant")).toBe(app.tenantId);
  });

  it("keeps the previous signing key published after a key rotation", async () => {
    const app = await entraApp();
    const keysUrl = `${EMULATOR()}/${app.tenantId}/discovery/v2.0/keys`;
    const before = ((await (await fetch(keysUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    await emulator.rotateKeys();
    const after = ((await (await fetch(keysUrl)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBe(before.length + 1);
  });
});
