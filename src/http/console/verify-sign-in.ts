import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { personActor, signInEvent, type SignInDetail } from "../../audit/events";
import { isMissingConsent, missingConsentCode } from "../../entra/aadsts";
import { entraAuthorizeUrl, s256 } from "../../entra/authorize-url";
import { IdTokenError, verifyIdToken } from "../../entra/id-token";
import { exchangeCode, isEntraFailure } from "../../entra/token";
import { delegatedPermissions } from "../../graph/tool-groups";
import { logEvent } from "../../lib/log";
import { canonicalOrigin } from "../../oauth/provider-env";
import { graphScopesFor, normalizeScope } from "../../oauth/scopes";
import { tenantEntraApp } from "../../oauth/tenant-secret";
import { cloudEndpoints } from "../../tenancy/clouds";
import { tenantKvView } from "../../tenancy/tenant-kv";
import { auditOf, partyOf } from "../audit";
import type { TenantEnv } from "../context";
import { consoleProblemPage } from "../pages/console/sign-in-pages";
import { missingPermissions, readTestSignIn, saveTestSignIn } from "../tenant-admin-verify";
import type { ConsoleEnv } from "./context";
import { COOKIE_OPTIONS, csrfMatches, readSession, randomToken, SESSION_COOKIE, sha256Hex, SIGN_IN_SECONDS } from "./session";

/**
 * @module The console's test sign-in ("Test sign-in with the users'
 * permissions"): the signed-in console admin signs in to Entra asking for
 * exactly the scopes a user's sign-in asks for, through the same `/callback`
 * (its `state` starts "console-verify."), with PKCE S256, a nonce and the
 * pending sign-in bound to the browser, as the console sign-in. On return the
 * code is exchanged, the id_token verified (the same person as the console
 * session, or refused), and only the granted scopes (or Entra's refusal for
 * missing consent) are kept for "Verify setup"; the tokens are dropped.
 * Each test that reaches the callback with its session is audited once
 * (`sign_in`, `what: "console_test"`): completed with the scopes granted and
 * the needed ones missing, or refused with a short reason.
 */

export const VERIFY_STATE_PREFIX = "console-verify.";
const VERIFY_COOKIE = "__Host-console-verify";

const PendingTest = z.object({ verifier: z.string(), nonce: z.string(), userId: z.string(), browserHash: z.string() });
type PendingTest = z.infer<typeof PendingTest>;

const pendingKey = async (state: string) => `console-verify-pending:${await sha256Hex(state)}`;

/** POST /admin/verify/sign-in: remembers the test server-side and sends the admin to Microsoft. */
export async function startTestSignIn(c: Context<ConsoleEnv>): Promise<Response> {
  const tenant = c.get("tenant");
  const config = c.get("config");
  const endpoints = cloudEndpoints(config, tenant.cloud);
  const state = `${VERIFY_STATE_PREFIX}${randomToken()}`;
  const verifier = randomToken(48);
  const nonce = randomToken(24);
  const browser = randomToken();
  const pending: PendingTest = { verifier, nonce, userId: c.get("consoleAdmin").userId, browserHash: await sha256Hex(browser) };
  await tenantKvView(c.env.OAUTH_KV, tenant.id).put(await pendingKey(state), JSON.stringify(pending), { expirationTtl: SIGN_IN_SECONDS });
  setCookie(c, VERIFY_COOKIE, browser, { ...COOKIE_OPTIONS, maxAge: SIGN_IN_SECONDS });
  const location = entraAuthorizeUrl(
    { loginBase: endpoints.loginBase, entraTenantId: tenant.entraTenantId, clientId: tenant.clientId },
    {
      redirectUri: `${canonicalOrigin(config, tenant)}/callback`,
      scopes: graphScopesFor(tenant.policy, endpoints.graphResource),
      state,
      nonce,
      codeChallenge: await s256(verifier),
    },
  );
  return c.redirect(location, 302);
}

/** Takes (single use) the pending test of this `state`, only in the browser that started it. */
async function takePendingTest(c: Context<TenantEnv>, state: string): Promise<PendingTest | undefined> {
  const view = tenantKvView(c.env.OAUTH_KV, c.get("tenant").id);
  const key = await pendingKey(state);
  const parsed = PendingTest.safeParse(await view.get(key, "json"));
  if (!parsed.success) return undefined;
  await view.delete(key);
  const browser = getCookie(c, VERIFY_COOKIE);
  if (!browser || !(await csrfMatches(await sha256Hex(browser), parsed.data.browserHash))) return undefined;
  return parsed.data;
}

/** The test's one audit event, by the console admin whose session started it. */
function audited(c: Context<TenantEnv>, session: { userId: string; upn: string }, detail: Omit<SignInDetail, "what">): void {
  const party = partyOf(c, c.get("tenant").id, personActor("console_admin", session.userId, session.upn));
  auditOf(c).record(signInEvent(party, { what: "console_test", ...detail }));
}

