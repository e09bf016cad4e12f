import type { Context } from "hono";
import { GRAPH_ERRORS, graphError } from "./errors";
import { compareValues, evaluate, FilterError, filterProperties, type FilterNode, parseFilter, readPath } from "./odata-filter";

/**
 * @module Applies Graph's query options to an in-memory collection and builds the
 * list response: $filter, $search, $orderby, $top, $select, $count, and the
 * next page as Graph links it (`$skip`, or an opaque `$skiptoken`). Each
 * collection declares the options its API reference documents; any other
 * answers Graph's 400, so a client cannot rely on one Graph would refuse.
 */

export type QueryOption = "$filter" | "$search" | "$orderby" | "$top" | "$skip" | "$select" | "$expand" | "$count";

/** Outlook collections (messages, folders, contacts, events, tasks) take the usual OData options. */
export const OUTLOOK_OPTIONS: readonly QueryOption[] = ["$filter", "$orderby", "$top", "$skip", "$select", "$count"];

export interface ListOptions<T> {
  /** The options the collection's "Optional query parameters" section lists; any other is refused. */
  allow: readonly QueryOption[];
  /** Navigation properties `$expand` may name. */
  expand?: readonly string[];
  /** The only `$orderby` clauses accepted, when the docs restrict them (e.g. "createdDateTime desc"). */
  orderBy?: readonly string[];
  /** How next pages are linked: `$skip` (Outlook, To Do) or an opaque `$skiptoken` (Teams, OneDrive, directory). */
  paging?: "skip" | "skiptoken";
  /** The collection's path in next links as Graph spells it (a mail folder in key form), when not the request's. */
  nextPath?: string;
  /** Messages: $orderby properties must lead the $filter in the same order ("InefficientFilter"). */
  orderByLeadsFilter?: boolean;
  /** Messages: $search cannot be combined with $filter or $orderby. */
  searchAlone?: boolean;
  /** A clause Graph refuses on this collection, as the error to answer; undefined when the filter is fine. */
  checkFilter?: (tree: FilterNode, orderBy: string | undefined) => Response | undefined;
  /** Text `$search` matches against (the route may have applied $search itself and return ""). */
  searchText?: (item: T) => string;
  /** Applied when the client sends no $orderby (Graph's own default order). */
  defaultOrderBy?: string;
  defaultTop?: number;
  maxTop?: number;
  /** Maps an item to its wire shape before $select (e.g. drop internal fields). */
  present?: (item: T) => Record<string, unknown>;
}

type QueryRule = Pick<ListOptions<never>, "allow" | "expand" | "orderBy" | "paging" | "orderByLeadsFilter" | "searchAlone" | "maxTop">;

/**
 * Each collection's documented query options, from its Graph v1.0 API
 * reference page ("Optional query parameters"); the emulator README lists
 * the pages. Routes spread one of these into their ListOptions.
 */
export const QUERY_RULES = {
  messages: { allow: [...OUTLOOK_OPTIONS, "$search", "$expand"], expand: ["attachments"], orderByLeadsFilter: true, searchAlone: true },
  outlook: { allow: OUTLOOK_OPTIONS },
  people: { allow: ["$search", "$filter", "$orderby", "$top", "$skip", "$select"] },
  users: {
    allow: ["$search", "$filter", "$orderby", "$top", "$select", "$count", "$expand"],
    expand: ["manager"],
    paging: "skiptoken",
    maxTop: 999,
  },
  joinedTeams: { allow: [] },
  channels: { allow: ["$filter", "$select"] },
  channelMessages: { allow: ["$top", "$expand"], expand: ["replies"], paging: "skiptoken", maxTop: 50 },
  replies: { allow: ["$top"], paging: "skiptoken", maxTop: 50 },
  chats: {
    allow: ["$expand", "$top", "$filter", "$orderby"],
    expand: ["members", "lastMessagePreview"],
    orderBy: ["lastMessagePreview/createdDateTime desc"],
    paging: "skiptoken",
    maxTop: 50,
  },
  chatMessages: {
    allow: ["$top", "$orderby", "$filter"],
    orderBy: ["lastModifiedDateTime desc", "createdDateTime desc"],
    paging: "skiptoken",
    maxTop: 50,
  },
  chatMembers: { allow: [] },
  driveItems: { allow: ["$expand", "$select", "$top", "$orderby"], expand: ["thumbnails"], paging: "skiptoken" },
  drives: { allow: ["$select", "$top", "$orderby"], paging: "skiptoken" },
} satisfies Record<string, QueryRule>;

