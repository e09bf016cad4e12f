import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { directoryUserView } from "../../entra/permissions";
import { scopes } from "../auth";
import { graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { peopleFor, userResource } from "./people";
import { contactsOf } from "./routes";
import { parseDirectorySearch, searchPeople } from "./search";

/**
 * @module
 * Graph v1.0 people (/me/people) and the tenant directory (/users), both
 * derived from the caller's own tenant (and, for people, the caller's
 * contacts), so no other tenant's user is ever visible.
 */
const PEOPLE_READ = ["People.Read", "People.Read.All"];
const USERS_READ = ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"];

/** `$search` already applied by the route; makes listResponse's own text match a no-op. */
function searchAppliedByRoute(c: Context): () => string {
  const term = (c.req.query("$search") ?? c.req.query("search") ?? "").replace(/^"|"$/g, "").toLowerCase();
  return () => term;
}

export const directoryRoutes = new Hono<GraphEnv>()
  .get("/me/people", scopes(...PEOPLE_READ), (c) => {
    const { tenant, user } = c.get("caller");
    const people = peopleFor(tenant, user, contactsOf(c).values());
    const search = c.req.query("$search") ?? c.req.query("search");
    const ranked = search === undefined ? people : searchPeople(people, search);
    return listResponse(c, ranked, { ...QUERY_RULES.people, searchText: searchAppliedByRoute(c), maxTop: 1000 });
  })
  .get("/users", scopes(...USERS_READ), (c) => {
    // Only what the token's permission may see, before $search can match on it.
    let users = [...c.get("caller").tenant.users.values()].map(userResource).map(directoryUserView(c.get("caller")));
    const search = c.req.query("$search") ?? c.req.query("search");
    const eventual = c.req.header("consistencylevel")?.toLowerCase() === "eventual";
    if ((c.req.query("$count") ?? c.req.query("count")) === "true" && !eventual) {
      return graphError(400, "Request_BadRequest", "$count is not currently supported without the header 'ConsistencyLevel: eventual'.");
    }
    if (search !== undefined) {
      if (!eventual) {
        return graphError(
          400,
          "Request_UnsupportedQuery",
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        );
      }
      const matches = parseDirectorySearch(search);
      if (!matches)
        return graphError(
          400,
          "Request_UnsupportedQuery",
          `Syntax error: invalid $search expression '${search}'. Expected "property:value" clauses.`,
        );
      users = users.filter(matches);
    }
    return listResponse(c, users, { ...QUERY_RULES.users, searchText: searchAppliedByRoute(c), defaultTop: 100 });
  })
  .get("/users/:id", scopes(...USERS_READ), (c) => {
    const key = c.req.param("id").toLowerCase();
    const user = [...c.get("caller").tenant.users.values()].find(
      (candidate) => candidate.oid.toLowerCase() === key || candidate.userPrincipalName.toLowerCase() === key,
    );
    if (!user) {
      return graphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${c.req.param("id")}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    return c.json(selectFields(directoryUserView(c.get("caller"))(userResource(user)), c.req.query("$select")));
  });
