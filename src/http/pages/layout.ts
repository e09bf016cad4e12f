import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** @module Shared page shell. Content is escaped by hono's `html` template. */

export const PAGE_SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
} as const;

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(title: string, body: Content) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          body {
            font:
              16px/1.5 system-ui,
              sans-serif;
            max-width: 44rem;
            margin: 2rem auto;
            padding: 0 1rem;
            color: #1b1b1f;
          }
          h1 {
            font-size: 1.6rem;
          }
          code,
          pre {
            background: #f3f3f6;
            border-radius: 4px;
            padding: 0.1rem 0.3rem;
          }
          pre {
            padding: 0.75rem;
            overflow-x: auto;
            white-space: pre-wrap;
            word-break: break-all;
          }
          label {
            display: block;
            margin-top: 0.8rem;
            font-weight: 600;
          }
          input {
            width: 100%;
            padding: 0.45rem;
            font: inherit;
            box-sizing: border-box;
          }
          .hint {
            color: #55555f;
            font-size: 0.9rem;
            font-weight: normal;
          }
          .error {
            color: #b00020;
          }
          button {
            margin-top: 1.2rem;
            padding: 0.6rem 1.2rem;
            font: inherit;
            cursor: pointer;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}
