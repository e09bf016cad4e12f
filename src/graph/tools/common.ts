import { z } from "zod";
import type { GraphRequest } from "../client";
import { isPathSafe, UNSAFE_ID_MESSAGE } from "../path";
import type { ToolContext } from "./types";

/** Input fields and paging shared by list tools. */
// Field names and bounds speak for themselves in the advertised schema;
// descriptions are spent only where they change what a model sends.

/** No Graph id holds a control character or a URL delimiter; graphPath refuses them too, this names the field. */
export const pathSafe = isPathSafe;
export const ID_CHARACTERS = UNSAFE_ID_MESSAGE;

export const idField = (what: string) =>
  z.string().min(1, `expected the ${what} id`).max(1024, "that id is too long").refine(pathSafe, ID_CHARACTERS);

export const limitField = (max = 50, fallback = 25) => z.number().int().min(1).max(max).default(fallback);

export const cursorField = z.string().max(4096).optional().describe("From the previous page");

export const emailField = z.email("expected an email address");

export const recipientsField = z
  .array(z.string().min(3).max(320))
  .max(100)
  .describe('"a@b.com" or "Name <a@b.com>"');

/**
 * Names the listing a first page opens: its path (the folder, list, chat…).
 * The query is not part of it: a later call may pass only the cursor, and
 * the next link sealed in the cursor already carries the listing's options.
 */
const listingOf = (ctx: ToolContext, first: GraphRequest) => ({ tool: ctx.tool, listing: first.path });

/**
 * The first page's request, or the page a cursor points at. A cursor is
 * opened only by the tool, listing, tenant and user it was issued to; its
 * path and query are Graph's own next link (which may spell the path
 * differently, e.g. a mail folder in key form) and already carry the
 * listing's options.
 */
export async function pageRequest(ctx: ToolContext, cursor: string | undefined, first: GraphRequest): Promise<GraphRequest> {
  if (!cursor) return first;
  const next = await ctx.cursors.open(listingOf(ctx, first), cursor);
  return { ...first, path: next.path, query: next.query };
}

/** The cursor line a list tool appends when Graph has more. */
export async function nextCursorLine(ctx: ToolContext, first: GraphRequest, body: { "@odata.nextLink"?: string }): Promise<string> {
  const link = body["@odata.nextLink"];
  if (!link) return "";
  const cursor = await ctx.cursors.seal(listingOf(ctx, first), link);
  // The listing is bound to its path, so a call for page 2 repeats the arguments that chose it (folder, list, chat…).
  return cursor ? `\nMore results: call ${ctx.tool} with the same arguments and cursor "${cursor}"` : "";
}
