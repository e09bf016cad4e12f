import { Hono } from "hono";
import { html } from "hono/html";
import { setupBody } from "../pages/console/setup-page";
import { verifySetup } from "../tenant-admin-verify";
import type { ConsoleEnv } from "./context";
import { setupFacts } from "./setup-routes";
import { render } from "./view";

/**
 * @module The console's "Verify setup" action: `POST /admin/verify` (session
 * and CSRF token, as every console POST) shows the Setup page with the same
 * report as `POST /api/admin/verify`.
 */

export const consoleVerifyRoutes = new Hono<ConsoleEnv>().post("/admin/verify", async (c) => {
  const report = await verifySetup({ config: c.get("config"), registry: c.get("registry"), tenant: c.get("tenant") });
  return render(c, "setup", "Setup", setupBody({ ...(await setupFacts(c)), verifyReport: report.items }, html``));
});