/** Names ASP.NET OData gives options in "Query option 'X' is not allowed" (AllowedQueryOptions). */
const OPTION_NAMES: Record<string, string> = {
  $filter: "Filter",
  $search: "Search",
  $orderby: "OrderBy",
  $top: "Top",
  $skip: "Skip",
  $skiptoken: "SkipToken",
  $select: "Select",
  $expand: "Expand",
  $count: "Count",
  $format: "Format",
  $apply: "Apply",
  $compute: "Compute",
  $deltatoken: "DeltaToken",
};

function notAllowed(option: string): Response {
  const name = OPTION_NAMES[option] ?? option;
  return GRAPH_ERRORS.badRequest(
    `The query specified in the URI is not valid. Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
  );
}

function parseOrderBy(text: string): { path: string[]; descending: boolean }[] {
  return text.split(",").map((part) => {
    const [field = "", direction = "asc"] = part.trim().split(/\s+/);
    if (!/^[A-Za-z_][\w/]*$/.test(field) || !/^(asc|desc)$/i.test(direction)) {
      throw new FilterError(`Invalid $orderby clause '${part.trim()}'`);
    }
    return { path: field.split("/"), descending: direction.toLowerCase() === "desc" };
  });
}

export function selectFields(item: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (!select) return item;
  const fields = select
    .split(",")
    .map((field) => field.trim())
    .filter(Boolean);
  const projected: Record<string, unknown> = { id: item.id };
  for (const field of fields) if (field in item) projected[field] = item[field];
  return projected;
}

function intParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new FilterError(`Invalid value '${value}' for query option ${name}`);
  if (name === "$top" && (Number(value) < 1 || Number(value) > max)) {
    throw new FilterError(`Invalid page size requested. Page size should be between 1 and ${max}.`);
  }
  return Number(value);
}

/** The query options sent, by lower-case name (`top` counts as `$top`, as Graph reads it). */
function sentOptions(url: URL): Map<string, string> {
  const options = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    const name = (key.startsWith("$") ? key : `$${key}`).toLowerCase();
    if (key.startsWith("$") || name in OPTION_NAMES) options.set(name, value);
  }
  return options;
}

function refusal<T>(sent: Map<string, string>, options: ListOptions<T>): Response | undefined {
  const paging = options.paging ?? "skip";
  for (const option of sent.keys()) {
    if (option === "$skiptoken" ? paging !== "skiptoken" && !sent.has("$search") : !options.allow.includes(option as QueryOption)) {
      return notAllowed(option);
    }
  }
  const expand = sent.get("$expand");
  if (expand !== undefined) {
    for (const part of expand.split(/,(?![^(]*\))/)) {
      const name = part.trim().replace(/\(.*$/s, "");
      if (!options.expand?.some((allowed) => allowed.toLowerCase() === name.toLowerCase())) {
        return GRAPH_ERRORS.badRequest(
          `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.entity'.`,
        );
      }
    }
  }
  const orderBy = sent.get("$orderby");
  if (orderBy !== undefined && options.orderBy) {
    const clause = orderBy.trim().replace(/\s+/g, " ").toLowerCase();
    if (!options.orderBy.some((allowed) => allowed.toLowerCase() === clause)) {
      return GRAPH_ERRORS.badRequest(`The $orderby clause '${orderBy}' is not supported. Supported: ${options.orderBy.join("; ")}.`);
    }
  }
  if (sent.has("$search") && options.searchAlone) {
    if (sent.has("$filter")) return GRAPH_ERRORS.badRequest("The query parameter '$filter' is not supported with '$search'.");
    if (sent.has("$orderby")) return GRAPH_ERRORS.badRequest("The query parameter '$orderBy' is not supported with '$search'.");
  }
  return undefined;
}

/** "Use $filter and $orderby in the same query": the sort properties first in the filter, in order. */
function inefficient(tree: FilterNode, orderBy: string): boolean {
  const sorted = parseOrderBy(orderBy).map((key) => key.path.join("/").toLowerCase());
  const filtered = filterProperties(tree).map((name) => name.toLowerCase());
  return sorted.some((name, index) => filtered[index] !== name);
}

/**
 * Skip tokens: random, so a client can neither read nor make one, and bound
 * to the caller, the path and every other query option of the listing they
 * continue, so an edited query or another user's token is refused. They last
 * as long as the emulator process (a restarted one answers as for an
 * expired token), and the table is bounded.
 */
const skipTokens = new Map<string, { listing: string; offset: number }>();
const MAX_SKIP_TOKENS = 20_000;

