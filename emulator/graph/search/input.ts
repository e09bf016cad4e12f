import { z } from "zod";

/**
 * @module
 * The body of `POST /search/query` as Microsoft documents searchRequest, and
 * its rules: which entity types may share one request (the interleaving
 * table), which may come in several requests of one body (SharePoint and
 * OneDrive types only), and page sizes. Unknown properties and entity types
 * the emulator does not serve are refused rather than ignored.
 */
export const ENTITY_TYPES = ["message", "event", "drive", "driveItem", "list", "listItem", "site"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Types that interleave with each other (search-concept-interleaving); message and event stand alone here. */
const SHAREPOINT: readonly EntityType[] = ["drive", "driveItem", "list", "listItem", "site"];

/** Stricter than Microsoft where its pages leave room: mail and calendar pages up to 25 hits, SharePoint and OneDrive up to 500. */
export const MAX_SIZE = { mailOrCalendar: 25, sharePoint: 500 };

const SearchRequest = z.strictObject({
  entityTypes: z.array(z.string()).min(1),
  query: z.strictObject({ queryString: z.string() }),
  from: z.number().int().min(0).optional(),
  size: z.number().int().min(0).optional(),
  fields: z.array(z.string()).optional(),
  region: z.string().optional(),
  enableTopResults: z.boolean().optional(),
});

export const SearchBody = z.strictObject({ requests: z.array(SearchRequest).min(1) });
export type SearchRequest = z.infer<typeof SearchRequest>;

/** Why a request cannot be served as sent, in Graph's words where it has them; undefined when it can. */
export function requestProblem(request: SearchRequest, requestCount: number): string | undefined {
  const unknown = request.entityTypes.find((type) => !(ENTITY_TYPES as readonly string[]).includes(type));
  if (unknown) return `Requested value '${unknown}' was not found in entityTypes; the emulator serves ${ENTITY_TYPES.join(", ")}.`;
  const types = request.entityTypes as EntityType[];
  if (new Set(types).size !== types.length) return "entityTypes has a duplicate entity type.";
  const standalone = types.filter((type) => !SHAREPOINT.includes(type));
  if (standalone.length > 0 && types.length > 1) {
    return `The entity type combination [${types.join(", ")}] is not supported; ${standalone[0]} cannot be combined with other entity types.`;
  }
  if (standalone.length > 0 && requestCount > 1)
    return "Multiple search requests in one body are only supported for SharePoint and OneDrive entity types.";
  if (request.query.queryString.trim() === "") return "The query string must not be empty.";
  if (request.region !== undefined) return "region is only supported for application permissions.";
  const max = standalone.length > 0 ? MAX_SIZE.mailOrCalendar : MAX_SIZE.sharePoint;
  if (request.size !== undefined && (request.size < 1 || request.size > max))
    return `size must be between 1 and ${max} for these entity types.`;
  return undefined;
}
