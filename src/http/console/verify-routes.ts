import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { setupBody } from "../pages/console/setup-page";
import { verifySetup } from "../tenant-admin-verify";
import type { ConsoleEnv } from "./context";
import { setupFacts } from "./setup-routes";
import { startTestSignIn } from "./verify-sign-in";
import { render } from "./view";

/**
 * @module The console's "Verify setup": `POST /admin/verify` (session and
 * CSRF token, as every console POST) shows the Setup page with the same
 * report as `POST /api/admin/verify`; `GET /admin/verify` is where a test
 * sign-in returns to; `POST /admin/verify/sign-in` starts that test sign-in.
 */

async function reportPage(c: Context<ConsoleEnv>) {
  const report = await verifySetup({ config: c.get("config"), registry: c.get("registry"), tenant: c.get("tenant"), kv: c.env.OAUTH_KV });
  return render(c, "setup", "Setup", setupBody({ ...(await setupFacts(c)), verifyReport: report.items }, html``));
}

export const consoleVerifyRoutes = new Hono<ConsoleEnv>()
  .get("/admin/verify", (c) => reportPage(c))
  .post("/admin/verify", (c) => reportPage(c))
  .post("/admin/verify/sign-in", (c) => startTestSignIn(c));