function problem(c: Context<TenantEnv>, status: 400 | 403 | 502, title: string, message: string) {
  c.header("cache-control", "no-store");
  return c.html(consoleProblemPage(c.get("tenant").displayName, title, message), status);
}

/**
 * GET /callback with a test sign-in's `state`: records what Entra granted,
 * then shows the Setup page's report (and passes every other callback on).
 */
export const testSignInCallback: MiddlewareHandler<TenantEnv> = async (c, next) => {
  const state = c.req.query("state") ?? "";
  if (!state.startsWith(VERIFY_STATE_PREFIX)) return next();
  const tenant = c.get("tenant");
  const config = c.get("config");
  const pending = await takePendingTest(c, state);
  deleteCookie(c, VERIFY_COOKIE, COOKIE_OPTIONS);
  const sessionId = getCookie(c, SESSION_COOKIE);
  const session = sessionId ? await readSession(c.env.OAUTH_KV, tenant.id, sessionId) : undefined;
  if (!pending || !session || session.userId !== pending.userId) {
    return problem(
      c,
      400,
      "This test sign-in has expired",
      "It was already used, is older than ten minutes, or was opened in another browser.",
    );
  }
  const endpoints = cloudEndpoints(config, tenant.cloud);
  const required = delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly);
  const record = { at: Date.now(), by: session.upn, required };
  const refusedFor = async (aadsts: string) => {
    const previous = await readTestSignIn(c.env.OAUTH_KV, tenant.id);
    await saveTestSignIn(c.env.OAUTH_KV, tenant.id, { ...record, granted: previous?.granted ?? [], refused: aadsts });
    logEvent("console_test_sign_in", { tenantId: tenant.id, outcome: "consent_missing", aadsts });
    audited(c, session, { outcome: "refused", reason: aadsts });
    return c.redirect("/admin/verify", 302);
  };
  const consent = missingConsentCode(new URL(c.req.url).searchParams);
  if (consent) return refusedFor(consent);
  const code = c.req.query("code");
  if (c.req.query("error") || !code) {
    // Entra's `error` is an OAuth code (`access_denied`); anything else in the query is not written to the trail.
    const error = c.req.query("error") ?? "";
    audited(c, session, { outcome: "refused", reason: error ? (/^[a-z_]{1,64}$/.test(error) ? error : "error") : "no_code" });
    return problem(
      c,
      403,
      "Microsoft did not sign you in",
      "The test sign-in was cancelled or refused by Microsoft. Try again from Setup.",
    );
  }
  const app = await tenantEntraApp(tenant, config, c.get("registry"));
  const tokens = await exchangeCode(app, {
    code,
    redirectUri: `${canonicalOrigin(config, tenant)}/callback`,
    codeVerifier: pending.verifier,
    scopes: graphScopesFor(tenant.policy, endpoints.graphResource),
  });
  if (isEntraFailure(tokens)) {
    if (isMissingConsent(tokens.aadsts)) return refusedFor(tokens.aadsts);
    logEvent("console_test_sign_in", { tenantId: tenant.id, outcome: "exchange_failed", aadsts: tokens.aadsts });
    audited(c, session, { outcome: "refused", reason: tokens.aadsts || "exchange_failed" });
    return problem(
      c,
      502,
      "The test sign-in could not be completed",
      "Microsoft did not complete it. Verify the credentials, then try again.",
    );
  }
  try {
    const identity = tokens.idToken
      ? await verifyIdToken(tokens.idToken, {
          loginBase: app.loginBase,
          entraTenantId: app.entraTenantId,
          clientId: app.clientId,
          nonce: pending.nonce,
        })
      : undefined;
    if (!identity || `${identity.tid}.${identity.oid}` !== session.userId) {
      logEvent("console_test_sign_in", { tenantId: tenant.id, outcome: "other_account" });
      audited(c, session, { outcome: "refused", reason: "other_account" });
      return problem(c, 403, "Another account signed in", "Run the test sign-in with the account you are signed in to the console with.");
    }
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    logEvent("id_token_rejected", { tenantId: tenant.id, reason: error.message, console: true });
    audited(c, session, { outcome: "refused", reason: "id_token_rejected" });
    return problem(c, 400, "Sign-in could not be verified", "The identity Microsoft returned did not pass verification.");
  }
  // Only the granted scopes are kept: the tokens end with this request.
  const granted = tokens.scope.map(normalizeScope);
  await saveTestSignIn(c.env.OAUTH_KV, tenant.id, { ...record, granted });
  logEvent("console_test_sign_in", { tenantId: tenant.id, outcome: "ok" });
  audited(c, session, { outcome: "ok", grantedScopes: granted, missingScopes: missingPermissions(required, granted) });
  return c.redirect("/admin/verify", 302);
};
