import { X509CertificateGenerator } from "@peculiar/x509";
import { SignJWT, decodeJwt, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { EMULATOR, emulator, graph } from "../helpers/emulator";
import { pkceChallenge } from "../helpers/oauth-browser";

const REDIRECT = "https://acme.mcp.example.com/callback";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const DAY_MS = 86_400_000;
const SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A key pair and a self-signed certificate for it, valid from `fromDays` to `toDays` around now, as an org would make one. */
async function newCertificate({ fromDays = -1, toDays = 365 } = {}) {
  const keys = await generateKeyPair("RS256", { extractable: true });
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomUUID().replace(/-/g, "").slice(0, 16),
    name: "CN=MCP gateway test",
    notBefore: new Date(Date.now() + fromDays * DAY_MS),
    notAfter: new Date(Date.now() + toDays * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
  });
  return {
    pem: certificate.toString("pem"),
    base64Der: certificate.toString("base64"),
    privateKey: keys.privateKey,
    x5t: base64url(await certificate.getThumbprint("SHA-1")),
    x5tS256: base64url(await certificate.getThumbprint("SHA-256")),
  };
}

type Certificate = Awaited<ReturnType<typeof newCertificate>>;

/** A tenant with one app (a secret too, for the one-method rule), one user, and a certificate uploaded to the app. */
async function entraApp(tenantId = crypto.randomUUID(), clientId = crypto.randomUUID()) {
  const clientSecret = `s3c~${crypto.randomUUID()}`;
  const user = { oid: crypto.randomUUID(), userPrincipalName: `lee@${tenantId.slice(0, 6)}.example`, displayName: "Lee Moreau" };
  await emulator.createTenant({ tenantId, displayName: "Acme" });
  await emulator.registerApp(tenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [REDIRECT] });
  await emulator.addUser(tenantId, user);
  const certificate = await newCertificate();
  const uploaded = await emulator.uploadCertificate(tenantId, clientId, certificate.pem);
  return { tenantId, clientId, clientSecret, user, certificate, uploaded };
}

type App = Awaited<ReturnType<typeof entraApp>>;

const tokenEndpoint = (tenantId: string) => `${EMULATOR()}/${tenantId}/oauth2/v2.0/token`;

interface AssertionOptions {
  certificate?: Certificate;
  /** Signs with this key instead of the certificate's. */
  signingKey?: CryptoKey;
  alg?: "RS256" | "PS256";
  header?: Record<string, string>;
  claims?: Record<string, unknown>;
}

/** A client assertion as Microsoft documents it: `x5t#S256`, aud = token endpoint, iss = sub = client ID, fresh jti, short exp. */
async function assertion(app: App, options: AssertionOptions = {}): Promise<string> {
  const certificate = options.certificate ?? app.certificate;
  const now = Math.floor(Date.now() / 1000);
  const alg = options.alg ?? "RS256";
  return new SignJWT({
    aud: tokenEndpoint(app.tenantId),
    iss: app.clientId,
    sub: app.clientId,
    jti: crypto.randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
    ...options.claims,
  })
    .setProtectedHeader({ alg, typ: "JWT", ...(options.header ?? { "x5t#S256": certificate.x5tS256 }) })
    .sign(options.signingKey ?? certificate.privateKey);
}

