import { z } from "zod";

/** @module Tenant slugs: the subdomain label that names an org, its format and the names no tenant may take. */

/**
 * Names that could be mistaken for the service itself or that we may want for
 * our own subdomains later. A tenant may never take them.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "admin",
  "api",
  "app",
  "apps",
  "assets",
  "auth",
  "billing",
  "blog",
  "cdn",
  "console",
  "dashboard",
  "dev",
  "docs",
  "help",
  "localhost",
  "login",
  "mail",
  "mcp",
  "oauth",
  "operator",
  "root",
  "signup",
  "sso",
  "static",
  "status",
  "support",
  "system",
  "www",
]);

/** RFC 1123 host label, lower case, 3–63 characters, no punycode prefix. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

export type SlugProblem = "format" | "reserved";

export function slugProblem(slug: string): SlugProblem | undefined {
  if (!LABEL.test(slug) || slug.startsWith("xn--")) return "format";
  if (RESERVED_SLUGS.has(slug)) return "reserved";
  return undefined;
}

/** What a valid address is, in the words the signup form and the API both use. */
export const SLUG_RULE = "3-63 characters: letters a-z, digits 0-9 and hyphens, starting and ending with a letter or digit";

export const SlugSchema = z
  .string({ error: `Choose an address: ${SLUG_RULE}` })
  .trim()
  .toLowerCase()
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (slug === "") {
      ctx.addIssue({ code: "custom", message: `Choose an address: ${SLUG_RULE}` });
    } else if (problem === "format") {
      ctx.addIssue({ code: "custom", message: `expected ${SLUG_RULE}` });
    } else if (problem === "reserved") {
      ctx.addIssue({ code: "custom", message: `"${slug}" is reserved; choose another address` });
    }
  });
