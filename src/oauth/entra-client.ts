import { z } from "zod";
import { aadstsCode } from "../tenancy/entra-credentials";

/**
 * The gateway as an OAuth client of one org's Entra app: the authorize URL,
 * the code exchange and the refresh. Failures are classified once here so
 * callers can tell a user's dead grant from a tenant-wide problem.
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
 * - `user`: this user's grant is gone (revoked, expired, password reset): re-authorize.
 * - `tenant`: the org's app is broken (bad or expired secret, app deleted): every user is affected.
 * - `unavailable`: Entra is down or throttling: retry later.
 */
export type EntraFailure = { kind: "user" | "tenant" | "unavailable"; aadsts: string | undefined; reason: string };

const USER_LEVEL = new Set(["AADSTS700082", "AADSTS50173", "AADSTS70008", "AADSTS54005", "AADSTS70000", "AADSTS9002313", "AADSTS501481", "AADSTS500112", "AADSTS50076", "AADSTS50079", "AADSTS65001"]);
const TENANT_LEVEL = new Set(["AADSTS7000215", "AADSTS7000222", "AADSTS700016", "AADSTS90002", "AADSTS7000112", "AADSTS50011"]);

/**
 * Sign-in refused for missing consent ("Unexpected error when performing
 * consent to an application", AADSTS error codes): 65001 nobody consented,
 * 90093 a policy lets users consent to nothing, 90094 a permission only an
 * admin can grant, 90095 the same with the admin consent workflow on.
 */
const CONSENT_MISSING = new Set(["AADSTS65001", "AADSTS90093", "AADSTS90094", "AADSTS90095"]);

export function isMissingConsent(aadsts: string | undefined): aadsts is string {
  return aadsts !== undefined && CONSENT_MISSING.has(aadsts);
}

/** The AADSTS code when Entra's redirect to /callback says the sign-in lacks consent; undefined otherwise. */
export function missingConsentCode(query: URLSearchParams): string | undefined {
  const aadsts = aadstsCode(query.get("error_description") ?? "");
  if (isMissingConsent(aadsts)) return aadsts;
  return query.get("error") === "consent_required" ? (aadsts ?? "consent_required") : undefined;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().default(""),
});

const TIMEOUT_MS = 10_000;

export function entraAuthorizeUrl(app: Omit<EntraApp, "clientSecret">, params: {
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  loginHint?: string;
}): string {
  const url = new URL(`${app.loginBase}/${app.entraTenantId}/oauth2/v2.0/authorize`);
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("response_mode", "query");
  url.searchParams.set("scope", params.scopes.join(" "));
  url.searchParams.set("state", params.state);
  url.searchParams.set("nonce", params.nonce);
  url.searchParams.set("code_challenge", params.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  if (params.loginHint) url.searchParams.set("login_hint", params.loginHint);
  return url.toString();
}

async function tokenRequest(app: EntraApp, form: Record<string, string>): Promise<EntraTokens | EntraFailure> {
  let response: Response;
  try {
    response = await fetch(`${app.loginBase}/${app.entraTenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { kind: "unavailable", aadsts: undefined, reason: "Entra ID did not answer" };
  }
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

export function classifyFailure(status: number, body: unknown): EntraFailure {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const description = typeof record.error_description === "string" ? record.error_description : "";
  const aadsts = aadstsCode(description);
  const reason = description.split(/\r?\n| Trace ID:/)[0]?.trim() || `HTTP ${status}`;
  if (status >= 500 || status === 429) return { kind: "unavailable", aadsts, reason };
  if (aadsts && TENANT_LEVEL.has(aadsts)) return { kind: "tenant", aadsts, reason };
  if ((aadsts && USER_LEVEL.has(aadsts)) || record.error === "invalid_grant") return { kind: "user", aadsts, reason };
  if (record.error === "invalid_client" || record.error === "unauthorized_client") return { kind: "tenant", aadsts, reason };
  return { kind: "user", aadsts, reason };
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
