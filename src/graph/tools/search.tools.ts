import { z } from "zod";
import { hitsText, type SearchResponse } from "../format/search";
import { cursorField, limitField, textField } from "./common";
import { defineTool, expectOk, READ, type ToolContext } from "./types";

/**
 * @module Microsoft Search (`POST /search/query`): one tool over mail, events,
 * files, SharePoint list items and sites, answering the ids the other tools
 * take. Search pages with `from` and `size`, not a next link, so the cursor
 * seals the next `from` and is bound to the query and types it continues.
 */

const TYPES = ["message", "event", "driveItem", "listItem", "site"] as const;
type EntityType = (typeof TYPES)[number];
const DEFAULT_TYPES: EntityType[] = ["driveItem", "listItem", "site"];
/** Microsoft interleaves SharePoint and OneDrive types; messages and events are searched alone. */
const ALONE: readonly EntityType[] = ["message", "event"];

const typesField = z
  .array(z.enum(TYPES))
  .min(1, "expected at least one type")
  .max(TYPES.length)
  .refine((types) => types.length === 1 || !types.some((type) => ALONE.includes(type)), "message and event each go alone")
  .optional()
  .describe("message or event alone, or any of driveItem, listItem, site (default: all three).");

/** The listing a cursor continues: the same query over the same types. */
const listingOf = (ctx: ToolContext, query: string, types: readonly string[]) => ({
  tool: ctx.tool,
  listing: `/search/query?${new URLSearchParams({ q: query, t: types.join(",") }).toString()}`,
});

/** Where the page starts: 0, or the `from` sealed in the cursor. */
async function startOf(ctx: ToolContext, cursor: string | undefined, query: string, types: readonly string[]): Promise<number> {
  if (!cursor) return 0;
  const next = await ctx.cursors.open(listingOf(ctx, query, types), cursor);
  return Number(next.query.from ?? 0);
}

export const searchTools = [
  defineTool({
    name: "search",
    group: "search",
    description:
      "Search mail, events, files, SharePoint list items and sites at once (Microsoft Search); answers ids the other tools take.",
    input: {
      query: textField(1000, { expected: "something to search for" }),
      types: typesField,
      limit: limitField(25, 10),
      cursor: cursorField,
    },
    // Each entity type needs its own permission; the wrapper asks for any one, Graph refuses the rest by type.
    scopes: ["Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All"],
    annotations: READ,
    audit: { text: ["query"], options: ["types", "cursor"] },
    async run(ctx, input) {
      const types = input.types ?? DEFAULT_TYPES;
      const from = await startOf(ctx, input.cursor, input.query, types);
      const response = await ctx.graph({
        method: "POST",
        path: "/search/query",
        body: { requests: [{ entityTypes: types, query: { queryString: input.query }, from, size: input.limit }] },
        // A search changes nothing, so a 503 may be retried.
        idempotent: true,
      });
      const body = expectOk<{ value?: SearchResponse[] }>(response, "search");
      const container = body.value?.[0]?.hitsContainers?.[0];
      const hits = container?.hits ?? [];
      if (hits.length === 0) return from > 0 ? "No more results." : `Nothing matches "${input.query}".`;
      const text = hitsText(hits);
      if (!container?.moreResultsAvailable) return text;
      const next = from + hits.length;
      const cursor = await ctx.cursors.seal(listingOf(ctx, input.query, types), `${ctx.graphBase}/v1.0/search/query?from=${next}`);
      return cursor ? `${text}\nMore results: call ${ctx.tool} with the same arguments and cursor "${cursor}"` : text;
    },
  }),
];
