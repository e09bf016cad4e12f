import type { Context, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { deleteCookie, getCookie } from "hono/cookie";
import { canonicalOrigin } from "../../oauth/provider-env";
import { cloudEndpoints } from "../../tenancy/clouds";
import type { TenantEnv } from "../context";
import { consolePageHeaders, consoleSignInPageHeaders } from "./respond";
import { consoleProblemPage, consoleSignInPage } from "../pages/console/sign-in-pages";
import { CSRF_FIELD, type ConsoleEnv } from "./context";
import { COOKIE_OPTIONS, csrfMatches, csrfTokenFor, deleteSession, readSession, safeReturnPath, SESSION_COOKIE } from "./session";

/**
 * @module What runs before every console route: the same-origin check on
 * every POST (Hono's `csrf()`: Origin or Sec-Fetch-Site), the session read
 * from the `__Host-` cookie and re-checked against D1 on every request (a
 * removed admin, or Entra roles no longer admitted, ends it at once), and
 * the synchronizer token every console form sends back.
 */

/** Only the tenant's own canonical origin may post to its console. */
export const sameOrigin: MiddlewareHandler<TenantEnv> = (c, next) =>
  csrf({ origin: (origin, ctx: Context<TenantEnv>) => origin === canonicalOrigin(ctx.get("config"), ctx.get("tenant")) })(c, next);

function refuse(c: Context<ConsoleEnv>, title: string, message: string) {
  return c.html(consoleProblemPage(c.get("tenant").displayName, title, message), 403, consolePageHeaders());
}

/** The signed-in admin, or the sign-in page (GET) or a refusal (POST): a console route never runs without one. */
export const requireConsoleSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const registry = c.get("registry");
  const sessionId = getCookie(c, SESSION_COOKIE);
  const tenant = await registry.findById(c.get("tenant").id);
  const session = sessionId && tenant ? await readSession(c.env.OAUTH_KV, tenant.id, sessionId) : undefined;
  const stillAdmitted =
    session &&
    tenant &&
    (session.via === "listed" ? (await registry.consoleAdminByUserId(tenant.id, session.userId)) !== undefined : tenant.consoleAdminRoles);
  if (!sessionId || !session || !tenant || !stillAdmitted) {
    if (sessionId && tenant) await deleteSession(c.env.OAUTH_KV, tenant.id, sessionId);
    if (sessionId) deleteCookie(c, SESSION_COOKIE, COOKIE_OPTIONS);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      return refuse(c, "Your console session has ended", "Nothing was changed. Sign in again, then repeat what you were doing.");
    }
    const returnTo = safeReturnPath(new URL(c.req.url).pathname);
    return c.html(
      consoleSignInPage(c.get("tenant").displayName, returnTo),
      200,
      consoleSignInPageHeaders(cloudEndpoints(c.get("config"), c.get("tenant").cloud).loginBase),
    );
  }
  c.set("tenant", tenant);
  c.set("consoleAdmin", { userId: session.userId, upn: session.upn, name: session.name, via: session.via });
  c.set("csrfToken", await csrfTokenFor(sessionId, session.csrfSecret));
  await next();
};

/** Every console POST carries the session's CSRF token; without it nothing runs. */
export const requireCsrfToken: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.req.method !== "POST") return next();
  const form = await c.req.parseBody({ all: true });
  const sent = form[CSRF_FIELD];
  if (typeof sent !== "string" || !(await csrfMatches(sent, c.get("csrfToken")))) {
    return refuse(c, "This form has expired", "Nothing was changed. Open the page again and repeat what you were doing.");
  }
  await next();
};
