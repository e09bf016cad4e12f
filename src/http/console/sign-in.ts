import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { missingConsentCode } from "../../entra/aadsts";
import { holdsConsoleAdminRole } from "../../entra/admin-roles";
import { entraAuthorizeUrl, s256 } from "../../entra/authorize-url";
import { IdTokenError, verifyIdToken } from "../../entra/id-token";
import { exchangeCode, isEntraFailure } from "../../entra/token";

import { logEvent } from "../../lib/log";
import { canonicalOrigin } from "../../oauth/provider-env";
import { tenantEntraApp } from "../../oauth/tenant-secret";
import { cloudEndpoints } from "../../tenancy/clouds";
import { tenantAdminConsentUrl } from "../../tenancy/admin-consent";
import { personActor, signInEvent, type AuditActor } from "../../audit/events";
import { auditOf, partyOf } from "../audit";
import type { TenantEnv } from "../context";
import { consoleConsentFirstPage, consoleProblemPage, notAdminPage } from "../pages/console/sign-in-pages";
import type { ConsoleAdmin } from "./context";
import {
  COOKIE_OPTIONS,
  CONSOLE_STATE_PREFIX,
  createSession,
  randomToken,
  safeReturnPath,
  savePendingSignIn,
  SESSION_COOKIE,
  SESSION_SECONDS,
  SIGN_IN_COOKIE,
  SIGN_IN_SECONDS,
  takePendingSignIn,
} from "./session";

/**
 * @module Console sign-in through the org's own Entra app and its one
 * redirect URI (`/callback`): `openid profile` only (the console reads no
 * Graph data), PKCE S256 and a nonce, the pending sign-in bound to the
 * browser by a `__Host-` cookie. Who may enter is decided from the verified
 * id_token: a listed console admin (bound to the account at first sign-in),
 * or an Entra administrator role in `wids` where the org admits them.
 */

/** OpenID Connect only: an id_token naming the user ("OpenID Connect on the Microsoft identity platform"). */
const CONSOLE_SCOPES = ["openid", "profile"] as const;

/** A request for /callback that finishes a console sign-in (its `state` is the console's). */
export function isConsoleCallback(request: Request): boolean {
  const url = new URL(request.url);
  return url.pathname === "/callback" && (url.searchParams.get("state") ?? "").startsWith(CONSOLE_STATE_PREFIX);
}

/** POST /admin/sign-in: remembers the sign-in server-side and sends the browser to Microsoft. */
export async function startConsoleSignIn(c: Context<TenantEnv>): Promise<Response> {
  const tenant = c.get("tenant");
  const origin = canonicalOrigin(c.get("config"), tenant);
  const form = await c.req.parseBody();
  const returnTo = safeReturnPath(typeof form.returnTo === "string" ? form.returnTo : undefined);
  const state = `${CONSOLE_STATE_PREFIX}${randomToken()}`;
  const verifier = randomToken(48);
  const nonce = randomToken(24);
  const browser = randomToken();
  await savePendingSignIn(c.env.OAUTH_KV, tenant.id, state, { verifier, nonce, returnTo }, browser);
  setCookie(c, SIGN_IN_COOKIE, browser, { ...COOKIE_OPTIONS, maxAge: SIGN_IN_SECONDS });
  const location = entraAuthorizeUrl(
    { loginBase: cloudEndpoints(c.get("config"), tenant.cloud).loginBase, entraTenantId: tenant.entraTenantId, clientId: tenant.clientId },
    { redirectUri: `${origin}/callback`, scopes: CONSOLE_SCOPES, state, nonce, codeChallenge: await s256(verifier) },
  );
  return c.redirect(location, 302);
}

function problem(c: Context<TenantEnv>, status: 400 | 403 | 502, title: string, message: string) {
  c.header("cache-control", "no-store");
  return c.html(consoleProblemPage(c.get("tenant").displayName, title, message), status);
}

/** Writes a console sign-in's audit event: entered, or refused with a short reason code. */
function audited(c: Context<TenantEnv>, outcome: "ok" | "refused", reason?: string, actor: AuditActor = { type: "console_admin" }): void {
  const party = partyOf(c, c.get("tenant").id, actor);
  auditOf(c).record(signInEvent(party, { what: "console", outcome, ...(reason ? { reason } : {}) }));
}

/**
 * GET /callback with a console `state`: finishes the console sign-in (and
 * passes every other callback on). A refused account gets no session.
 */