async function token(app: App, form: Record<string, string>, tenantId = app.tenantId) {
  const response = await fetch(tokenEndpoint(tenantId), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: app.clientId, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A client_credentials request authenticated by this assertion. */
async function appToken(app: App, clientAssertion: string, extra: Record<string, string> = {}) {
  return token(app, {
    grant_type: "client_credentials",
    scope: "https://graph.microsoft.com/.default",
    client_assertion_type: JWT_BEARER,
    client_assertion: clientAssertion,
    ...extra,
  });
}

/** Expects an Entra error: its HTTP status, OAuth error and AADSTS code. */
function expectRefused(result: { status: number; body: Record<string, unknown> }, status: number, error: string, code: number) {
  expect(result.status).toBe(status);
  expect(result.body.error).toBe(error);
  expect(result.body.error_codes).toEqual([code]);
  expect(String(result.body.error_description)).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(result.body.access_token).toBeUndefined();
}

async function signIn(app: App, verifier: string) {
  const url = new URL(`${EMULATOR()}/${app.tenantId}/oauth2/v2.0/authorize`);
  for (const [key, value] of Object.entries({
    client_id: app.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile offline_access User.Read",
    state: "st-1",
    login_hint: app.user.userPrincipalName,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: "S256",
  })) {
    url.searchParams.set(key, value);
  }
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
}

describe("emulated Entra: client assertions (private_key_jwt)", () => {
  it("uploads a certificate (PEM or base64 DER), lists its thumbprints and validity, and removes it", async () => {
    const app = await entraApp();
    expect(app.uploaded).toMatchObject({ x5t: app.certificate.x5t, x5tS256: app.certificate.x5tS256 });
    expect(app.uploaded.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(Date.parse(app.uploaded.notAfter)).toBeGreaterThan(Date.now());
    const second = await newCertificate();
    await emulator.uploadCertificate(app.tenantId, app.clientId, second.base64Der);
    await emulator.uploadCertificate(app.tenantId, app.clientId, second.pem);
    const listed = await emulator.certificates(app.tenantId, app.clientId);
    expect(listed.map((cert) => cert.x5tS256).sort()).toEqual([app.certificate.x5tS256, second.x5tS256].sort());
    expect(JSON.stringify(listed)).not.toContain("BEGIN");
    await emulator.removeCertificate(app.tenantId, app.clientId, app.uploaded.thumbprint);
    expect((await emulator.certificates(app.tenantId, app.clientId)).map((cert) => cert.x5tS256)).toEqual([second.x5tS256]);
  });

  it("refuses to upload what is not a certificate, naming the field", async () => {
    const app = await entraApp();
    const response = await fetch(`${EMULATOR()}/_emulator/tenants/${app.tenantId}/apps/${app.clientId}/certificates`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ certificate: "not a certificate" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ field: "certificate" }] });
  });

  it("issues an app-only token for an assertion naming the certificate by x5t#S256 or x5t, signed RS256 or PS256", async () => {
    const app = await entraApp();
    const bySha256 = await appToken(app, await assertion(app));
    expect(bySha256.status).toBe(200);
    expect(decodeJwt(String(bySha256.body.access_token))).toMatchObject({ appid: app.clientId, tid: app.tenantId, idtyp: "app" });
    expect((await appToken(app, await assertion(app, { header: { x5t: app.certificate.x5t } }))).status).toBe(200);
    const pkcs8 = await crypto.subtle.exportKey("pkcs8", app.certificate.privateKey);
    const pssKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "RSA-PSS", hash: "SHA-256" }, false, ["sign"]);
    expect((await appToken(app, await assertion(app, { alg: "PS256", signingKey: pssKey }))).status).toBe(200);
  });

  it("redeems a code (with PKCE) and a refresh token with assertions instead of a secret", async () => {
    const app = await entraApp();
    const verifier = "v".repeat(50);
    const code = await signIn(app, verifier);
    const redeemed = await token(app, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(app),
    });
    expect(redeemed.status).toBe(200);
    expect((await graph(String(redeemed.body.access_token), "/me")).status).toBe(200);
    const refreshed = await token(app, {
      grant_type: "refresh_token",
      refresh_token: String(redeemed.body.refresh_token),
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(app),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeTruthy();
  });

  it("refuses an unknown certificate and a bad signature with 700027", async () => {
    const app = await entraApp();
    const stranger = await newCertificate();
    const unknown = await appToken(app, await assertion(app, { certificate: stranger }));
    expectRefused(unknown, 401, "invalid_client", 700027);
    expect(String(unknown.body.error_description)).toContain("key was not found");
    // Names the uploaded certificate but is signed by another key.
    const forged = await appToken(app, await assertion(app, { signingKey: stranger.privateKey }));
    expectRefused(forged, 401, "invalid_client", 700027);
    expect(String(forged.body.error_description)).toContain("signature does not verify");
    // No thumbprint at all: no key can be found.
    expectRefused(await appToken(app, await assertion(app, { header: {} })), 401, "invalid_client", 700027);
  });

  it("refuses iss and sub other than the client ID with 700021, and iss differing from sub with 50048", async () => {
    const app = await entraApp();
    const other = crypto.randomUUID();
    expectRefused(await appToken(app, await assertion(app, { claims: { iss: other, sub: other } })), 401, "invalid_client", 700021);
    expectRefused(await appToken(app, await assertion(app, { claims: { iss: other } })), 401, "invalid_client", 50048);
    expectRefused(await appToken(app, await assertion(app, { claims: { sub: other } })), 401, "invalid_client", 50048);
  });

  it("refuses an audience other than this tenant's token endpoint with 700023", async () => {
    const app = await entraApp();
    for (const aud of [
      `https://login.microsoftonline.com/${app.tenantId}/oauth2/v2.0/token`,
      tokenEndpoint(crypto.randomUUID()),
      `${EMULATOR()}/${app.tenantId}/v2.0`,
    ]) {
      expectRefused(await appToken(app, await assertion(app, { claims: { aud } })), 401, "invalid_client", 700023);
    }
  });

  it("refuses an assertion outside its valid time range, or without nbf or exp, with 700024", async () => {
    const app = await entraApp();
    const now = Math.floor(Date.now() / 1000);
    const expired = await assertion(app, { claims: { nbf: now - 1200, iat: now - 1200, exp: now - 600 } });
    expectRefused(await appToken(app, expired), 401, "invalid_client", 700024);
    const early = await assertion(app, { claims: { nbf: now + 600, exp: now + 1200 } });
    expectRefused(await appToken(app, early), 401, "invalid_client", 700024);
    expectRefused(await appToken(app, await assertion(app, { claims: { nbf: undefined } })), 401, "invalid_client", 700024);
  });

  it("refuses what is not a signed RS256/PS256 JWT, or has no jti, with 50027", async () => {
    const app = await entraApp();
    expectRefused(await appToken(app, "not.a.jwt"), 401, "invalid_client", 50027);
    const hmac = await new SignJWT({ iss: app.clientId, sub: app.clientId, aud: tokenEndpoint(app.tenantId) })
      .setProtectedHeader({ alg: "HS256", "x5t#S256": app.certificate.x5tS256 })
      .sign(new TextEncoder().encode("a shared secret that is long enough"));
    expectRefused(await appToken(app, hmac), 401, "invalid_client", 50027);
    expectRefused(await appToken(app, await assertion(app, { claims: { jti: undefined } })), 401, "invalid_client", 50027);
  });

  it("refuses a replayed jti", async () => {
    const app = await entraApp();
    const once = await assertion(app);
    expect((await appToken(app, once)).status).toBe(200);
    expectRefused(await appToken(app, once), 401, "invalid_client", 50013);
  });

  it("refuses a secret and an assertion together, an assertion type other than jwt-bearer, and no credential at all", async () => {
    const app = await entraApp();
    const both = await appToken(app, await assertion(app), { client_secret: app.clientSecret });
    expectRefused(both, 400, "invalid_request", 90023);
    const wrongType = await appToken(app, await assertion(app), {
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
    });
    expectRefused(wrongType, 400, "invalid_request", 90023);
    // A secret sent as client_secret_basic counts as a method too.
    const basic = await fetch(tokenEndpoint(app.tenantId), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${app.clientId}:${encodeURIComponent(app.clientSecret)}`)}`,
      },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        scope: "https://graph.microsoft.com/.default",
        client_assertion_type: JWT_BEARER,
        client_assertion: await assertion(app),
      }),
    });
    expectRefused({ status: basic.status, body: (await basic.json()) as Record<string, unknown> }, 400, "invalid_request", 90023);
    // Neither: Entra's own code for a missing client credential.
    const neither = await token(app, { grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" });
    expectRefused(neither, 401, "invalid_client", 7000218);
    // The secret alone still works: an app may hold both kinds of credential.
    const bySecret = await token(app, {
      grant_type: "client_credentials",
      scope: "https://graph.microsoft.com/.default",
      client_secret: app.clientSecret,
    });
    expect(bySecret.status).toBe(200);
  });

  it("refuses a removed certificate and one past its validity with 700027", async () => {
    const app = await entraApp();
    await emulator.removeCertificate(app.tenantId, app.clientId, app.uploaded.thumbprint);
    expectRefused(await appToken(app, await assertion(app)), 401, "invalid_client", 700027);
    const lapsed = await newCertificate({ fromDays: -30, toDays: -1 });
    await emulator.uploadCertificate(app.tenantId, app.clientId, lapsed.pem);
    const refused = await appToken(app, await assertion(app, { certificate: lapsed }));
    expectRefused(refused, 401, "invalid_client", 700027);
    expect(String(refused.body.error_description)).toContain("expired");
  });

  it("never accepts a certificate uploaded to another tenant's app, even one with the same client ID", async () => {
    const owner = await entraApp();
    const sameClientId = await entraApp(crypto.randomUUID(), owner.clientId);
    const otherApp = await entraApp(owner.tenantId);
    // Signed with the owner's certificate, addressed correctly to each other app.
    for (const target of [sameClientId, otherApp]) {
      const borrowed = await assertion(target, { certificate: owner.certificate });
      expectRefused(await appToken(target, borrowed), 401, "invalid_client", 700027);
    }
    expect((await emulator.certificates(sameClientId.tenantId, owner.clientId)).map((cert) => cert.x5tS256)).toEqual([
      sameClientId.certificate.x5tS256,
    ]);
  });
});
