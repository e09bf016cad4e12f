import { AuthorizationError, authorizationErrorRedirect, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { aadstsCode, missingConsentCode } from "../../entra/aadsts";
import { recordEntraFailure, signInFailure, signInReply, type SignInFailure } from "../../entra/failure";
import { IdTokenError, verifyIdToken } from "../../entra/id-token";
import { exchangeCode, isEntraFailure } from "../../entra/token";

import { logEvent } from "../../lib/log";
import { userIdOf, type GrantProps } from "../../oauth/props";
import { graphScopesFor } from "../../oauth/scopes";
import { cloudEndpoints } from "../../tenancy/clouds";
import { tenantEntraApp } from "../../oauth/tenant-secret";
import { ADMIN_CONSENT_STATE } from "../../tenancy/onboarding";
import { tenantAdminConsentUrl } from "../../tenancy/admin-consent";
import { adminConsentResultPage } from "../pages/tenant-pages";
import type { TenantEnv } from "../context";
import { consentNeededPage, pageResponse, problemPage } from "../pages/sign-in-pages";
import { oauthContext, type UpstreamData } from "../tenant-oauth";
import { auditClient, personActor, redirectHostOf, signInEvent, type AuditActor, type AuditClient } from "../../audit/events";
import { withCleanClientName } from "../../tenancy/names";
import { auditOf, partyOf } from "../audit";
import { consoleCallback } from "../console/sign-in";
import { testSignInCallback } from "../console/verify-sign-in";

/** @module The tenant's /callback: where Entra returns the browser after admin consent or a user's sign-in. */

/**
 * GET /callback: the one redirect URI of a tenant's Entra app, where Entra
 * sends a browser back for two reasons, told apart by `state`:
 * - an administrator opened the admin-consent link (`adminConsentUrl`): a
 *   page says whether the permissions were granted;
 * - a user signed in: the original MCP request is recovered from the
 *   browser-bound upstream record; the code is exchanged with the tenant's
 *   own secret and PKCE verifier; the id_token is verified; only a member of
 *   the tenant's own Entra directory gets a grant. A sign-in Entra refused
 *   for missing consent shows what to ask the admin, and alerts the tenant.
 * - an admin signed in to the org's admin console (`state` starting
 *   "console."): finished by the console's own handler;
 * - a console admin's test sign-in for "Verify setup" (`state` starting
 *   "console-verify."): finished by its own handler, which keeps only the
 *   granted scopes.
 * The sign-in budget (`signInBudget`) is spent by sign-ins only, the
 * console's included (they share the per-address budget of the tenant's
 * sign-ins); the admin-consent answer only records when consent was granted.
 */
export function callbackRoute(signInBudget: MiddlewareHandler<TenantEnv>) {
  return new Hono<TenantEnv>().get("/callback", adminConsentResult, signInBudget, consoleCallback, testSignInCallback, signIn);
}

const adminConsentResult: MiddlewareHandler<TenantEnv> = async (c, next) => {
  if (c.req.query("state") !== ADMIN_CONSENT_STATE) return next();
  // Entra's error response carries admin_consent=True too (v2-admin-consent, "Error response").
  const granted = c.req.query("admin_consent")?.toLowerCase() === "true" && !c.req.query("error");
  const aadsts = aadstsCode(c.req.query("error_description") ?? "");
  // The Setup checklist shows when consent was last granted; a forged "granted" link only
  // moves this date (the gateway never relies on it: Entra still asks whoever lacks consent).
  if (granted) {
    await c.get("registry").setAdminConsentAt(c.get("tenant").id, new Date());
    c.get("tenantCache").invalidate(c.get("tenant").slug);
  }
  return c.html(adminConsentResultPage(c.get("tenant"), granted, aadsts), granted ? 200 : 400);
};

/** The MCP client a sign-in is for, by id and registered name (cleaned as the consent page shows it). */
async function signInClient(oauth: Pick<OAuthHelpers, "lookupClient">, clientId: string): Promise<AuditClient | undefined> {
  const client = await oauth.lookupClient(clientId).catch(() => null);
  const name = client?.clientName?.trim() ? withCleanClientName({ clientName: client.clientName }).clientName : undefined;
  return auditClient(clientId, name);
}

async function signIn(c: Context<TenantEnv>): Promise<Response> {
  const { oauth, origin } = oauthContext(c);
  const tenant = c.get("tenant");
  const config = c.get("config");
  const endpoints = cloudEndpoints(config, tenant.cloud);
  let resumed;
  try {
    resumed = await oauth.finishUpstream<UpstreamData>(c.req.raw);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    return problemPage(
      400,
      "This sign-in link has expired",
      "It was already used, is older than ten minutes, or was opened in another browser.",
    );
  }
  const { request, data, headers } = resumed;
  const client = await signInClient(oauth, request.clientId);
  const redirectHost = redirectHostOf(request.redirectUri);
  /** Writes the sign-in's audit event: a grant issued, or refused with a short reason code. */
  const audited = (outcome: "ok" | "refused", reason?: string, actor: AuditActor = { type: "user" }, grantedScopes?: string[]) =>
    auditOf(c).record(
      signInEvent(partyOf(c, tenant.id, actor, client), {
        what: "grant",
        outcome,
        ...(reason ? { reason } : {}),
        ...(redirectHost ? { redirectHost } : {}),
        ...(grantedScopes ? { grantedScopes } : {}),
      }),
    );
  const redirect = (location: string) => {
    headers.set("location", location);
    return new Response(null, { status: 302, headers });
  };
  const signInFailed = async (failure: SignInFailure) => {
    // The user cannot fix missing consent; an admin can, with the admin-consent link for the tenant's current permissions.
    const link = tenantAdminConsentUrl(tenant, config, `${origin}/callback`);
    await recordEntraFailure(c.get("registry"), { step: "sign-in", tenantId: tenant.id, failure, adminConsentUrl: link });
    audited("refused", failure.aadsts ?? failure.kind);
    const reply = signInReply(failure, tenant);
    if (reply.to === "client") return redirect(authorizationErrorRedirect(request, reply.error, reply.description));
    if (reply.to === "adminConsent") return pageResponse(reply.status, consentNeededPage(tenant, link));
    return problemPage(reply.status, reply.title, reply.message);
  };
  const query = new URL(c.req.url).searchParams;
  const consentCode = missingConsentCode(query);
  if (consentCode) return signInFailed({ kind: "consent", aadsts: consentCode });
  if (query.get("error")) {
    logEvent("entra_sign_in_declined", { tenantId: tenant.id, error: query.get("error") ?? "" });
    audited("refused", aadstsCode(query.get("error_description") ?? "") ?? query.get("error") ?? "declined");
    return redirect(authorizationErrorRedirect(request, "access_denied", "Microsoft sign-in was cancelled or failed"));
  }
  const code = query.get("code");
  if (!code) {
    audited("refused", "no_code");
    return redirect(authorizationErrorRedirect(request, "access_denied", "Microsoft returned no authorization code"));
  }

  const tokens = await exchangeCode(await tenantEntraApp(tenant, config, c.get("registry")), {
    code,
    redirectUri: `${origin}/callback`,
    codeVerifier: data.verifier,
    scopes: graphScopesFor(tenant.policy, endpoints.graphResource),
  });
  if (isEntraFailure(tokens)) {
    logEvent("entra_code_exchange_failed", { tenantId: tenant.id, kind: tokens.kind, aadsts: tokens.aadsts });
    // Missing consent here: the scopes asked at redemption outgrew the consent given at sign-in (the policy changed in between).
    return signInFailed(signInFailure(tokens));
  }
  if (!tokens.idToken) {
    audited("refused", "no_id_token");
    return problemPage(502, "Sign-in could not be verified", "Microsoft returned no id_token.");
  }

  let identity;
  try {
    identity = await verifyIdToken(tokens.idToken, {
      loginBase: endpoints.loginBase,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      nonce: data.nonce,
    });
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    logEvent("id_token_rejected", { tenantId: tenant.id, reason: error.message });
    audited("refused", "id_token_rejected");
    return problemPage(400, "Sign-in could not be verified", "The identity Microsoft returned did not pass verification.");
  }
  if (identity.tid !== tenant.entraTenantId) {
    logEvent("foreign_directory_refused", { tenantId: tenant.id });
    audited("refused", "foreign_directory", personActor("user", `${identity.tid}.${identity.oid}`, identity.upn));
    return problemPage(403, "This account belongs to another organization", `Sign in with your ${tenant.displayName} work account.`);
  }

  const props: GrantProps = {
    tenantId: tenant.id,
    tid: identity.tid,
    oid: identity.oid,
    upn: identity.upn,
    name: identity.name,
    graph: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
    grantedScopes: tokens.scope,
    ...(client ? { client: { id: client.id, ...(client.name ? { name: client.name } : {}) } } : {}),
  };
  await c.get("registry").recordSignIn(tenant.id, userIdOf(props), { upn: identity.upn, name: identity.name });
  const { redirectTo } = await oauth.completeAuthorization({
    request,
    userId: userIdOf(props),
    metadata: { tenantId: tenant.id },
    scope: request.scope,
    props,
  });
  logEvent("mcp_grant_issued", { tenantId: tenant.id, clientId: request.clientId });
  audited("ok", undefined, personActor("user", userIdOf(props), identity.upn), tokens.scope);
  return redirect(redirectTo);
}
