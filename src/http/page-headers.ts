/**
 * @module The one place every HTML page gets its security headers. It runs after the
 * handler and replaces a header already on the response, so a page built
 * elsewhere (the consent page, whose cookies and headers come from the OAuth
 * library with a CSP of `frame-ancestors` only) gets the same full policy as
 * every other page.
 */

import type { MiddlewareHandler } from "hono";
import { PAGE_SECURITY_HEADERS } from "./pages/layout";

/**
 * The sources a page named in its own `form-action`, beyond the gateway
 * itself: the consent page's form leads on to Entra and the app
 * (`consentFormAction`). Every other directive of a page's own policy is
 * replaced by the full one.
 */
function ownFormTargets(response: Response): string[] {
  const own = response.headers.get("content-security-policy") ?? "";
  const directive = own
    .split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith("form-action "));
  return directive
    ? directive
        .split(/\s+/)
        .slice(1)
        .filter((source) => source !== "'self'")
    : [];
}

export const pageSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.get("content-type")?.toLowerCase().startsWith("text/html")) return;
  const targets = ownFormTargets(c.res);
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) {
    const widened = name === "content-security-policy" && targets.length > 0;
    c.res.headers.set(name, widened ? value.replace("form-action 'self'", `form-action 'self' ${targets.join(" ")}`) : value);
  }
};
