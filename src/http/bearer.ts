import type { Context, Env, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";

/**
 * @module Bearer authentication for the gateway's own APIs (the tenant admin
 * key, the operator token), on Hono's `bearerAuth`. A missing, malformed or
 * wrong credential gets the same 401 with the API's error body, so a caller
 * learns nothing about which part was wrong.
 */
export function requireBearer<E extends Env>(options: {
  /** The `realm` of the WWW-Authenticate challenge. */
  realm: string;
  /** The error message: what to send and how. */
  message: string;
  verify: (token: string, c: Context<E>) => Promise<boolean>;
}): MiddlewareHandler<E> {
  const refusal = {
    wwwAuthenticateHeader: `Bearer realm="${options.realm}"`,
    message: (c: Context) => c.json({ error: "unauthorized", message: options.message }, 401),
  };
  return bearerAuth<E>({
    realm: options.realm,
    verifyToken: options.verify,
    noAuthenticationHeader: refusal,
    invalidAuthenticationHeader: refusal,
    invalidToken: refusal,
  });
}
