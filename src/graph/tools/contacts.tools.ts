import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath, odataString, searchPhrase } from "../path";
import {
  type Contact,
  CONTACT_SELECT,
  contactLine,
  type DirectoryUser,
  type Person,
  PERSON_SELECT,
  personLine,
  USER_SELECT,
  userLine,
} from "../format/contacts";
import { cursorField, idField, limitField, nextCursorLine, pageRequest } from "./common";
import { CREATE, defineTool, expectOk, READ, ToolError, UPDATE, type ToolContext } from "./types";

/** Outlook contacts (/me/contacts), the People API (/me/people) and the tenant directory (/users). */
const CONTACTS_READ = ["Contacts.Read", "Contacts.ReadWrite"];
const CONTACTS_WRITE = ["Contacts.ReadWrite"];

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

// Limits are checked with refine, which keeps them out of the advertised JSON schema: every
// keyword there (and the long regex of z.email) costs tokens in each tools/list.
const text = (max: number) => z.string().trim().refine((value) => value.length <= max, `at most ${max} characters`);
const required = (what: string, max = 255) => text(max).refine((value) => value.length > 0, `expected ${what}`);
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const email = z.string().trim().refine((value) => EMAIL.test(value), "expected an email address");
// "." and ".." survive graphPath's encoding as dot segments (WHATWG URLs resolve %2E%2E), so refuse them.
const contactId = idField("contact").refine((value) => value !== "." && value !== "..", "not a valid id");
const queryField = required("something to search for");
const optionalText = text(255).optional();

/** Fields create_contact and update_contact share; on update an empty string clears a field. */
const contactFields = {
  surname: optionalText,
  emails: z
    .array(email)
    .refine((emails) => emails.length <= 3, "at most 3")
    .optional()
    .describe("Up to 3; on update they replace the old ones."),
  mobilePhone: text(64).optional(),
  businessPhones: z.array(required("a phone number", 64)).refine((phones) => phones.length <= 5, "at most 5").optional(),
  companyName: optionalText,
  jobTitle: optionalText,
};

type ContactInput = { givenName?: string } & { [K in keyof typeof contactFields]?: z.infer<(typeof contactFields)[K]> };

const SCALAR_FIELDS = ["givenName", "surname", "mobilePhone", "companyName", "jobTitle"] as const;

/** Graph's contact body for the fields given; "" becomes null, which Graph takes as "clear". */
function contactBody(input: ContactInput, displayName?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of SCALAR_FIELDS) if (input[key] !== undefined) body[key] = input[key] === "" ? null : input[key];
  if (input.businessPhones) body.businessPhones = input.businessPhones;
  if (input.emails) body.emailAddresses = input.emails.map((address) => ({ address, name: displayName || address }));
  return body;
}

const fullName = (givenName?: string | null, surname?: string | null) => [givenName, surname].filter(Boolean).join(" ");

/** A search without paging says so when Graph has more, instead of a cursor the tool cannot take. */
function moreLine(body: Page<unknown>): string {
  return body["@odata.nextLink"] ? "\nMore matches exist: raise limit or refine the query." : "";
}

/** Contacts one per line, then what the caller says about further pages. */
async function contactLines(ctx: ToolContext, request: GraphRequest, what: string, empty: string, tail: (body: Page<Contact>) => string | Promise<string>) {
  const body = expectOk<Page<Contact>>(await ctx.graph(request), what);
  const items = body.value ?? [];
  return items.length === 0 ? empty : items.map(contactLine).join("\n") + (await tail(body));
}

