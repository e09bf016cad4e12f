import type { Context } from "hono";
import { GRAPH_ERRORS } from "../errors";

/**
 * @module
 * Planner's list endpoints take no `$top`: the service picks the page size and
 * links the next page with an opaque `$skiptoken`. Tokens here are random,
 * bound to the caller and the path, and the table is bounded; any other query
 * option is refused with Graph's 400 (the Planner list pages document none).
 */
export const PLANNER_PAGE_SIZE = 4;

const tokens = new Map<string, { listing: string; offset: number }>();
const MAX_TOKENS = 5_000;

function listingOf(c: Context, path: string): string {
  const caller = (c.get("caller") as { tenant?: { tenantId?: string }; user?: { oid?: string } } | undefined) ?? {};
  return JSON.stringify([caller.tenant?.tenantId, caller.user?.oid, path.toLowerCase()]);
}

function issue(listing: string, offset: number): string {
  if (tokens.size >= MAX_TOKENS) {
    const oldest = tokens.keys().next().value;
    if (oldest !== undefined) tokens.delete(oldest);
  }
  const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
  tokens.set(token, { listing, offset });
  return token;
}

/** One page of `items` (already in wire shape), with `@odata.nextLink` when more remain. */
export function plannerPage(c: Context, items: readonly Record<string, unknown>[]): Response {
  const url = new URL(c.req.url);
  for (const key of url.searchParams.keys()) {
    if (key !== "$skiptoken") {
      return GRAPH_ERRORS.badRequest(`The query specified in the URI is not valid. Query option '${key}' is not allowed.`);
    }
  }
  const listing = listingOf(c, url.pathname);
  let offset = 0;
  const token = url.searchParams.get("$skiptoken");
  if (token !== null) {
    const known = tokens.get(token);
    if (!known || known.listing !== listing) return GRAPH_ERRORS.badRequest("The $skiptoken is not valid for this request.");
    offset = known.offset;
  }
  const body: Record<string, unknown> = {
    "@odata.context": `${url.origin}/v1.0/$metadata`,
    value: items.slice(offset, offset + PLANNER_PAGE_SIZE),
  };
  if (offset + PLANNER_PAGE_SIZE < items.length) {
    const next = new URL(url.pathname, url.origin);
    next.searchParams.set("$skiptoken", issue(listing, offset + PLANNER_PAGE_SIZE));
    body["@odata.nextLink"] = next.toString();
  }
  return c.json(body);
}