function issueSkipToken(listing: string, offset: number): string {
  if (skipTokens.size >= MAX_SKIP_TOKENS) {
    const oldest = skipTokens.keys().next().value;
    if (oldest !== undefined) skipTokens.delete(oldest);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = `RFNwdA${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
  skipTokens.set(token, { listing, offset });
  return token;
}

/** What a skip token is bound to: the caller, the path, and every option but the paging ones, with the page size. */
function listingOf(c: Context, path: string, url: URL, top: number): string {
  const caller = (c.get("caller") as { tenant?: { tenantId?: string }; user?: { oid?: string } } | undefined) ?? {};
  const query = [...url.searchParams]
    .filter(([key]) => !PAGING_KEYS.includes(key.toLowerCase()))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([caller.tenant?.tenantId, caller.user?.oid, path.toLowerCase(), top, query]);
}

const PAGING_KEYS = ["skip", "$skip", "skiptoken", "$skiptoken", "top", "$top"];

export function listResponse<T extends object>(c: Context, items: readonly T[], options: ListOptions<T>): Response {
  const url = new URL(c.req.url);
  const sent = sentOptions(url);
  const refused = refusal(sent, options);
  if (refused) return refused;
  const path = options.nextPath ? `/v1.0${options.nextPath}` : url.pathname;
  const paging = sent.has("$search") ? "skiptoken" : (options.paging ?? "skip");
  try {
    let result = [...items];
    const filter = sent.get("$filter");
    const orderBy = sent.get("$orderby");
    if (filter) {
      const tree = parseFilter(filter);
      const refusedClause = options.checkFilter?.(tree, orderBy);
      if (refusedClause) return refusedClause;
      if (orderBy && options.orderByLeadsFilter && inefficient(tree, orderBy)) {
        return graphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.");
      }
      result = result.filter((item) => evaluate(tree, item));
    }
    const search = sent.get("$search");
    if (search) {
      if (!options.searchText) return notAllowed("$search");
      const term = search.replace(/^"|"$/g, "").toLowerCase();
      const searchText = options.searchText;
      result = result.filter((item) => searchText(item).toLowerCase().includes(term));
    }
    const order = orderBy ?? (search ? undefined : options.defaultOrderBy);
    if (order) {
      const keys = parseOrderBy(order);
      result.sort((a, b) => {
        for (const key of keys) {
          const diff = compareValues(readPath(a, key.path), readPath(b, key.path));
          if (diff !== 0) return key.descending ? -diff : diff;
        }
        return 0;
      });
    }
    const top = intParam(sent.get("$top"), "$top", options.defaultTop ?? 10, options.maxTop ?? 1000);
    let skip = intParam(sent.get("$skip"), "$skip", 0, Number.MAX_SAFE_INTEGER);
    const listing = listingOf(c, path, url, top);
    const token = sent.get("$skiptoken");
    if (token !== undefined) {
      const known = skipTokens.get(token);
      if (!known || known.listing !== listing) return GRAPH_ERRORS.badRequest("The $skiptoken is not valid for this request.");
      skip = known.offset;
    }
    const page = result.slice(skip, skip + top);
    const present = options.present ?? ((item: T) => ({ ...item }) as Record<string, unknown>);
    const select = sent.get("$select");
    const body: Record<string, unknown> = {
      "@odata.context": `${url.origin}/v1.0/$metadata`,
      value: page.map((item) => selectFields(present(item), select)),
    };
    if (sent.get("$count") === "true") body["@odata.count"] = result.length;
    if (skip + top < result.length)
      body["@odata.nextLink"] = nextLink(url, path, top, paging, () => issueSkipToken(listing, skip + top), skip + top);
    return c.json(body);
  } catch (error) {
    if (error instanceof FilterError) return GRAPH_ERRORS.badRequest(error.message);
    throw error;
  }
}

/** The request's own URL on `path`, every other option kept, with the next `$skip` or a new `$skiptoken`. */
function nextLink(url: URL, path: string, top: number, paging: "skip" | "skiptoken", token: () => string, skip: number): string {
  const next = new URL(url);
  next.pathname = path;
  // Collected first: deleting while iterating the live `keys()` skips the entry after each deleted one.
  const pagingKeys = [...next.searchParams.keys()].filter((key) => PAGING_KEYS.includes(key.toLowerCase()));
  for (const key of pagingKeys) next.searchParams.delete(key);
  next.searchParams.set("$top", String(top));
  if (paging === "skip") next.searchParams.set("$skip", String(skip));
  else next.searchParams.set("$skiptoken", token());
  return next.toString();
}
