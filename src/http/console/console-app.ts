import { Hono, type MiddlewareHandler } from "hono";
import { html } from "hono/html";
import type { TenantEnv } from "../context";
import type { ConsoleEnv } from "./context";
import { requireConsoleSession, requireCsrfToken, sameOrigin } from "./guard";
import { consoleAlertsRoutes } from "./alerts-routes";
import { consoleAuditRoutes } from "./audit-routes";
import { consoleCredentialRoutes } from "./credential-routes";
import { consoleSettingsRoutes } from "./settings-routes";
import { consoleSetupRoutes } from "./setup-routes";
import { startConsoleSignIn } from "./sign-in";
import { consoleStreamRoutes } from "./stream-routes";
import { consoleUsersRoutes } from "./users-routes";
import { consoleVerifyRoutes } from "./verify-routes";
import { render } from "./view";

/**
 * @module The org's admin console at `/admin` on its own host: sign-in, then
 * Setup, Policy, Credentials, Users, Alerts and Organization. Plain HTML forms
 * (POST, then redirect to a page with a fixed note); every change goes
 * through the same actions as the admin API. Every response is `no-store`;
 * every POST must come from the tenant's own origin; every route but the
 * sign-in needs a session, and every POST its CSRF token.
 */

const noStore: MiddlewareHandler<TenantEnv> = async (c, next) => {
  await next();
  c.res.headers.set("cache-control", "no-store");
};

function notFoundBody() {
  return html`<h1>Not found</h1>
    <p>There is no such page in the console.</p>`;
}

export function consoleApp(signInBudget: MiddlewareHandler<TenantEnv>) {
  const signedIn = new Hono<ConsoleEnv>()
    .use("/admin", requireConsoleSession, requireCsrfToken)
    .use("/admin/*", requireConsoleSession, requireCsrfToken)
    .route("/", consoleSetupRoutes)
    .route("/", consoleSettingsRoutes)
    .route("/", consoleUsersRoutes)
    .route("/", consoleAuditRoutes)
    .route("/", consoleStreamRoutes)
    .route("/", consoleAlertsRoutes)
    .route("/", consoleVerifyRoutes)
    .route("/", consoleCredentialRoutes);
  // Last, after every page: the console's own not-found page.
  signedIn.all("/admin/*", (c) => render(c, "setup", "Not found", notFoundBody(), 404));

  return new Hono<TenantEnv>()
    .use("/admin", noStore)
    .use("/admin/*", noStore)
    .post("/admin/sign-in", sameOrigin, signInBudget, (c) => startConsoleSignIn(c))
    .use("/admin", sameOrigin)
    .use("/admin/*", sameOrigin)
    .route("/", signedIn);
}
