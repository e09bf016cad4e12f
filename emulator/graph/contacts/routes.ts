import { type Context, Hono } from "hono";
import { z } from "zod";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { type FilterNode, filterNodes } from "../odata-filter";
import { opaqueId } from "../random";
import { changeKey, type ContactRecord, isoSeconds, presentContact, seedContacts } from "./seed";
import { parseDirectorySearch, peopleFor, searchPeople, userResource } from "./people";
import { directoryUserView } from "../../entra/permissions";

/**
 * Graph v1.0 contacts (/me/contacts), people (/me/people) and the tenant
 * directory (/users). Contacts are per user; people and users are derived
 * from the caller's own tenant, so no other tenant's user is ever visible.
 */
const CONTACTS_READ = ["Contacts.Read", "Contacts.ReadWrite"];
const CONTACTS_WRITE = ["Contacts.ReadWrite"];
const PEOPLE_READ = ["People.Read", "People.Read.All"];
const USERS_READ = ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All"];

const text = z.string().max(4000);
const ContactInput = z.strictObject({
  displayName: text.optional(),
  givenName: text.nullable().optional(),
  middleName: text.nullable().optional(),
  nickName: text.nullable().optional(),
  surname: text.nullable().optional(),
  title: text.nullable().optional(),
  initials: text.nullable().optional(),
  fileAs: text.optional(),
  jobTitle: text.nullable().optional(),
  companyName: text.nullable().optional(),
  department: text.nullable().optional(),
  officeLocation: text.nullable().optional(),
  businessHomePage: text.nullable().optional(),
  birthday: z.iso.datetime({ offset: true }).nullable().optional(),
  mobilePhone: text.nullable().optional(),
  businessPhones: z.array(text).max(10).optional(),
  homePhones: z.array(text).max(10).optional(),
  imAddresses: z.array(text).max(10).optional(),
  personalNotes: z.string().max(32_000).optional(),
  categories: z.array(text).max(50).optional(),
  emailAddresses: z.array(z.strictObject({ name: text.optional(), address: text.min(1) })).max(3).optional(),
});
type ContactPatch = z.infer<typeof ContactInput>;


function contactsStore(c: Context<GraphEnv>) {
  const { tenant, user } = c.get("caller");
  return c.get("graph").forUser("contacts", tenant.tenantId, user, (owner, day) => seedContacts(tenant.tenantId, owner, day));
}

const contactsOf = (c: Context<GraphEnv>) => contactsStore(c).contacts;

function applyPatch(contact: ContactRecord, patch: ContactPatch): void {
  const { emailAddresses, ...fields } = patch;
  Object.assign(contact, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
  if (emailAddresses) contact.emailAddresses = emailAddresses.map((email) => ({ name: email.name ?? email.address, address: email.address }));
  contact.lastModifiedDateTime = isoSeconds(Date.now());
  contact.changeKey = changeKey(`${contact.id}:${crypto.randomUUID()}`);
}

const contactNotFound = () => GRAPH_ERRORS.notFound("The specified object was not found in the store.");

/** `$search` already applied by the route; makes listResponse's own text match a no-op. */
function searchAppliedByRoute(c: Context): () => string {
  const term = (c.req.query("$search") ?? c.req.query("search") ?? "").replace(/^"|"$/g, "").toLowerCase();
  return () => term;
}

/**
 * The contacts list takes `$filter` on `emailAddresses` only as
 * `emailAddresses/any(a:a/address eq '…')`: no other operator, function or
 * sub-property, as its API reference says.
 */
function contactsFilter(tree: FilterNode): Response | undefined {
  const refuse = () => graphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
  const onAddresses = (operand: { kind: string; path?: string[] }) => operand.kind === "path" && operand.path?.[0]?.toLowerCase() === "emailaddresses";
  for (const node of filterNodes(tree)) {
    if (node.kind === "compare" && (onAddresses(node.left) || onAddresses(node.right))) return refuse();
    if (node.kind === "call" && (onAddresses(node.target) || onAddresses(node.value))) return refuse();
    if (node.kind === "any" && node.path.join("/").toLowerCase() === "emailaddresses") {
      const body = node.body;
      const addressEq =
        body.kind === "compare" &&
        body.op === "eq" &&
        body.left.kind === "path" &&
        body.left.path.join("/") === `${node.variable}/address` &&
        body.right.kind === "literal" &&
        typeof body.right.value === "string";
      if (!addressEq) return refuse();
    }
  }
  return undefined;
}

export const contactsRoutes = new Hono<GraphEnv>()
  // No $search: the contacts list documents none (search_contacts uses $filter, or the People API).
  .get("/me/contacts", scopes(...CONTACTS_READ), (c) =>
    listResponse(c, [...contactsOf(c).values()], { ...QUERY_RULES.outlook, checkFilter: contactsFilter, defaultOrderBy: "displayName", present: presentContact }),
  )
  .post("/me/contacts", scopes(...CONTACTS_WRITE), async (c) => {
    const input = await readGraphBody(c, ContactInput);
    if (input instanceof Response) return input;
    const { tenant, user } = c.get("caller");
    const store = contactsStore(c);
    const id = opaqueId(`contact:${tenant.tenantId}:${user.oid}:${crypto.randomUUID()}`);
    const now = isoSeconds(Date.now());
    const contact: ContactRecord = {
      id,
      createdDateTime: now,
      lastModifiedDateTime: now,
      changeKey: changeKey(id),
      categories: [],
      parentFolderId: store.folderId,
      birthday: null,
      fileAs: "",
      displayName: input.displayName ?? [input.givenName, input.surname].filter(Boolean).join(" "),
      givenName: null,
      middleName: null,
      nickName: null,
      surname: null,
      title: null,
      initials: null,
      jobTitle: null,
      companyName: null,
      department: null,
      officeLocation: null,
      businessHomePage: null,
      imAddresses: [],
      homePhones: [],
      mobilePhone: null,
      businessPhones: [],
      personalNotes: "",
      emailAddresses: [],
    };
    applyPatch(contact, input);
    contact.lastModifiedDateTime = now;
    store.contacts.set(id, contact);
    return c.json(presentContact(contact), 201);
  })
  .get("/me/contacts/:id", scopes(...CONTACTS_READ), (c) => {
    const contact = contactsOf(c).get(c.req.param("id"));
    if (!contact) return contactNotFound();
    return c.json(selectFields(presentContact(contact), c.req.query("$select")));
  })
  .patch("/me/contacts/:id", scopes(...CONTACTS_WRITE), async (c) => {
    const contact = contactsOf(c).get(c.req.param("id"));
    if (!contact) return contactNotFound();
    const input = await readGraphBody(c, ContactInput);
    if (input instanceof Response) return input;
    applyPatch(contact, input);
    return c.json(presentContact(contact));
  })
  .delete("/me/contacts/:id", scopes(...CONTACTS_WRITE), (c) => {
    if (!contactsOf(c).delete(c.req.param("id"))) return contactNotFound();
    return c.body(null, 204);
  })
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
      if (!matches) return graphError(400, "Request_UnsupportedQuery", `Syntax error: invalid $search expression '${search}'. Expected "property:value" clauses.`);
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
      return graphError(404, "Request_ResourceNotFound", `Resource '${c.req.param("id")}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return c.json(selectFields(directoryUserView(c.get("caller"))(userResource(user)), c.req.query("$select")));
  });