export const contactsTools = [
  defineTool({
    name: "list_contacts",
    group: "contacts",
    description: "List your Outlook contacts alphabetically.",
    input: { limit: limitField(), cursor: cursorField },
    scopes: CONTACTS_READ,
    annotations: READ,
    async run(ctx, { limit, cursor }) {
      const first = { method: "GET" as const, path: "/me/contacts", query: { $select: CONTACT_SELECT, $top: String(limit), $orderby: "displayName" } };
      const request = await pageRequest(ctx, cursor, first);
      return contactLines(ctx, request, "list your contacts", "No contacts.", (body) => nextCursorLine(ctx, first, body));
    },
  }),
  defineTool({
    name: "search_contacts",
    group: "contacts",
    description: "Find Outlook contacts whose name or company starts with the query, or by exact email address.",
    input: { query: queryField, limit: limitField() },
    scopes: CONTACTS_READ,
    annotations: READ,
    async run(ctx, { query, limit }) {
      // The contacts list documents no $search (user-list-contacts); it takes $filter, and on
      // emailAddresses only `any` with `eq` on address. So: an address matches exactly, anything
      // else matches the start of a name or the company (startswith, from the $filter reference).
      const literal = odataString(query);
      const filter = EMAIL.test(query)
        ? `emailAddresses/any(a:a/address eq ${literal})`
        : ["displayName", "givenName", "surname", "companyName"].map((field) => `startswith(${field},${literal})`).join(" or ");
      const request = { method: "GET" as const, path: "/me/contacts", query: { $filter: filter, $select: CONTACT_SELECT, $top: String(limit) } };
      return contactLines(ctx, request, "search your contacts", `No contacts match "${query}".`, moreLine);
    },
  }),
  defineTool({
    name: "create_contact",
    group: "contacts",
    description: "Create an Outlook contact.",
    input: { givenName: required("a first name"), ...contactFields },
    scopes: CONTACTS_WRITE,
    annotations: CREATE,
    async run(ctx, input) {
      const displayName = fullName(input.givenName, input.surname);
      const body = { displayName, ...contactBody(input, displayName) };
      const created = expectOk<Contact>(await ctx.graph({ method: "POST", path: "/me/contacts", body }), "create the contact");
      return `Created contact: ${contactLine(created)}`;
    },
  }),
  defineTool({
    name: "update_contact",
    group: "contacts",
    description: "Change an Outlook contact; omitted fields stay, empty strings clear.",
    input: { id: contactId, givenName: optionalText, ...contactFields },
    scopes: CONTACTS_WRITE,
    annotations: UPDATE,
    async run(ctx, { id, ...input }) {
      const path = graphPath`/me/contacts/${id}`;
      const body = contactBody(input);
      if (Object.keys(body).length === 0) throw new ToolError("Nothing to update: give at least one field to change.");
      if (input.givenName !== undefined || input.surname !== undefined) {
        // Graph keeps displayName as stored, so a renamed contact needs it recomputed from both parts.
        const current = expectOk<Contact>(await ctx.graph({ method: "GET", path, query: { $select: "givenName,surname" } }), "read the contact");
        body.displayName = fullName(input.givenName ?? current.givenName, input.surname ?? current.surname);
      }
      // Setting fields to given values is idempotent, so a 503 may be retried.
      const updated = expectOk<Contact>(await ctx.graph({ method: "PATCH", path, body, idempotent: true }), "update the contact");
      return `Updated contact: ${contactLine(updated)}`;
    },
  }),
  defineTool({
    name: "search_people",
    group: "contacts",
    description: "Find people you work with by name or email, most relevant first.",
    input: { query: queryField, limit: limitField() },
    scopes: ["People.Read", "People.Read.All"],
    annotations: READ,
    async run(ctx, { query, limit }) {
      const request = { method: "GET" as const, path: "/me/people", query: { $search: searchPhrase(query), $select: PERSON_SELECT, $top: String(limit) } };
      const body = expectOk<Page<Person>>(await ctx.graph(request), "search people");
      const people = body.value ?? [];
      return people.length === 0 ? `No people match "${query}".` : people.map(personLine).join("\n") + moreLine(body);
    },
  }),
  defineTool({
    name: "search_users",
    group: "contacts",
    description: "Search your organization's directory by name or email.",
    input: { query: queryField, limit: limitField() },
    scopes: ["User.ReadBasic.All", "User.Read.All"],
    annotations: READ,
    async run(ctx, { query, limit }) {
      // Directory $search clauses are "property:value" in double quotes with no escape for quotes; drop them.
      const term = query.replace(/["\\]/g, " ").trim();
      if (!term) throw new ToolError("Invalid arguments: query: expected a name or email");
      const request = {
        method: "GET" as const,
        path: "/users",
        query: { $search: `"displayName:${term}" OR "mail:${term}"`, $select: USER_SELECT, $top: String(limit) },
        // Graph only answers directory $search as an advanced query.
        headers: { ConsistencyLevel: "eventual" },
      };
      const body = expectOk<Page<DirectoryUser>>(await ctx.graph(request), "search the directory");
      const users = body.value ?? [];
      return users.length === 0 ? `No one in your directory matches "${query}".` : users.map(userLine).join("\n") + moreLine(body);
    },
  }),
];
