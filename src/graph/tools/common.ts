import { z } from "zod";
import { CursorError, decodeCursor, encodeCursor } from "../cursor";
import type { GraphRequest } from "../client";
import type { ToolContext } from "./types";

/** Input fields and paging shared by list tools. */
// Field names and bounds speak for themselves in the advertised schema;
// descriptions are spent only where they change what a model sends.
export const idField = (what: string) =>
  z.string().min(1, `expected the ${what} id`).max(1024, "that id is too long");

export const limitField = (max = 50, fallback = 25) => z.number().int().min(1).max(max).default(fallback);

export const cursorField = z.string().max(4096).optional().describe("From the previous page");

export const emailField = z.email("expected an email address");

export const recipientsField = z
  .array(z.string().min(3).max(320))
  .max(100)
  .describe('"a@b.com" or "Name <a@b.com>"');

/**
 * The first page's request, or the page a cursor points at (which keeps the
 * original query). Cursors are bound to their tool.
 */
export function pageRequest(tool: string, cursor: string | undefined, first: GraphRequest): GraphRequest {
  if (!cursor) return first;
  const next = decodeCursor(tool, cursor);
  // Graph's next pages stay on the listing's own path; a cursor pointing
  // anywhere else (another resource, /beta, encoded dot segments) was not
  // issued for this call, even if it was issued by this server.
  if (comparablePath(next.path) !== comparablePath(first.path)) {
    throw new CursorError("cursor belongs to another listing");
  }
  return { ...first, path: next.path, query: next.query };
}

function comparablePath(path: string): string {
  try {
    return decodeURIComponent(path).toLowerCase();
  } catch {
    return `invalid:${path}`;
  }
}

/** The cursor line a list tool appends when Graph has more. */
export function nextCursorLine(tool: string, ctx: ToolContext, body: { "@odata.nextLink"?: string }): string {
  const link = body["@odata.nextLink"];
  if (!link) return "";
  const cursor = encodeCursor(tool, link, ctx.graphBase);
  return cursor ? `\nMore results: call ${tool} with cursor "${cursor}"` : "";
}
