import { Hono, type Context, type MiddlewareHandler } from "hono";
import { getPath } from "hono/utils/url";
import { ConfigError, readConfig } from "../config";
import type { Env } from "../env";
import { logError } from "../lib/log";
import { resolveHost, type HostTarget } from "../tenancy/host";
import { tenantRegistry } from "../tenancy/registry";
import { sharedTenantCache } from "../tenancy/tenant-cache";
import { apexApp } from "./apex-app";
import type { GatewayEnv, TenantEnv } from "./context";
import { ApiError } from "./errors";
import { notFound, onError } from "./on-error";
import { pageSecurityHeaders } from "./page-headers";
import { APP_CSS_PATH, APP_JS_PATH, scriptResponse, stylesheetResponse } from "./pages/assets";
import { tenantApp } from "./tenant-app";

/**
 * @module The Worker's one Hono app: host → tenant → the apex routes or the
 * tenant routes.
 *
 * Hono routes on a path; the host decides which app serves a request, so the
 * router sees the host's kind in front of the path (`/tenant/mcp`,
 * `/apex/signup`), as Hono's `getPath` option allows. Handlers read the
 * request's own URL, never that routing path. The middleware here resolves
 * the configuration, the host and the tenant once, and hands them on as
 * typed variables.
 */
const MISCONFIGURED = "misconfigured";

function routingPath(request: Request, options?: { env?: Env }): string {
  // A mounted app's "/" route is its prefix alone (`/apex`), so the root path adds nothing.
  const path = getPath(request).replace(/^\/$/, "");
  if (!options?.env) return `/${MISCONFIGURED}${path}`;
  let config;
  try {
    config = readConfig(options.env);
  } catch {
    return `/${MISCONFIGURED}${path}`;
  }
  return `/${resolveHost(new URL(request.url).hostname, config.BASE_DOMAIN).kind}${path}`;
}

/** The Worker's execution context: Hono's type leaves out `props`, which the OAuth provider reads. */
function workerContext(c: Context): ExecutionContext {
  return c.executionCtx as ExecutionContext;
}

const entry: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  let config;
  try {
    config = readConfig(c.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logError("config_invalid", error);
    throw new ApiError(500, "gateway_misconfigured", "The gateway is misconfigured; the operator has been told");
  }
  const url = new URL(c.req.url);
  if (url.hostname.endsWith(".")) {
    // One spelling per host: links, redirect URIs and token audiences are built from it.
    url.hostname = url.hostname.replace(/\.+$/, "");
    return c.redirect(url.toString(), 308);
  }
  c.set("config", config);
  c.set("registry", tenantRegistry(c.env.DB));
  c.set("tenantCache", sharedTenantCache(config.TENANT_CACHE_TTL_SECONDS));
  c.set("workerCtx", workerContext(c));
  c.set("host", resolveHost(url.hostname, config.BASE_DOMAIN));
  await next();
};

const loadTenant: MiddlewareHandler<TenantEnv & { Variables: { host: HostTarget } }> = async (c, next) => {
  const host = c.get("host");
  if (host.kind !== "tenant") throw new Error("the tenant routes were reached for another kind of host");
  let tenant;
  try {
    tenant = await c.get("tenantCache").get(host.slug, (slug) => c.get("registry").findBySlug(slug));
  } catch (error) {
    logError("tenant_lookup_failed", error);
    throw new ApiError(503, "temporarily_unavailable", "The organization directory is unavailable; try again shortly");
  }
  if (!tenant) throw new ApiError(404, "tenant_not_found", `No organization is registered at ${new URL(c.req.url).hostname.toLowerCase()}`);
  c.set("tenant", tenant);
  await next();
};

function unknownHost(c: Context<GatewayEnv>): never {
  const host = c.get("host");
  if (host.kind === "invalid-slug") throw new ApiError(404, "tenant_not_found", `"${host.label}" is not a valid organization address`);
  throw new ApiError(404, "unknown_host", `This gateway serves ${c.get("config").BASE_DOMAIN} and its subdomains only`);
}

export const gatewayApp = new Hono<GatewayEnv>({ getPath: routingPath })
  // Outermost, so error pages from any layer get the pages' security headers too.
  .use("*", pageSecurityHeaders)
  .use("*", entry)
  // The stylesheet and script on every host, before the tenant is looked up: an unknown or
  // suspended organization's error page is styled as well.
  .get(`/:host${APP_CSS_PATH}`, () => stylesheetResponse())
  .get(`/:host${APP_JS_PATH}`, () => scriptResponse())
  .route("/apex", apexApp)
  .use("/tenant/*", loadTenant)
  .route("/tenant", tenantApp)
  .all("/invalid-slug/*", unknownHost)
  .all("/foreign/*", unknownHost)
  .notFound(notFound)
  .onError(onError);
