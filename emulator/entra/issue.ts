import { GRAPH_RESOURCES, type EmulatedCloud } from "../clouds";
import type { EmulatorServices } from "../context";
import { mintGraphToken } from "../graph/auth";
import type { EmulatedApp, EmulatedTenant, EmulatedUser, IdTokenFault } from "../state";
import { SigningKeys } from "./keys";
import { OIDC_SCOPES } from "./permissions";

/**
 * @module Builds a token response for a user as Entra's v2.0 token endpoint does:
 * a Graph access token with the delegated scopes, an id_token when `openid`
 * was asked for (its claims following `profile` and `email`), and a refresh
 * token when `offline_access` was.
 */

const DEFAULT_ACCESS_LIFETIME_SECONDS = 3600;
const ID_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The scopes of a request in short form: `<graph resource>/Mail.Read` becomes
 * `Mail.Read` only for this cloud's Graph resource; another cloud's resource
 * stays as written and is refused as unknown, as Entra of one cloud does not
 * know another cloud's Graph.
 */
export function parseScopes(scope: string, cloud: EmulatedCloud): string[] {
  const prefix = `${GRAPH_RESOURCES[cloud]}/`;
  return [
    ...new Set(
      scope
        .split(/\s+/)
        .filter(Boolean)
        .map((s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
    ),
  ];
}

export function graphScopesOf(scopes: readonly string[]): string[] {
  const graph = scopes.filter((scope) => !OIDC_SCOPES.has(scope) && scope !== ".default");
  return graph.length > 0 ? graph : ["User.Read"];
}

/** Entra's pairwise `sub`: stable per user and app, different across apps. */
async function pairwiseSubject(oid: string, clientId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${oid}|${clientId}`));
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 32)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Deliberately broken id_tokens, so relying parties can prove they refuse them. */
async function faultyIdToken(keys: SigningKeys, claims: Record<string, unknown>, fault: IdTokenFault): Promise<string> {
  const other = crypto.randomUUID();
  switch (fault) {
    case "wrong-issuer":
      return keys.sign({ ...claims, iss: String(claims.iss).replace(String(claims.tid), other) }, ID_TOKEN_LIFETIME_SECONDS);
    case "wrong-audience":
      return keys.sign({ ...claims, aud: other }, ID_TOKEN_LIFETIME_SECONDS);
    case "wrong-nonce":
      return keys.sign({ ...claims, nonce: "not-the-nonce-you-sent" }, ID_TOKEN_LIFETIME_SECONDS);
    case "foreign-tid":
      return keys.sign({ ...claims, tid: other }, ID_TOKEN_LIFETIME_SECONDS);
    case "expired":
      return keys.sign(claims, -600);
    case "unknown-key":
      return new SigningKeys().sign(claims, ID_TOKEN_LIFETIME_SECONDS);
    case "alg-none": {
      const encode = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      const now = Math.floor(Date.now() / 1000);
      return `${encode({ alg: "none", typ: "JWT" })}.${encode({ ...claims, iat: now, nbf: now, exp: now + 3600 })}.`;
    }
  }
}

/**
 * `wids`: the user's tenant-wide directory roles (built-in role template
 * IDs), only when the app's manifest asks for them with
 * `groupMembershipClaims` "DirectoryRole" or "All" ("Access token claims
 * reference", `wids`; "Configure group claims for applications"). Entra
 * leaves the claim out otherwise, and for a user with no role.
 */
function directoryRoleClaim(app: EmulatedApp, user: EmulatedUser): { wids?: string[] } {
  const emits = app.groupMembershipClaims === "DirectoryRole" || app.groupMembershipClaims === "All";
  const roles = user.directoryRoles ?? [];
  return emits && roles.length > 0 ? { wids: roles.map((role) => role.toLowerCase()) } : {};
}

export async function issueUserTokens(
  services: Pick<EmulatorServices, "keys" | "state" | "cloud">,
  input: { issuerOrigin: string; tenant: EmulatedTenant; app: EmulatedApp; user: EmulatedUser; scopes: string[]; nonce?: string },
) {
  const { keys, state } = services;
  const { tenant, app, user } = input;
  const generation = state.tokenGeneration(tenant.tenantId, user.oid);
  const lifetime = app.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_LIFETIME_SECONDS;
  const graphScopes = graphScopesOf(input.scopes);
  const response: Record<string, string | number> = {
    token_type: "Bearer",
    scope: [...graphScopes, ...input.scopes.filter((s) => OIDC_SCOPES.has(s))].join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await mintGraphToken(keys, {
      audience: GRAPH_RESOURCES[services.cloud],
      tenantId: tenant.tenantId,
      user,
      clientId: app.clientId,
      scopes: graphScopes,
      lifetimeSeconds: lifetime,
      generation,
    }),
  };
  if (input.scopes.includes("offline_access")) {
    response.refresh_token = state.grants.issueRefreshToken({
      tenantId: tenant.tenantId,
      clientId: app.clientId,
      oid: user.oid,
      scopes: input.scopes,
      generation,
    });
  }
  if (input.scopes.includes("openid")) {
    const fault = app.idTokenFault;
    app.idTokenFault = undefined;
    const claims = {
      iss: `${input.issuerOrigin}/${tenant.tenantId}/v2.0`,
      aud: app.clientId,
      sub: await pairwiseSubject(user.oid, app.clientId),
      tid: tenant.tenantId,
      // "ID token claims reference": oid, name and preferred_username need the profile scope; email the email scope.
      ...(input.scopes.includes("profile") ? { oid: user.oid, preferred_username: user.userPrincipalName, name: user.displayName } : {}),
      ...(input.scopes.includes("email") ? { email: user.mail } : {}),
      ...directoryRoleClaim(app, user),
      ...(input.nonce ? { nonce: input.nonce } : {}),
      ver: "2.0",
      uti: crypto.randomUUID().replace(/-/g, "").slice(0, 22),
    };
    response.id_token = fault ? await faultyIdToken(keys, claims, fault) : await keys.sign(claims, ID_TOKEN_LIFETIME_SECONDS);
  }
  return response;
}
