import { Hono, type MiddlewareHandler } from "hono";
import type { EmulatorEnv, GraphEnv } from "../context";
import { requireGraphToken } from "./auth";
import { batchHandler } from "./batch";
import { calendarRoutes } from "./calendar/routes";
import { directoryRoutes } from "./contacts/directory";
import { meRoutes } from "./contacts/me";
import { contactsRoutes } from "./contacts/routes";
import { GRAPH_ERRORS, graphError } from "./errors";
import { filesRoutes } from "./files/routes";
import { mailRoutes } from "./mail/routes";
import { searchRoutes } from "./search/routes";
import { sitesRoutes } from "./sites/routes";
import { teamsRoutes } from "./teams/routes";
import { todoRoutes } from "./todo/routes";
import { plannerRoutes } from "./planner/routes";
import { onenoteRoutes } from "./onenote/routes";
import { presenceRoutes } from "./teams/presence";
import { transcriptRoutes } from "./teams/transcripts";

/**
 * @module
 * Microsoft Graph v1.0: every route behind token verification and fault injection.
 */
const injectFaults: MiddlewareHandler<GraphEnv> = async (c, next) => {
  const { tenant, user } = c.get("caller");
  const fault = c.get("faults").take(new URL(c.req.url).pathname, `${tenant.tenantId}.${user.oid}`, c.req.method);
  if (fault?.status === 401) return GRAPH_ERRORS.expiredToken();
  if (fault?.status === 403) return GRAPH_ERRORS.accessDenied();
  if (fault?.status === 412)
    return graphError(
      412,
      "PreconditionFailed",
      "The request is rejected since the item has changed (the etag in If-Match is not current).",
    );
  if (fault?.status === 429) return GRAPH_ERRORS.throttled(fault.retryAfterSeconds);
  if (fault?.status === 503) return GRAPH_ERRORS.unavailable(fault.retryAfterSeconds);
  await next();
  c.header("request-id", crypto.randomUUID());
};

const v1 = new Hono<GraphEnv>()
  .use("*", requireGraphToken)
  .post("/$batch", batchHandler)
  .use("*", injectFaults)
  .route("/", meRoutes)
  .route("/me", mailRoutes)
  // Shared and delegated mailboxes (./mailbox-access.ts).
  .route("/users/:mailbox", mailRoutes)
  .route("/me", calendarRoutes)
  .route("/users/:mailbox", calendarRoutes)
  .route("/", contactsRoutes)
  .route("/", directoryRoutes)
  .route("/", teamsRoutes)
  .route("/", filesRoutes)
  .route("/", todoRoutes)
  .route("/", searchRoutes)
  .route("/", sitesRoutes)
  .route("/", plannerRoutes)
  .route("/", onenoteRoutes)
  .route("/", transcriptRoutes)
  .route("/", presenceRoutes)
  .notFound(() => GRAPH_ERRORS.badRequest("Resource not found for the segment: the emulator does not implement this Graph path."));

/**
 * OData addresses an entity by key in parentheses as well as by path segment,
 * and Graph writes next links that way (`/me/mailFolders('<id>')/messages`):
 * such a segment is read as `mailFolders/<id>`. Other parentheses (function
 * parameters such as `search(q='…')`) are left alone.
 */
function keySegmentsAsPaths(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      const key = /^([A-Za-z]+)(?:\(|%28)(?:'|%27)(.+?)(?:'|%27)(?:\)|%29)$/i.exec(segment);
      if (!key?.[2]) return segment;
      let id: string;
      try {
        id = decodeURIComponent(key[2]).replace(/''/g, "'");
      } catch {
        return segment;
      }
      return `${key[1]}/${encodeURIComponent(id)}`;
    })
    .join("/");
}

// GraphEnv's `caller` is set by requireGraphToken before any route reads it.
export const graphApp = new Hono<EmulatorEnv>()
  .use("/v1.0/*", async (c, next) => {
    const url = new URL(c.req.url);
    const plain = keySegmentsAsPaths(url.pathname);
    if (plain === url.pathname) return next();
    url.pathname = plain;
    const body = c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await c.req.arrayBuffer();
    return c.get("dispatch")(new Request(url, { method: c.req.method, headers: c.req.raw.headers, body }));
  })
  .route("/v1.0", v1 as unknown as Hono<EmulatorEnv>);
