import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { missingScope } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS } from "../errors";
import { SITES_READ } from "../sites/store";
import { hitsFor } from "./hits";
import { type EntityType, SearchBody, type SearchRequest, requestProblem } from "./input";

/**
 * @module
 * Graph v1.0 Microsoft Search: `POST /search/query` over the caller's mail,
 * events and OneDrive and the tenant's sites, libraries and list items. Each
 * entity type needs its own delegated permission; the request is validated
 * as searchRequest documents it, and pages with `from` and `size` (default
 * 25), answering `total` and `moreResultsAvailable`.
 */
const PERMISSIONS: Record<EntityType, readonly string[]> = {
  message: ["Mail.Read", "Mail.ReadWrite"],
  event: ["Calendars.Read", "Calendars.ReadWrite"],
  drive: ["Files.Read.All", "Files.ReadWrite.All", ...SITES_READ],
  driveItem: ["Files.Read.All", "Files.ReadWrite.All", ...SITES_READ],
  list: SITES_READ,
  listItem: ["Files.Read.All", "Files.ReadWrite.All", ...SITES_READ],
  site: SITES_READ,
};

/** One searchResponse: the request's page of hits, newest first, interleaved across its types. */
function answer(c: Context<GraphEnv>, request: SearchRequest): Record<string, unknown> {
  const terms = request.query.queryString.toLowerCase().split(/\s+/).filter(Boolean);
  const all = (request.entityTypes as EntityType[]).flatMap((type) => hitsFor(c, type, terms)).sort((a, b) => (a.at < b.at ? 1 : -1));
  const from = request.from ?? 0;
  const size = request.size ?? 25;
  const page = all.slice(from, from + size);
  const container: Record<string, unknown> = { total: all.length, moreResultsAvailable: from + size < all.length };
  if (page.length > 0) {
    container.hits = page.map((hit, index) => ({ hitId: hit.hitId, rank: from + index + 1, summary: hit.summary, resource: hit.resource }));
  }
  return { searchTerms: terms, hitsContainers: [container] };
}

async function query(c: Context<GraphEnv>): Promise<Response> {
  const body = await readGraphBody(c, SearchBody);
  if (body instanceof Response) return body;
  const { requests } = body;
  for (const request of requests) {
    const problem = requestProblem(request, requests.length);
    if (problem) return GRAPH_ERRORS.badRequest(problem);
  }
  for (const request of requests) {
    for (const type of request.entityTypes as EntityType[]) {
      const refused = missingScope(c, PERMISSIONS[type]);
      if (refused) return refused;
    }
  }
  return c.json({
    "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#Collection(microsoft.graph.searchResponse)`,
    value: requests.map((request) => answer(c, request)),
  });
}

export const searchRoutes = new Hono<GraphEnv>().post("/search/query", query);
