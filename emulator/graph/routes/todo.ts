import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 todo endpoints (to be implemented). */
export const todoRoutes = new Hono<GraphEnv>();
