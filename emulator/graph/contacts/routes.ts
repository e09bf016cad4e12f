import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { type FilterNode, filterNodes } from "../odata-filter";
import { opaqueId } from "../random";
import { ContactInput, type ContactPatch } from "./input";
import { changeKey, type ContactRecord, isoSeconds, presentContact } from "./model";
import { seedContacts } from "./seed";

/**
 * @module
 * Graph v1.0 contacts (/me/contacts): the caller's own Outlook contacts,
 * seeded on first use, so another user's contact id answers 404.
 */
const CONTACTS_READ = ["Contacts.Read", "Contacts.ReadWrite"];
const CONTACTS_WRITE = ["Contacts.ReadWrite"];

export function contactsStore(c: Context<GraphEnv>) {
  const { tenant, user } = c.get("caller");
  return c.get("graph").forUser("contacts", tenant.tenantId, user, (owner, day) => seedContacts(tenant.tenantId, owner, day));
}

export const contactsOf = (c: Context<GraphEnv>) => contactsStore(c).contacts;

function applyPatch(contact: ContactRecord, patch: ContactPatch): void {
  const { emailAddresses, ...fields } = patch;
  Object.assign(contact, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)));
  if (emailAddresses)
    contact.emailAddresses = emailAddresses.map((email) => ({ name: email.name ?? email.address, address: email.address }));
  contact.lastModifiedDateTime = isoSeconds(Date.now());
  contact.changeKey = changeKey(`${contact.id}:${crypto.randomUUID()}`);
}

const contactNotFound = () => GRAPH_ERRORS.notFound("The specified object was not found in the store.");

/**
 * The contacts list takes `$filter` on `emailAddresses` only as
 * `emailAddresses/any(a:a/address eq '…')`: no other operator, function or
 * sub-property, as its API reference says.
 */
function contactsFilter(tree: FilterNode): Response | undefined {
  const refuse = () => graphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
  const onAddresses = (operand: { kind: string; path?: string[] }) =>
    operand.kind === "path" && operand.path?.[0]?.toLowerCase() === "emailaddresses";
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
    listResponse(c, [...contactsOf(c).values()], {
      ...QUERY_RULES.outlook,
      checkFilter: contactsFilter,
      defaultOrderBy: "displayName",
      present: presentContact,
    }),
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
  });
