import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 calendar endpoints (to be implemented). */
export const calendarRoutes = new Hono<GraphEnv>();
