import { Hono } from "hono";
import type { EmulatorEnv } from "../context";
import { authenticateClient, findTenant } from "./client-auth";
import { AADSTS, aadstsResponse } from "./errors";

/** Entra ID v2.0 endpoints, per tenant GUID. */
const GRAPH_RESOURCE = "https://graph.microsoft.com";
const APP_TOKEN_LIFETIME_SECONDS = 3599;

export const entraRoutes = new Hono<EmulatorEnv>()
  .get("/:tenantId/v2.0/.well-known/openid-configuration", (c) => {
    const found = findTenant(c.get("state"), c.req.param("tenantId"));
    if (!found.ok) return aadstsResponse(found.failure);
    const base = `${new URL(c.req.url).origin}/${found.tenant.tenantId}`;
    return c.json({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "name", "oid", "tid", "preferred_username", "ver"],
      tenant_region_scope: "EU",
    });
  })
  .get("/:tenantId/discovery/v2.0/keys", async (c) => {
    const found = findTenant(c.get("state"), c.req.param("tenantId"));
    if (!found.ok) return aadstsResponse(found.failure);
    return c.json(await c.get("keys").jwks());
  })
  .post("/:tenantId/oauth2/v2.0/token", async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" ? form[name] : undefined);
    const auth = authenticateClient(c.get("state"), c.req.param("tenantId"), field("client_id"), field("client_secret"));
    if (!auth.ok) return aadstsResponse(auth.failure);
    const grantType = field("grant_type");
    if (!grantType) return aadstsResponse(AADSTS.missingParameter("grant_type"));
    if (grantType !== "client_credentials") return aadstsResponse(AADSTS.unsupportedGrant(grantType));
    const scope = field("scope") ?? "";
    if (!scope.endsWith("/.default")) return aadstsResponse(AADSTS.invalidScope(scope));
    const accessToken = await c.get("keys").sign(
      {
        aud: GRAPH_RESOURCE,
        iss: `https://sts.windows.net/${auth.tenant.tenantId}/`,
        appid: auth.app.clientId,
        tid: auth.tenant.tenantId,
        idtyp: "app",
        roles: [],
        ver: "1.0",
      },
      APP_TOKEN_LIFETIME_SECONDS,
    );
    return c.json(
      { token_type: "Bearer", expires_in: APP_TOKEN_LIFETIME_SECONDS, ext_expires_in: APP_TOKEN_LIFETIME_SECONDS, access_token: accessToken },
      200,
      { "cache-control": "no-store" },
    );
  });
