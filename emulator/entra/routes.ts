import { Hono } from "hono";
import type { EmulatorEnv } from "../context";
import { authorizeRoutes } from "./authorize";
import { cloudBase } from "../clouds";
import { findTenant } from "./client-auth";
import { aadstsResponse } from "./errors";
import { tokenRoutes } from "./token";

/** @module Entra ID v2.0 endpoints, per tenant GUID. */

export const entraRoutes = new Hono<EmulatorEnv>()
  .get("/:tenantId/v2.0/.well-known/openid-configuration", (c) => {
    const found = findTenant(c.get("state"), c.req.param("tenantId"), c.get("cloud"));
    if (!found.ok) return aadstsResponse(found.failure);
    const base = `${cloudBase(c)}/${found.tenant.tenantId}`;
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
    const found = findTenant(c.get("state"), c.req.param("tenantId"), c.get("cloud"));
    if (!found.ok) return aadstsResponse(found.failure);
    return c.json(await c.get("keys").jwks());
  })
  .route("/", authorizeRoutes)
  .route("/", tokenRoutes);
