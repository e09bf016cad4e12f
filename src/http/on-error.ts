import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { logError } from "../lib/log";
import { ApiError, errorBody } from "./errors";
import { errorPage } from "./pages/error-pages";

/**
 * @module How both apps answer a thrown error or an unknown route, with nothing
 * internal in a 500: a page for a browser (a request whose Accept names
 * `text/html`, as every browser navigation does), the JSON body otherwise.
 * Status and headers (Retry-After) are the same either way.
 */

/** Whether the request asks for HTML: browsers navigating do, API and MCP clients do not. */
export function prefersHtml(request: Request): boolean {
  return request.headers.get("accept")?.toLowerCase().includes("text/html") ?? false;
}

/** The organization a tenant host serves, named in an error page's header once it was found. */
function orgNameOf(c: Context): string | undefined {
  const tenant: { displayName?: unknown; status?: unknown } | undefined = c.get("tenant");
  if (!tenant || tenant.status === "deleting" || typeof tenant.displayName !== "string") return undefined;
  return tenant.displayName;
}

function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  body: Record<string, unknown> & { error: string; message: string },
  headers?: Record<string, string>,
): Response | Promise<Response> {
  if (!prefersHtml(c.req.raw)) return c.json(body, status, headers);
  return c.html(errorPage({ status, code: body.error, message: body.message, orgName: orgNameOf(c) }), status, {
    ...headers,
    "cache-control": "no-store",
  });
}

/** The single place errors become responses: specific for ApiError, vague otherwise. */
export function onError(error: Error, c: Context): Response | Promise<Response> {
  if (error instanceof ApiError) {
    return errorResponse(c, error.status, { ...errorBody(error), error: error.code, message: error.message }, error.extra.headers);
  }
  // Middleware that answers for itself (bearer authentication) carries its response.
  if (error instanceof HTTPException && error.res) return error.getResponse();
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse(c, error.status, { error: "bad_request", message: error.message || "Bad request" });
  }
  logError("unhandled_error", error, { path: new URL(c.req.url).pathname });
  return errorResponse(c, 500, { error: "internal_error", message: "Something went wrong on our side; try again" });
}

export function notFound(c: Context): Response | Promise<Response> {
  return errorResponse(c, 404, { error: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` });
}
