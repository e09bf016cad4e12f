/**
 * @module The one place every HTML page gets its security headers. It runs after the
 * handler and replaces a header already on the response, so a page built
 * elsewhere (the consent page, whose cookies and headers come from the OAuth
 * library with a CSP of `frame-ancestors` only) gets the same full policy as
 * every other page.
 */

import type { MiddlewareHandler } from "hono";
import type { Config } from "../config";
import type { GatewayEnv } from "./context";
import { PAGE_SECURITY_HEADERS } from "./pages/layout";

export const pageSecurityHeaders: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.get("content-type")?.toLowerCase().startsWith("text/html")) return;
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) c.res.headers.set(name, value);
  // Sign-in forms (the admin console's "Sign in with Microsoft") answer with a redirect to
  // Entra's sign-in, and Chromium applies form-action to a form's redirects too: the
  // configured login host, and only it, is allowed beside 'self'.
  const config: Config | undefined = c.get("config");
  const login = config ? URL.parse(config.LOGIN_BASE)?.origin : undefined;
  if (login) {
    const policy = PAGE_SECURITY_HEADERS["content-security-policy"].replace("form-action 'self'", `form-action 'self' ${login}`);
    c.res.headers.set("content-security-policy", policy);
  }
};
