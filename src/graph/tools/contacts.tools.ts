import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath, odataString, searchPhrase } from "../path";
import { type Contact, CONTACT_SELECT, contactLine, PERSON_SELECT, personLine, USER_SELECT, userLine } from "../format/contacts";
import { cursorField, emailField, idField, isEmailAddress, limitField, listPage, MORE_MATCHES, textField } from "./common";
import { CREATE, defineTool, expectOk, READ, ToolError, UPDATE } from "./types";

/** @module Outlook contacts (/me/contacts), the People API (/me/people) and the tenant directory (/users). */

const CONTACTS_READ = ["Contacts.Read", "Contacts.ReadWrite"];
const CONTACTS_WRITE = ["Contacts.ReadWrite"];

const contactId = idField("contact");
const queryField = textField(255, { expected: "something to search for" });
const optionalText = textField(255).optional();

/** Fields create_contact and update_contact share; on update an empty string clears a field. */
const contactFields = {
  surname: optionalText,
  emails: z.array(emailField).max(3, "at most 3").optional().describe("Up to 3; on update they replace the old ones."),
  mobilePhone: textField(64).optional(),
  businessPhones: z
    .array(textField(64, { expected: "a phone number" }))
    .max(5, "at most 5")
    .optional(),
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

export const contactsTools = [
  defineTool({
    name: "list_contacts",
    group: "contacts",
    description: "List your Outlook contacts alphabetically.",
    input: { limit: limitField(50), cursor: cursorField },
    scopes: CONTACTS_READ,
    annotations: READ,
    audit: { options: ["cursor"] },
    async run(ctx, { limit, cursor }) {
      const first: GraphRequest = {
        method: "GET",
        path: "/me/contacts",
        query: { $select: CONTACT_SELECT, $top: String(limit), $orderby: "displayName" },
      };
      return listPage(ctx, first, { cursor, what: "list your contacts", empty: "No contacts.", line: contactLine });
    },
  }),
  defineTool({
    name: "search_contacts",
    group: "contacts",
    description: "Find Outlook contacts whose name or company starts with the query, or by exact email address.",
    input: { query: queryField, limit: limitField(50) },
    scopes: CONTACTS_READ,
    annotations: READ,
    audit: { text: ["query"] },
    async run(ctx, { query, limit }) {
      // The contacts list documents no $search (user-list-contacts); it takes $filter, and on
      // emailAddresses only `any` with `eq` on address. So: an address matches exactly, anything
      // else matches the start of a name or the company (startswith, from the $filter reference).
      const literal = odataString(query);
      const filter = isEmailAddress(query)
        ? `emailAddresses/any(a:a/address eq ${literal})`
        : ["displayName", "givenName", "surname", "companyName"].map((field) => `startswith(${field},${literal})`).join(" or ");
      const request: GraphRequest = {
        method: "GET",
        path: "/me/contacts",
        query: { $filter: filter, $select: CONTACT_SELECT, $top: String(limit) },
      };
      return listPage(ctx, request, {
        what: "search your contacts",
        empty: `No contacts match "${query}".`,
        line: contactLine,
        more: MORE_MATCHES,
      });
    },
  }),
  defineTool({
    name: "create_contact",
    group: "contacts",
    description: "Create an Outlook contact.",
    input: { givenName: textField(255, { expected: "a first name" }), ...contactFields },
    scopes: CONTACTS_WRITE,
    annotations: CREATE,
    audit: { text: ["givenName", "surname", "emails", "mobilePhone", "businessPhones", "companyName", "jobTitle"], creates: true },
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
    audit: { targets: ["id"], text: ["givenName", "surname", "emails", "mobilePhone", "businessPhones", "companyName", "jobTitle"] },
    async run(ctx, { id, ...input }) {
      const path = graphPath`/me/contacts/${id}`;
      const body = contactBody(input);
      if (Object.keys(body).length === 0) throw new ToolError("Nothing to update: give at least one field to change.");
      if (input.givenName !== undefined || input.surname !== undefined) {
        // Graph keeps displayName as stored, so a renamed contact needs it recomputed from both parts.
        const current = expectOk<Contact>(
          await ctx.graph({ method: "GET", path, query: { $select: "givenName,surname" } }),
          "read the contact",
        );
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
    input: { query: queryField, limit: limitField(50) },
    scopes: ["People.Read", "People.Read.All"],
    annotations: READ,
    audit: { text: ["query"] },
    async run(ctx, { query, limit }) {
      const request: GraphRequest = {
        method: "GET",
        path: "/me/people",
        query: { $search: searchPhrase(query), $select: PERSON_SELECT, $top: String(limit) },
      };
      return listPage(ctx, request, { what: "search people", empty: `No people match "${query}".`, line: personLine, more: MORE_MATCHES });
    },
  }),
  defineTool({
    name: "search_users",
    group: "contacts",
    description: "Search your organization's directory by name or email; answers user ids.",
    input: { query: queryField, limit: limitField(50) },
    scopes: ["User.ReadBasic.All", "User.Read.All"],
    annotations: READ,
    audit: { text: ["query"] },
    async run(ctx, { query, limit }) {
      // Directory $search clauses are "property:value" in double quotes with no escape for quotes; drop them.
      const term = query.replace(/["\\]/g, " ").trim();
      if (!term) throw new ToolError("Invalid arguments: query: expected a name or email");
      const request: GraphRequest = {
        method: "GET",
        path: "/users",
        query: { $search: `"displayName:${term}" OR "mail:${term}"`, $select: USER_SELECT, $top: String(limit) },
        // Graph only answers directory $search as an advanced query.
        headers: { ConsistencyLevel: "eventual" },
      };
      return listPage(ctx, request, {
        what: "search the directory",
        empty: `No one in your directory matches "${query}".`,
        line: userLine,
        more: MORE_MATCHES,
      });
    },
  }),
];
