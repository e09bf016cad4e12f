import { Hono, type MiddlewareHandler } from "hono";
import type { EmulatorEnv, GraphEnv } from "../context";
import { requireGraphToken } from "./auth";
import { batchHandler } from "./batch";
import { GRAPH_ERRORS } from "./errors";
import { calendarRoutes } from "./routes/calendar";
import { contactsRoutes } from "./routes/contacts";
import { filesRoutes } from "./routes/files";
import { mailRoutes } from "./routes/mail";
import { meRoutes } from "./routes/me";
import { teamsRoutes } from "./routes/teams";
import { todoRoutes } from "./routes/todo";

/** Microsoft Graph v1.0: every route behind token verification and fault injection. */
const injectFaults: MiddlewareHandler<GraphEnv> = async (c, next) => {
  const { tenant, user } = c.get("caller");
  const fault = c.get("faults").take(new URL(c.req.url).pathname, `${tenant.tenantId}.${user.oid}`);
  if (fault?.status === 403) return GRAPH_ERRORS.accessDenied();
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
  .route("/", mailRoutes)
  .route("/", calendarRoutes)
  .route("/", contactsRoutes)
  .route("/", teamsRoutes)
  .route("/", filesRoutes)
  .route("/", todoRoutes)
  .notFound(() =>
    GRAPH_ERRORS.badRequest("Resource not found for the segment: the emulator does not implement this Graph path."),
  );

// GraphEnv's `caller` is set by requireGraphToken before any route reads it.
export const graphApp = new Hono<EmulatorEnv>().route("/v1.0", v1 as unknown as Hono<EmulatorEnv>);
