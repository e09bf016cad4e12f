import type { Context, MiddlewareHandler } from "hono";
import { errors as joseErrors, jwtVerify } from "jose";
import { GRAPH_RESOURCES } from "../clouds";
import type { GraphCaller, GraphEnv } from "../context";
import type { SigningKeys } from "../entra/keys";
import type { EmulatedUser } from "../state";
import { GRAPH_ERRORS } from "./errors";

/**
 * @module Graph access tokens: RS256 JWTs for the Graph resource carrying the user
 * (`tid`, `oid`) and the delegated scopes (`scp`). The emulator's Graph
 * verifies them as Graph does and enforces `scp` per endpoint.
 */

export async function mintGraphToken(
  keys: SigningKeys,
  input: {
    /** The Graph resource of the cloud that issues the token. */
    audience: string;
    tenantId: string;
    user: EmulatedUser;
    clientId: string;
    scopes: readonly string[];
    lifetimeSeconds: number;
    generation: number;
  },
): Promise<string> {
  return keys.sign(
    {
      aud: input.audience,
      iss: `https://sts.windows.net/${input.tenantId}/`,
      tid: input.tenantId,
      oid: input.user.oid,
      sub: input.user.oid,
      upn: input.user.userPrincipalName,
      name: input.user.displayName,
      appid: input.clientId,
      scp: input.scopes.join(" "),
      ver: "1.0",
      jti: crypto.randomUUID(),
      // Emulator-only claim: the user's token generation (see EmulatorState).
      emu_gen: input.generation,
    },
    input.lifetimeSeconds,
  );
}

export const requireGraphToken: MiddlewareHandler<GraphEnv> = async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match?.[1]) return GRAPH_ERRORS.unauthenticated();
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], await c.get("keys").keySet(), {
      audience: GRAPH_RESOURCES[c.get("cloud")],
      algorithms: ["RS256"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return GRAPH_ERRORS.expiredToken();
    return GRAPH_ERRORS.invalidToken("Access token validation failure.");
  }
  // Each cloud's Graph serves only its own tenants.
  const tenant = c.get("state").tenant(String(payload.tid ?? ""));
  if (tenant && tenant.cloud !== c.get("cloud")) return GRAPH_ERRORS.invalidToken("Access token validation failure.");
  const user = tenant?.users.get(String(payload.oid ?? ""));
  if (!tenant || !user || typeof payload.scp !== "string") {
    return GRAPH_ERRORS.invalidToken("Access token validation failure. The token is not a delegated user token.");
  }
  if (payload.emu_gen !== c.get("state").tokenGeneration(tenant.tenantId, user.oid)) {
    return GRAPH_ERRORS.expiredToken();
  }
  c.set("caller", {
    tenant,
    user,
    scopes: new Set(payload.scp.split(" ").filter(Boolean)),
    clientId: String(payload.appid ?? ""),
  } satisfies GraphCaller);
  await next();
};

/** 403 unless the token carries at least one of `anyOf`. */
export function missingScope(c: Context<GraphEnv>, anyOf: readonly string[]): Response | undefined {
  const granted = c.get("caller").scopes;
  return anyOf.some((scope) => granted.has(scope)) ? undefined : GRAPH_ERRORS.accessDenied(anyOf);
}

/** Route guard form of `missingScope`. */
export function scopes(...anyOf: string[]): MiddlewareHandler<GraphEnv> {
  return async (c, next) => missingScope(c, anyOf) ?? next();
}
