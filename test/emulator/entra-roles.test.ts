import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { EMULATOR, emulator } from "../helpers/emulator";
import { pkceChallenge } from "../helpers/oauth-browser";

/**
 * The emulated id_token's `wids` (directory roles as role template IDs),
 * sent only when the app's manifest sets groupMembershipClaims to
 * DirectoryRole or All; and a sign-in with only `openid profile`, whose code
 * still needs the client secret and the PKCE verifier.
 */

const REDIRECT = "https://acme.mcp.example.com/callback";
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

async function app(groupMembershipClaims?: "None" | "SecurityGroup" | "DirectoryRole" | "All", directoryRoles?: string[]) {
  const tenantId = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const clientSecret = `s3c~${crypto.randomUUID()}`;
  const user = { oid: crypto.randomUUID(), userPrincipalName: `lee@${tenantId.slice(0, 6)}.example`, displayName: "Lee Moreau" };
  await emulator.createTenant({ tenantId, displayName: "Acme" });
  await emulator.registerApp(tenantId, { clientId, secrets: [{ value: clientSecret }], redirectUris: [REDIRECT], groupMembershipClaims });
  await emulator.addUser(tenantId, { ...user, directoryRoles });
  return { tenantId, clientId, clientSecret, user };
}

type App = Awaited<ReturnType<typeof app>>;

async function code(entra: App, verifier: string): Promise<string> {
  const url = new URL(`${EMULATOR()}/${entra.tenantId}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: entra.clientId,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid profile",
    state: "st",
    nonce: "n-1",
    login_hint: entra.user.userPrincipalName,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
}

async function redeem(entra: App, form: Record<string, string>) {
  const response = await fetch(`${EMULATOR()}/${entra.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: entra.clientId, grant_type: "authorization_code", redirect_uri: REDIRECT, ...form }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function idTokenClaims(entra: App) {
  const verifier = "v".repeat(50);
  const answer = await redeem(entra, { code: await code(entra, verifier), code_verifier: verifier, client_secret: entra.clientSecret });
  expect(answer.status).toBe(200);
  return decodeJwt(answer.body.id_token ?? "");
}

describe("emulated Entra ID: directory roles in the id_token", () => {
  it("sends wids only when the manifest asks for directory roles", async () => {
    expect((await idTokenClaims(await app("DirectoryRole", [GLOBAL_ADMINISTRATOR]))).wids).toEqual([GLOBAL_ADMINISTRATOR]);
    expect((await idTokenClaims(await app("All", [GLOBAL_ADMINISTRATOR]))).wids).toEqual([GLOBAL_ADMINISTRATOR]);
    expect((await idTokenClaims(await app("SecurityGroup", [GLOBAL_ADMINISTRATOR]))).wids).toBeUndefined();
    expect((await idTokenClaims(await app(undefined, [GLOBAL_ADMINISTRATOR]))).wids).toBeUndefined();
    expect((await idTokenClaims(await app("DirectoryRole"))).wids).toBeUndefined();
  });

  it("answers an openid-profile sign-in with the user's identity, and still needs the secret and the verifier", async () => {
    const entra = await app();
    const claims = await idTokenClaims(entra);
    expect(claims.oid).toBe(entra.user.oid);
    expect(claims.preferred_username).toBe(entra.user.userPrincipalName);
    const verifier = "w".repeat(50);
    const noSecret = await redeem(entra, { code: await code(entra, verifier), code_verifier: verifier });
    expect(noSecret.body.error_description).toMatch(/^AADSTS\d+/);
    expect(noSecret.body.id_token).toBeUndefined();
    const wrongVerifier = await redeem(entra, {
      code: await code(entra, verifier),
      code_verifier: "x".repeat(50),
      client_secret: entra.clientSecret,
    });
    expect(wrongVerifier.body.error).toBe("invalid_grant");
    expect(wrongVerifier.body.id_token).toBeUndefined();
  });
});
