import { Hono, type Context } from "hono";
import type { TenantEnv } from "./context";
import { ApiError } from "./errors";
import { onError, prefersHtml } from "./on-error";
import { rateLimit } from "./rate-limit";
import { authorizeRoutes } from "./routes/authorize";
import { callbackRoute } from "./routes/callback";
import { tenantOAuth } from "./tenant-oauth";
import { mcpInBrowserPage } from "./pages/error-pages";
import { tenantLandingPage } from "./pages/tenant-pages";
import { healthRoute } from "./routes/health";
import { tenantAdminRoutes } from "./routes/tenant-admin";
import { consoleApp } from "./console/console-app";
import { isConsoleCallback } from "./console/sign-in";
import { withCleanClientNames } from "../oauth/client-metadata";
import { AUTHORIZE_PATH, REGISTER_PATH, TOKEN_PATH } from "../oauth/provider";
import { atOrigin, canonicalOrigin } from "../oauth/provider-env";

/**
 * @module Everything served on a tenant host (`<slug>.<BASE_DOMAIN>`). A suspended
 * tenant keeps only its admin API and its admin console (with the console's
 * sign-in), so its admin can resume it.
 */

const oauthRateLimit = rateLimit<TenantEnv>({
  limiter: "OAUTH_RATE_LIMITER",
  scope: (c) => `oauth:${c.get("tenant").id}`,
  message: "Too many sign-in requests from this address; wait a minute",
  oauthError: true,
});

function legacySseGone(c: Context<TenantEnv>): Response {
  const mcpUrl = `${canonicalOrigin(c.get("config"), c.get("tenant"))}/mcp`;
  return c.json(
    {
      error: "sse_transport_not_supported",
      message: `This server speaks MCP over Streamable HTTP at ${mcpUrl}. Point your client there, or bridge an SSE-only client with mcp-remote ${mcpUrl}.`,
      mcpUrl,
    },
    410,
  );
}

/** A browser opened `/mcp` as a page: no token, and it asks for HTML. */
function isBrowserAtMcp(request: Request, response: Response): boolean {
  return (
    response.status === 401 &&
    request.method === "GET" &&
    new URL(request.url).pathname === "/mcp" &&
    !request.headers.has("authorization") &&
    prefersHtml(request)
  );
}

/**
 * The provider's 401 for a browser, as a page saying what the address is for.
 * Status and headers (WWW-Authenticate with the resource metadata) stay.
 */
async function mcpInBrowser(c: Context<TenantEnv>, unauthorized: Response): Promise<Response> {
  const tenant = c.get("tenant");
  const mcpUrl = `${canonicalOrigin(c.get("config"), tenant)}/mcp`;
  const headers = new Headers(unauthorized.headers);
  headers.delete("content-length");
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("cache-control", "no-store");
  await unauthorized.body?.cancel();
  return new Response(await mcpInBrowserPage(mcpUrl, tenant.displayName).toString(), { status: 401, headers });
}

export const tenantApp = new Hono<TenantEnv>()
  .use("*", async (c, next) => {
    const tenant = c.get("tenant");
    const { pathname } = new URL(c.req.url);
    if (tenant.status === "deleting" && !(c.req.method === "DELETE" && pathname === "/api/admin/tenant")) {
      throw new ApiError(404, "tenant_not_found", `No organization is registered at ${new URL(c.req.url).hostname}`);
    }
    const isAdminApi = pathname.startsWith("/api/admin/");
    // The console stays open (and reachable through its sign-in) so an admin can resume.
    const isConsole = pathname === "/admin" || pathname.startsWith("/admin/") || isConsoleCallback(c.req.raw);
    if (tenant.status === "suspended" && !isAdminApi && !isConsole) {
      throw new ApiError(403, "tenant_suspended", `${tenant.displayName} is suspended on this gateway; contact your administrator`);
    }
    await next();
  })
  .route("/", tenantAdminRoutes)
  .route("/", consoleApp(oauthRateLimit))
  .route("/", healthRoute<TenantEnv>())
  .get("/", (c) => c.html(tenantLandingPage(c.get("tenant"), canonicalOrigin(c.get("config"), c.get("tenant"))), 200))
  // The legacy SSE transport cannot be served safely without sessions bound to
  // their owner; old clients are told where the Streamable HTTP endpoint is.
  .all("/sse/*", (c) => legacySseGone(c))
  .all("/sse", (c) => legacySseGone(c))
  // Every sign-in step writes KV (and /authorize may fetch a client metadata
  // document): a per-address budget keeps one client from flooding a tenant.
  .use(AUTHORIZE_PATH, oauthRateLimit)
  .use(TOKEN_PATH, oauthRateLimit)
  .route("/", authorizeRoutes)
  .route("/", callbackRoute(oauthRateLimit))
  .post(
    REGISTER_PATH,
    rateLimit<TenantEnv>({
      limiter: "REGISTER_RATE_LIMITER",
      scope: (c) => `register:${c.get("tenant").id}`,
      message: "Too many client registrations; wait a minute",
      oauthError: true,
    }),
  )
  // Everything else the OAuth provider owns: metadata, token, registration, /mcp.
  .all("*", async (c) => {
    // The provider derives its issuer and endpoints from the request URL: hand it the canonical one.
    const { env, origin, provider } = tenantOAuth(c);
    const registration = c.req.method === "POST" && new URL(c.req.url).pathname === REGISTER_PATH;
    const request = registration ? await withCleanClientNames(c.req.raw) : c.req.raw;
    const response = await provider.fetch(atOrigin(request, origin), env, c.get("workerCtx"));
    return isBrowserAtMcp(c.req.raw, response) ? mcpInBrowser(c, response) : response;
  })
  .onError(onError);
