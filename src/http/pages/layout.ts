import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { APP_CSS_URL, APP_JS_URL } from "./assets";

/**
 * @module The one page shell: a header with the product's name (and the
 * organization's on its own host), every page's content in `<main>`, a footer,
 * and the shared stylesheet. Content is escaped by hono's `html` template.
 */

export const PRODUCT_NAME = "Microsoft 365 MCP gateway";

/** Styles and scripts come only from the gateway itself: nothing inline. */
export const PAGE_SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  /** The organization whose host serves the page, named in the header. */
  orgName?: string;
}

export function page(title: string, body: Content, options: PageOptions = {}) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="${APP_CSS_URL}" />
        <script src="${APP_JS_URL}" defer></script>
      </head>
      <body>
        <header>
          <a class="product" href="/">${PRODUCT_NAME}</a>
          ${options.orgName ? html`<span class="org">${options.orgName}</span>` : ""}
        </header>
        <main>
          ${body}
          <div id="page-status" class="visually-hidden" role="status" aria-live="polite"></div>
        </main>
        <footer>
          <a href="/health">Service status</a>
        </footer>
      </body>
    </html>`;
}
