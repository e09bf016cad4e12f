import { z } from "zod";
import { aadstsCode, classifyFailure, explainAadsts, type EntraFailure } from "./aadsts";

/**
 * @module The gateway as a confidential client of one org's Entra app: every
 * request to the tenant's v2.0 token endpoint, the code exchange at sign-in,
 * the refresh, and the client credentials grant that checks an app's
 * credentials at signup and secret rotation, goes through one POST here.
 */
export interface EntraApp {
  loginBase: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
}

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
 * secret belong together; the app-only token itself is discarded.
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

/** One form post to the app's token endpoint, authenticated with its secret; undefined when Entra did not answer. */
async function postToTokenEndpoint(app: EntraApp, form: Record<string, string>): Promise<Response | undefined> {
  try {
    return await fetch(`${app.loginBase}/${encodeURIComponent(app.entraTenantId)}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
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
