import type { MiddlewareHandler } from "hono";
import type { GatewayVariables, TenantVariables } from "./context";

/**
 * Hands what the entry point resolved (config, registry, tenant) to the Hono
 * app that serves the request, keyed by the Request object itself.
 */
const resolved = new WeakMap<Request, GatewayVariables | TenantVariables>();

export function attachContext(request: Request, variables: GatewayVariables | TenantVariables): Request {
  resolved.set(request, variables);
  return request;
}

export function contextFromEntry<V extends GatewayVariables>(): MiddlewareHandler<{ Variables: V }> {
  return async (c, next) => {
    const variables = resolved.get(c.req.raw);
    if (!variables) throw new Error("request reached an app without passing the entry point");
    for (const [key, value] of Object.entries(variables)) c.set(key as keyof V & string, value as V[keyof V & string]);
    await next();
  };
}
