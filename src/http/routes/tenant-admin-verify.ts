import { Hono } from "hono";
import type { TenantEnv } from "../context";
import { verifySetup } from "../tenant-admin-verify";

/**
 * @module `POST /api/admin/verify` on the tenant admin API (mounted under
 * tenant-admin.ts, behind its admin-key check): the "Verify setup" report,
 * the same items the console's Setup page shows. It takes no body. It cannot
 * run a browser sign-in: admin consent comes from the latest test sign-in
 * made in the console, and the report says how to run one.
 */

export const tenantAdminVerifyRoutes = new Hono<TenantEnv>().post("/api/admin/verify", async (c) =>
  c.json(await verifySetup({ config: c.get("config"), registry: c.get("registry"), tenant: c.get("tenant"), kv: c.env.OAUTH_KV }), 200, {
    "cache-control": "no-store",
  }),
);
