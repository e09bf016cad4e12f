import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 files endpoints (to be implemented). */
export const filesRoutes = new Hono<GraphEnv>();
