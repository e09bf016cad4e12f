import type { Context } from "hono";
import { GRAPH_ERRORS } from "./errors";
import { compareValues, evaluate, FilterError, parseFilter, readPath } from "./odata-filter";

/**
 * Applies Graph's query options to an in-memory collection and builds the
 * list response: $filter, $search, $orderby, $skip/$top with an absolute
 * `@odata.nextLink`, $select, and $count.
 */
export interface ListOptions<T> {
  /** Text `$search` matches against; a collection without it refuses $search. */
  searchText?: (item: T) => string;
  /** Applied when the client sends no $orderby (Graph's own default order). */
  defaultOrderBy?: string;
  defaultTop?: number;
  maxTop?: number;
  /** Messages refuse $search together with $orderby, as Graph does. */
  searchForbidsOrderBy?: boolean;
  /** Maps an item to its wire shape before $select (e.g. drop internal fields). */
  present?: (item: T) => Record<string, unknown>;
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
  const fields = select.split(",").map((field) => field.trim()).filter(Boolean);
  const projected: Record<string, unknown> = { id: item.id };
  for (const field of fields) if (field in item) projected[field] = item[field];
  return projected;
}

function intParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new FilterError(`Invalid value '${value}' for query option ${name}`);
  return Math.min(Number(value), max);
}

export function listResponse<T extends object>(c: Context, items: readonly T[], options: ListOptions<T> = {}): Response {
  const query = (name: string) => c.req.query(name) ?? c.req.query(name.slice(1));
  try {
    let result = [...items];
    const filter = query("$filter");
    if (filter) {
      const tree = parseFilter(filter);
      result = result.filter((item) => evaluate(tree, item));
    }
    const search = query("$search");
    const orderBy = query("$orderby");
    if (search) {
      if (!options.searchText) throw new FilterError("This collection does not support $search");
      if (orderBy && options.searchForbidsOrderBy) {
        throw new FilterError("The query parameter '$orderBy' is not supported with '$search'.");
      }
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
    const top = intParam(query("$top"), "$top", options.defaultTop ?? 10, options.maxTop ?? 1000);
    const skip = intParam(query("$skip"), "$skip", 0, Number.MAX_SAFE_INTEGER);
    const page = result.slice(skip, skip + top);
    const present = options.present ?? ((item: T) => ({ ...item }) as Record<string, unknown>);
    const select = query("$select");
    const body: Record<string, unknown> = {
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata`,
      value: page.map((item) => selectFields(present(item), select)),
    };
    if (query("$count") === "true") body["@odata.count"] = result.length;
    if (skip + top < result.length) {
      const next = new URL(c.req.url);
      next.searchParams.delete("skip");
      next.searchParams.set("$top", String(top));
      next.searchParams.set("$skip", String(skip + top));
      body["@odata.nextLink"] = next.toString();
    }
    return c.json(body);
  } catch (error) {
    if (error instanceof FilterError) return GRAPH_ERRORS.badRequest(error.message);
    throw error;
  }
}
