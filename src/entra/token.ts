import { SignJWT } from "jose";
import { z } from "zod";
import { aadstsCode, classifyFailure, explainAadsts, type EntraFailure } from "./aadsts";

/**
 * @module The gateway as a confidential client of one org's Entra app: every
 * request to the tenant's v2.0 token endpoint, the code exchange at sign-in,
 * the refresh, and the client credentials grant that checks an app's
 * credentials at signup and secret rotation, goes through one POST here,
 * authenticated with the client secret or a signed client assertion.
 */
export interface EntraApp {
  loginBase: string;
  entraTenantId: string;
  clientId: string;
  credential: EntraCredential;
}

/**
 * How the gateway proves it is the app: the client secret, or a certificate
 * whose private key (non-extractable, imported for this one request) signs a
 * client assertion named by the certificate's `x5t#S256`.
 */
export type EntraCredential = { kind: "secret"; secret: string } | { kind: "certificate"; privateKey: CryptoKey; x5tS256: string };

export interface EntraTokens {
  accessToken: string;
  refreshToken: string | undefined;
  idToken: string | undefined;
  /** Epoch seconds. */
  expiresAt: number;
  scope: string[];
}

/**
 * The credential check's answer. Success proves the tenant, client ID and
 * secret (or certificate) belong together; the app-only token itself is discarded.
 */
export type CredentialCheck =
  | { ok: true }
  | { ok: false; kind: "rejected"; aadsts: string | undefined; reason: string }
  | { ok: false; kind: "unreachable"; reason: string };

const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().default(""),
});

const TIMEOUT_MS = 10_000;
export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** How long an assertion is valid: long enough for one request, short enough to be useless if captured. */
const ASSERTION_LIFETIME_SECONDS = 300;

/** The tenant's v2.0 token endpoint: where every request goes, and the `aud` of every assertion. */
export function tokenEndpoint(app: Pick<EntraApp, "loginBase" | "entraTenantId">): string {
  return `${app.loginBase}/${encodeURIComponent(app.entraTenantId)}/oauth2/v2.0/token`;
}

/**
 * A client assertion as Microsoft's "Microsoft identity platform application
 * authentication certificate credentials" page specifies it: header `alg`
 * RS256, `typ` JWT and `x5t#S256` (the certificate's SHA-256 thumbprint);
 * claims `aud` the token endpoint the request goes to, `iss` = `sub` = the
 * client ID, a fresh `jti`, `nbf`/`iat` now and `exp` shortly after.
 */
export async function clientAssertion(
  credential: Extract<EntraCredential, { kind: "certificate" }>,
  clientId: string,
  audience: string,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256", typ: "JWT", "x5t#S256": credential.x5tS256 })
    .setAudience(audience)
    .setIssuer(clientId)
    .setSubject(clientId)
    .setJti(crypto.randomUUID())
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
    .sign(credential.privateKey);
}

/** The form fields that authenticate the client: its secret, or a fresh assertion for this endpoint. */
async function clientAuthentication(app: EntraApp, endpoint: string): Promise<Record<string, string>> {
  if (app.credential.kind === "secret") return { client_id: app.clientId, client_secret: app.credential.secret };
  return {
    client_id: app.clientId,
    client_assertion_type: JWT_BEARER_ASSERTION,
    client_assertion: await clientAssertion(app.credential, app.clientId, endpoint),
  };
}

/** One form post to the app's token endpoint, authenticated with its credential; undefined when Entra did not answer. */
async function postToTokenEndpoint(app: EntraApp, form: Record<string, string>): Promise<Response | undefined> {
  const endpoint = tokenEndpoint(app);
  try {
    return await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ ...(await clientAuthentication(app, endpoint)), ...form }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return undefined;
  }
}

async function tokenRequest(app: EntraApp, form: Record<string, string>): Promise<EntraTokens | EntraFailure> {
  const response = await postToTokenEndpoint(app, form);
  if (!response) return { kind: "unavailable", aadsts: undefined, reason: "Entra ID did not answer" };
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const parsed = TokenResponse.safeParse(body);
    if (!parsed.success) return { kind: "unavailable", aadsts: undefined, reason: "Entra ID sent an unreadable token response" };
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      idToken: parsed.data.id_token,
      expiresAt: Math.floor(Date.now() / 1000) + parsed.data.expires_in,
      scope: parsed.data.scope.split(" ").filter(Boolean),
    };
  }
  return classifyFailure(response.status, body);
}

export function isEntraFailure<T extends object = EntraTokens>(result: T | EntraFailure): result is EntraFailure {
  return "kind" in result;
}

export function exchangeCode(app: EntraApp, input: { code: string; redirectUri: string; codeVerifier: string; scopes: readonly string[] }) {
  return tokenRequest(app, {
    grant_type: "authorization_code",
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
    scope: input.scopes.join(" "),
  });
}

export function refreshTokens(app: EntraApp, refreshToken: string, scopes: readonly string[]) {
  return tokenRequest(app, { grant_type: "refresh_token", refresh_token: refreshToken, scope: scopes.join(" ") });
}

/**
 * Asks for an app-only Graph token (client credentials grant) to prove the
 * app's credentials work; `.default` of the app's cloud's Graph resource.
 */
export async function checkClientCredentials(app: EntraApp, graphResource: string): Promise<CredentialCheck> {
  const response = await postToTokenEndpoint(app, { grant_type: "client_credentials", scope: `${graphResource}/.default` });
  if (!response) return { ok: false, kind: "unreachable", reason: "Entra ID did not answer" };
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true };
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    return { ok: false, kind: "unreachable", reason: `Entra ID answered HTTP ${response.status}` };
  }
  const body = await response.json<{ error_description?: unknown }>().catch(() => ({ error_description: undefined }));
  const description = typeof body.error_description === "string" ? body.error_description : "";
  const aadsts = aadstsCode(description);
  return { ok: false, kind: "rejected", aadsts, reason: explainAadsts(aadsts, description) };
}
