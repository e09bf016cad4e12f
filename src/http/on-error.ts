import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { logError } from "../lib/log";
import { ApiError, errorBody } from "./errors";

/** @module How both apps answer a thrown error or an unknown route: JSON, with nothing internal in a 500. */

/** The single place errors become responses: specific for ApiError, vague otherwise. */
export function onError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error), error.status, error.extra.headers);
  }
  // Middleware that answers for itself (bearer authentication) carries its response.
  if (error instanceof HTTPException && error.res) return error.getResponse();
  if (error instanceof HTTPException && error.status < 500) {
    return c.json({ error: "bad_request", message: error.message || "Bad request" }, error.status);
  }
  logError("unhandled_error", error, { path: new URL(c.req.url).pathname });
  return c.json({ error: "internal_error", message: "Something went wrong on our side; try again" }, 500);
}

export function notFound(c: Context): Response {
  return c.json({ error: "not_found", message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404);
}
