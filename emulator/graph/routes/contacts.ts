import { Hono } from "hono";
import type { GraphEnv } from "../../context";

/** Graph v1.0 contacts endpoints (to be implemented). */
export const contactsRoutes = new Hono<GraphEnv>();
