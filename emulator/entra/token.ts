import { Hono } from "hono";
import type { EmulatorEnv, EmulatorServices } from "../context";
import type { EmulatedApp, EmulatedTenant } from "../state";
import { cloudBase, GRAPH_RESOURCES } from "../clouds";
import { authenticateClient } from "./client-auth";
import { AADSTS, aadstsResponse, type AadstsError } from "./errors";
import type { RefreshGrant } from "./grants";
import { issueUserTokens, parseScopes } from "./issue";
import { unconsentedScopes } from "./permissions";

/**
 * @module POST /{tenant}/oauth2/v2.0/token: authorization_code (with PKCE S256),
 * refresh_token (rotating) and client_credentials, for confidential clients
 * authenticated by a client secret or a client assertion (private_key_jwt).
 */

const APP_TOKEN_LIFETIME_SECONDS = 3599;
type Field = (name: string) => string | undefined;
type Grant = { tenant: EmulatedTenant; app: EmulatedApp; origin: string; field: Field; services: EmulatorServices };

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function authorizationCodeGrant({ tenant, app, origin, field, services }: Grant): Promise<AadstsError | object> {
  const code = field("code");
  if (!code) return AADSTS.missingParameter("code");
  const grant = services.state.grants.codes.get(code);
  if (!grant || grant.tenantId !== tenant.tenantId) return AADSTS.invalidGrant();
  if (grant.clientId !== app.clientId) return AADSTS.clientMismatch();
  if (grant.redeemed) return AADSTS.codeRedeemed();
  if (grant.expiresAt <= Date.now()) return AADSTS.codeExpired();
  if (field("redirect_uri") !== grant.redirectUri) return AADSTS.codeRedirectMismatch();
  const verifier = field("code_verifier");
  if (!verifier || (await s256(verifier)) !== grant.codeChallenge) return AADSTS.codeVerifierMismatch();
  grant.redeemed = true;
  const user = tenant.users.get(grant.oid);
  if (!user) return AADSTS.invalidGrant();
  // `scope` at redemption (a Microsoft extension) cannot widen what was consented at /authorize.
  const asked = field("scope");
  const unconsented = asked ? unconsentedScopes(tenant, app.clientId, grant.scopes, parseScopes(asked, services.cloud)) : [];
  if (unconsented.length > 0) return AADSTS.consentRequired(unconsented, app.clientId);
  return issueUserTokens(services, { issuerOrigin: origin, tenant, app, user, scopes: grant.scopes, nonce: grant.nonce });
}

async function refreshTokenGrant(input: Grant): Promise<AadstsError | object> {
  const token = input.field("refresh_token");
  if (!token) return AADSTS.missingParameter("refresh_token");
  const { grants } = input.services.state;
  const grant = grants.refreshTokens.get(token);
  if (!grant || grant.tenantId !== input.tenant.tenantId) return AADSTS.invalidGrant();
  const result = await redeemRefreshToken(input, grant);
  grants.countRefresh(grant.tenantId, grant.oid, isFailure(result) ? "refused" : "issued");
  return result;
}

async function redeemRefreshToken({ tenant, app, origin, field, services }: Grant, grant: RefreshGrant): Promise<AadstsError | object> {
  if (grant.clientId !== app.clientId) return AADSTS.clientMismatch();
  if (grant.generation !== services.state.tokenGeneration(grant.tenantId, grant.oid)) return AADSTS.grantRevoked();
  if (grant.expiresAt <= Date.now()) return AADSTS.refreshExpired();
  if (grant.remainingAfterRotation !== undefined && grant.remainingAfterRotation <= 0) return AADSTS.invalidGrant();
  const user = tenant.users.get(grant.oid);
  if (!user) return AADSTS.grantRevoked();
  // A refresh may narrow the scopes, or reach one the admin has granted since; asking for one nobody consented fails (65001).
  const asked = field("scope");
  const requested = asked ? parseScopes(asked, services.cloud) : grant.scopes;
  const unconsented = unconsentedScopes(tenant, app.clientId, grant.scopes, requested);
  if (unconsented.length > 0) return AADSTS.consentRequired(unconsented, app.clientId);
  // Only a refresh that issues tokens uses up the replaced token.
  grant.remainingAfterRotation = grant.remainingAfterRotation === undefined ? 1 : grant.remainingAfterRotation - 1;
  const scopes = requested;
  const withOffline = scopes.includes("offline_access") ? scopes : [...scopes, "offline_access"];
  return issueUserTokens(services, { issuerOrigin: origin, tenant, app, user, scopes: withOffline });
}

async function clientCredentialsGrant({ tenant, app, field, services }: Grant): Promise<AadstsError | object> {
  const scope = field("scope") ?? "";
  // Only this cloud's Graph: another cloud's resource is unknown here.
  if (scope !== `${GRAPH_RESOURCES[services.cloud]}/.default`) return AADSTS.invalidScope(scope);
  const accessToken = await services.keys.sign(
    {
      aud: GRAPH_RESOURCES[services.cloud],
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      appid: app.clientId,
      tid: tenant.tenantId,
      idtyp: "app",
      roles: [],
      ver: "1.0",
    },
    APP_TOKEN_LIFETIME_SECONDS,
  );
  return {
    token_type: "Bearer",
    expires_in: APP_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: APP_TOKEN_LIFETIME_SECONDS,
    access_token: accessToken,
  };
}

const GRANTS: Record<string, (grant: Grant) => Promise<AadstsError | object>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

function isFailure(result: AadstsError | object): result is AadstsError {
  return "code" in result && "status" in result && typeof (result as AadstsError).code === "number";
}

export const tokenRoutes = new Hono<EmulatorEnv>().post("/:tenantId/oauth2/v2.0/token", async (c) => {
  const form = await c.req.parseBody();
  const field: Field = (name) => (typeof form[name] === "string" ? form[name] : undefined);
  // client_secret_basic is accepted as well as client_secret_post.
  const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const [basicId, basicSecret] = basic ? atob(basic).split(":").map(decodeURIComponent) : [];
  const state = c.get("state");
  const url = new URL(c.req.url);
  const auth = await authenticateClient(state, c.get("cloud"), c.req.param("tenantId"), {
    clientId: field("client_id") ?? basicId,
    clientSecret: field("client_secret") ?? basicSecret,
    assertionType: field("client_assertion_type"),
    assertion: field("client_assertion"),
    tokenEndpoint: `${url.origin}${url.pathname}`,
  });
  if (!auth.ok) return aadstsResponse(auth.failure);
  const grantType = field("grant_type");
  if (!grantType) return aadstsResponse(AADSTS.missingParameter("grant_type"));
  const handler = GRANTS[grantType];
  if (!handler) return aadstsResponse(AADSTS.unsupportedGrant(grantType));
  const result = await handler({ tenant: auth.tenant, app: auth.app, origin: cloudBase(c), field, services: c.var });
  if (isFailure(result)) return aadstsResponse(result);
  return c.json(result, 200, { "cache-control": "no-store", pragma: "no-cache" });
});
