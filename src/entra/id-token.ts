import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

/**
 * @module Verifies an Entra v2.0 id_token with jose: RS256 only, signed by a key in
 * the org's tenant JWKS, the tenant's exact issuer, our client ID as the
 * audience, and the nonce we sent.
 */
const IdTokenClaims = z.object({
  tid: z.string().min(1),
  oid: z.string().min(1),
  preferred_username: z.string().optional(),
  name: z.string().optional(),
  nonce: z.string(),
  /**
   * The user's tenant-wide Entra roles as built-in role template IDs, present
   * only when the app's manifest sets `groupMembershipClaims` to
   * "DirectoryRole" or "All" ("Access token claims reference", `wids`).
   */
  wids: z.array(z.string()).optional(),
});
export type VerifiedIdentity = { tid: string; oid: string; upn: string; name: string; wids: string[] };

const jwksByUrl = new Map<string, JWTVerifyGetKey>();

function tenantJwks(loginBase: string, entraTenantId: string): JWTVerifyGetKey {
  const url = `${loginBase}/${entraTenantId}/discovery/v2.0/keys`;
  let jwks = jwksByUrl.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
    jwksByUrl.set(url, jwks);
  }
  return jwks;
}

export class IdTokenError extends Error {
  override name = "IdTokenError";
}

export async function verifyIdToken(
  idToken: string,
  expected: { loginBase: string; entraTenantId: string; clientId: string; nonce: string },
): Promise<VerifiedIdentity> {
  let payload;
  try {
    ({ payload } = await jwtVerify(idToken, tenantJwks(expected.loginBase, expected.entraTenantId), {
      algorithms: ["RS256"],
      issuer: `${expected.loginBase}/${expected.entraTenantId}/v2.0`,
      audience: expected.clientId,
      clockTolerance: 300,
    }));
  } catch (error) {
    throw new IdTokenError(`id_token rejected: ${error instanceof Error ? error.message : "invalid"}`);
  }
  const claims = IdTokenClaims.safeParse(payload);
  if (!claims.success) throw new IdTokenError("id_token lacks tid, oid or nonce");
  if (claims.data.nonce !== expected.nonce) throw new IdTokenError("id_token nonce does not match this sign-in");
  return {
    tid: claims.data.tid.toLowerCase(),
    oid: claims.data.oid.toLowerCase(),
    upn: claims.data.preferred_username ?? "",
    name: claims.data.name ?? claims.data.preferred_username ?? "",
    wids: (claims.data.wids ?? []).map((role) => role.toLowerCase()),
  };
}