export const consoleCallback: MiddlewareHandler<TenantEnv> = async (c, next) => {
  const state = c.req.query("state") ?? "";
  if (!state.startsWith(CONSOLE_STATE_PREFIX)) return next();
  const tenant = c.get("tenant");
  const config = c.get("config");
  const pending = await takePendingSignIn(c.env.OAUTH_KV, tenant.id, state, getCookie(c, SIGN_IN_COOKIE));
  deleteCookie(c, SIGN_IN_COOKIE, COOKIE_OPTIONS);
  if (!pending) {
    return problem(
      c,
      400,
      "This sign-in link has expired",
      "It was already used, is older than ten minutes, or was opened in another browser.",
    );
  }
  const code = c.req.query("code");
  const consent = missingConsentCode(new URL(c.req.url).searchParams);
  if (consent) {
    logEvent("console_sign_in_needs_consent", { tenantId: tenant.id, aadsts: consent });
    audited(c, "refused", consent);
    c.header("cache-control", "no-store");
    return c.html(consoleConsentFirstPage(tenant.displayName, consentLink(c), consent), 403);
  }
  if (c.req.query("error") || !code) {
    logEvent("console_sign_in_declined", { tenantId: tenant.id, error: c.req.query("error") ?? "no_code" });
    audited(c, "refused", c.req.query("error") ?? "no_code");
    return problem(
      c,
      403,
      "Microsoft did not sign you in",
      "The sign-in was cancelled or refused by Microsoft. Try again from the console.",
    );
  }
  const origin = canonicalOrigin(config, tenant);
  const app = await tenantEntraApp(tenant, config, c.get("registry"));
  const tokens = await exchangeCode(app, {
    code,
    redirectUri: `${origin}/callback`,
    codeVerifier: pending.verifier,
    scopes: CONSOLE_SCOPES,
  });
  if (isEntraFailure(tokens) || !tokens.idToken) {
    logEvent("console_code_exchange_failed", { tenantId: tenant.id, aadsts: isEntraFailure(tokens) ? tokens.aadsts : undefined });
    audited(c, "refused", isEntraFailure(tokens) ? (tokens.aadsts ?? tokens.kind) : "no_id_token");
    return problem(
      c,
      502,
      "Sign-in could not be completed",
      "Microsoft did not complete the sign-in. Check the Setup page's credentials, then try again.",
    );
  }
  let identity;
  try {
    identity = await verifyIdToken(tokens.idToken, {
      loginBase: app.loginBase,
      entraTenantId: app.entraTenantId,
      clientId: app.clientId,
      nonce: pending.nonce,
    });
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    logEvent("id_token_rejected", { tenantId: tenant.id, reason: error.message, console: true });
    audited(c, "refused", "id_token_rejected");
    return problem(c, 400, "Sign-in could not be verified", "The identity Microsoft returned did not pass verification.");
  }
  if (identity.tid !== tenant.entraTenantId) {
    logEvent("foreign_directory_refused", { tenantId: tenant.id, console: true });
    audited(c, "refused", "foreign_directory", personActor("user", `${identity.tid}.${identity.oid}`, identity.upn));
    return problem(c, 403, "This account belongs to another organization", `Sign in with your ${tenant.displayName} work account.`);
  }
  const admin = await admit(c, { userId: `${identity.tid}.${identity.oid}`, upn: identity.upn, name: identity.name, wids: identity.wids });
  if (!admin) {
    logEvent("console_sign_in_refused", { tenantId: tenant.id });
    audited(c, "refused", "not_console_admin", personActor("user", `${identity.tid}.${identity.oid}`, identity.upn));
    c.header("cache-control", "no-store");
    return c.html(notAdminPage(tenant.displayName, identity.upn), 403);
  }
  const sessionId = await createSession(c.env.OAUTH_KV, tenant.id, admin);
  setCookie(c, SESSION_COOKIE, sessionId, { ...COOKIE_OPTIONS, maxAge: SESSION_SECONDS });
  logEvent("console_sign_in", { tenantId: tenant.id, via: admin.via });
  audited(c, "ok", undefined, personActor("console_admin", admin.userId, admin.upn));
  c.header("cache-control", "no-store");
  return c.redirect(pending.returnTo, 302);
};

/** The admin-consent link for the tenant's current permissions, as the Setup checklist shows it. */
function consentLink(c: Context<TenantEnv>): string {
  const tenant = c.get("tenant");
  const config = c.get("config");
  return tenantAdminConsentUrl(tenant, config, `${canonicalOrigin(config, tenant)}/callback`);
}

/** Who may enter, from the tenant's row and console admin list as they are now in D1. */
async function admit(
  c: Context<TenantEnv>,
  who: { userId: string; upn: string; name: string; wids: string[] },
): Promise<ConsoleAdmin | undefined> {
  const registry = c.get("registry");
  const tenant = await registry.findById(c.get("tenant").id);
  if (!tenant) return undefined;
  const identity = { userId: who.userId, upn: who.upn, name: who.name || who.upn };
  if (await registry.admitConsoleAdmin(tenant.id, who.userId, who.upn)) return { ...identity, via: "listed" };
  if (tenant.consoleAdminRoles && holdsConsoleAdminRole(who.wids)) return { ...identity, via: "entra-role" };
  return undefined;
}
