import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 mail endpoints (to be implemented). */
export const mailRoutes = new Hono<GraphEnv>();
