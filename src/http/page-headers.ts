/**
 * @module The one place every HTML page gets its security headers. It runs after the
 * handler and replaces a header already on the response, so a page built
 * elsewhere (the consent page, whose cookies and headers come from the OAuth
 * library with a CSP of `frame-ancestors` only) gets the same full policy as
 * every other page.
 */

import type { MiddlewareHandler } from "hono";
import { PAGE_SECURITY_HEADERS } from "./pages/layout";

export const pageSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.get("content-type")?.toLowerCase().startsWith("text/html")) return;
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) c.res.headers.set(name, value);
};
