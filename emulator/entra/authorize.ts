import { Hono, type Context } from "hono";
import type { EmulatorEnv } from "../context";
import { findTenant } from "./client-auth";
import { AADSTS, aadstsBody, type AadstsError } from "./errors";
import { parseScopes } from "./issue";
import { errorPage, signInPage } from "./pages";
import { adminGrants, checkConsent } from "./permissions";

/**
 * @module GET /{tenant}/oauth2/v2.0/authorize and /{tenant}/v2.0/adminconsent.
 * Problems with the tenant, app or redirect URI show an error page (Entra
 * never redirects to an unverified URI); later problems redirect back with
 * `error` and `error_description`. `login_hint` naming a seeded user signs
 * in at once, so automated clients need no clicks. A signed-in user consents
 * to what they may (see permissions.ts); anything needing an admin who has not
 * granted it fails the sign-in.
 */

function showError(c: Context, failure: AadstsError): Response | Promise<Response> {
  const body = aadstsBody(failure);
  return c.html(errorPage(body.error, body.error_description), failure.status === 401 ? 400 : (failure.status as 400));
}

function redirectError(c: Context, redirectUri: string, state: string | undefined, failure: AadstsError): Response {
  const url = new URL(redirectUri);
  const body = aadstsBody(failure);
  url.searchParams.set("error", body.error);
  url.searchParams.set("error_description", body.error_description);
  if (state !== undefined) url.searchParams.set("state", state);
  return c.redirect(url.toString(), 302);
}

export const authorizeRoutes = new Hono<EmulatorEnv>()
  .get("/:tenantId/oauth2/v2.0/authorize", (c) => {
    const q = (name: string) => c.req.query(name);
    const found = findTenant(c.get("state"), c.req.param("tenantId"), c.get("cloud"));
    if (!found.ok) return showError(c, found.failure);
    const tenant = found.tenant;
    const clientId = q("client_id");
    if (!clientId) return showError(c, AADSTS.missingParameter("client_id"));
    const app = tenant.apps.get(clientId.toLowerCase());
    if (!app) return showError(c, AADSTS.appNotFound(clientId, tenant.tenantId));
    const redirectUri = q("redirect_uri");
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) return showError(c, AADSTS.redirectMismatch(app.clientId));

    const state = q("state");
    if (q("response_type") !== "code") return redirectError(c, redirectUri, state, AADSTS.unsupportedResponseType());
    const challenge = q("code_challenge");
    if (!challenge) return redirectError(c, redirectUri, state, AADSTS.pkceRequired());
    if (q("code_challenge_method") !== "S256") return redirectError(c, redirectUri, state, AADSTS.pkcePlainRefused());
    const scope = q("scope");
    if (!scope) return redirectError(c, redirectUri, state, AADSTS.missingParameter("scope"));

    const hint = q("login_hint")?.toLowerCase();
    const user = hint ? [...tenant.users.values()].find((u) => u.userPrincipalName.toLowerCase() === hint) : undefined;
    if (hint && !user) return redirectError(c, redirectUri, state, AADSTS.unknownUser(hint));
    if (!user) {
      if (q("prompt") === "none") return redirectError(c, redirectUri, state, AADSTS.loginRequired());
      const users = [...tenant.users.values()].map((u) => {
        const href = new URL(c.req.url);
        href.searchParams.set("login_hint", u.userPrincipalName);
        return { name: u.displayName, upn: u.userPrincipalName, href: href.pathname + href.search };
      });
      return c.html(signInPage({ tenantName: tenant.displayName, appName: app.displayName, users }));
    }

    const scopes = parseScopes(scope, c.get("cloud"));
    const consent = checkConsent(tenant, app.clientId, scopes);
    if (!consent.ok) {
      const failure =
        q("prompt") === "none"
          ? AADSTS.consentRequiredSilent(app.clientId)
          : consent.reason === "admin_only"
            ? AADSTS.adminConsentRequired(app.displayName)
            : AADSTS.userConsentBlocked(tenant.displayName, app.displayName);
      return redirectError(c, redirectUri, state, failure);
    }
    const code = c.get("state").grants.issueCode({
      tenantId: tenant.tenantId,
      clientId: app.clientId,
      redirectUri,
      scopes,
      nonce: q("nonce"),
      codeChallenge: challenge,
      oid: user.oid,
    });
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    if (state !== undefined) target.searchParams.set("state", state);
    target.searchParams.set("session_state", crypto.randomUUID());
    return c.redirect(target.toString(), 302);
  })
  .get("/:tenantId/v2.0/adminconsent", (c) => {
    const found = findTenant(c.get("state"), c.req.param("tenantId"), c.get("cloud"));
    if (!found.ok) return showError(c, found.failure);
    const clientId = c.req.query("client_id") ?? "";
    const app = found.tenant.apps.get(clientId.toLowerCase());
    if (!app) return showError(c, AADSTS.appNotFound(clientId, found.tenant.tenantId));
    const redirectUri = c.req.query("redirect_uri");
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) return showError(c, AADSTS.redirectMismatch(app.clientId));
    // The v2.0 admin consent endpoint requires `scope`; what the admin grants adds to earlier grants.
    const scopes = parseScopes(c.req.query("scope") ?? "", c.get("cloud"));
    if (scopes.length === 0) return showError(c, AADSTS.missingParameter("scope"));
    const granted = adminGrants(found.tenant, app.clientId);
    for (const each of scopes) granted.add(each.toLowerCase());
    const target = new URL(redirectUri);
    target.searchParams.set("admin_consent", "True");
    target.searchParams.set("tenant", found.tenant.tenantId);
    target.searchParams.set("scope", scopes.join(" "));
    const state = c.req.query("state");
    if (state !== undefined) target.searchParams.set("state", state);
    return c.redirect(target.toString(), 302);
  });
