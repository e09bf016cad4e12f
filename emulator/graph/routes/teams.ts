import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 teams endpoints (to be implemented). */
export const teamsRoutes = new Hono<GraphEnv>();
