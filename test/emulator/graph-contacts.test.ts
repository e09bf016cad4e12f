import { describe, expect, it } from "vitest";
import { foreignUser, graph, graphToken, signedInUser } from "../helpers/emulator";

interface Contact {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  companyName: string | null;
  jobTitle: string | null;
  emailAddresses: { name: string; address: string }[];
  businessPhones: string[];
  createdDateTime: string;
  lastModifiedDateTime: string;
}
interface Person {
  id: string;
  displayName: string;
  userPrincipalName: string;
  scoredEmailAddresses: { address: string; relevanceScore: number }[];
  personType: { class: string; subclass: string };
}
interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
}
type List<T> = { value: T[]; "@odata.nextLink"?: string };

async function list<T>(token: string, path: string, headers?: Record<string, string>): Promise<List<T>> {
  const response = await graph(token, path, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as List<T>;
}

/** Follows @odata.nextLink to the end, as a Graph client does. */
async function allPages<T>(token: string, path: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const page: List<T> = await list<T>(token, next);
    items.push(...page.value);
    pages += 1;
    const link = page["@odata.nextLink"];
    next = link ? link.slice(link.indexOf("/v1.0") + "/v1.0".length) : undefined;
  }
  return { items, pages };
}

describe("emulated Graph contacts", () => {
  it("lists seeded contacts in Graph's shape, paging with @odata.nextLink", async () => {
    const { token } = await signedInUser(["Contacts.Read"]);
    const first = await list<Contact>(token, "/me/contacts");
    expect(first.value).toHaveLength(10);
    expect(first["@odata.nextLink"]).toContain("%24skip=10");
    const contact = first.value[0];
    expect(contact).toMatchObject({ id: expect.any(String), displayName: expect.any(String), businessPhones: expect.any(Array) });
    expect(contact?.emailAddresses[0]?.address).toMatch(/@[\w-]+\.example$/);
    expect(Date.parse(contact?.createdDateTime ?? "")).not.toBeNaN();
    const { items, pages } = await allPages<Contact>(token, "/me/contacts?$top=7");
    expect(pages).toBe(5);
    expect(new Set(items.map((c) => c.id)).size).toBe(30);
  });

  it("honours $select and $filter, including an address by emailAddresses/any", async () => {
    const { token } = await signedInUser(["Contacts.Read"]);
    const selected = await list<Record<string, unknown>>(token, "/me/contacts?$select=displayName,companyName&$top=3");
    for (const item of selected.value) expect(Object.keys(item).sort()).toEqual(["companyName", "displayName", "id"]);
    const sample = (await list<Contact>(token, "/me/contacts?$top=1")).value[0];
    const initial = sample?.displayName.charAt(0) ?? "";
    const filtered = await list<Contact>(token, `/me/contacts?$filter=startswith(displayName,'${initial}')&$top=50`);
    expect(filtered.value.length).toBeGreaterThan(0);
    for (const item of filtered.value) expect(item.displayName.startsWith(initial)).toBe(true);
    const address = sample?.emailAddresses[0]?.address ?? "";
    const byAddress = await list<Contact>(
      token,
      `/me/contacts?$filter=${encodeURIComponent(`emailAddresses/any(a:a/address eq '${address}')`)}`,
    );
    expect(byAddress.value.map((item) => item.id)).toEqual([sample?.id]);
  });

  it.each([
    ["$search, which the contacts list does not document", `$search="${encodeURIComponent("Contoso")}"`, "BadRequest"],
    [
      "startswith on an address",
      `$filter=${encodeURIComponent("emailAddresses/any(a:startswith(a/address,'a'))")}`,
      "ErrorInvalidUrlQueryFilter",
    ],
    [
      "a filter on an address's name",
      `$filter=${encodeURIComponent("emailAddresses/any(a:a/name eq 'Ada')")}`,
      "ErrorInvalidUrlQueryFilter",
    ],
  ])("refuses %s", async (_why, query, code) => {
    const { token } = await signedInUser(["Contacts.Read"]);
    const response = await graph(token, `/me/contacts?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("creates, reads, updates and deletes a contact", async () => {
    const { token } = await signedInUser(["Contacts.ReadWrite"]);
    const created = await graph(token, "/me/contacts", {
      json: {
        givenName: "Odile",
        surname: "Marchetti",
        emailAddresses: [{ address: "odile@lanternworks.example" }],
        businessPhones: ["+1 555 0142"],
      },
    });
    expect(created.status).toBe(201);
    const contact = (await created.json()) as Contact;
    expect(contact).toMatchObject({
      displayName: "Odile Marchetti",
      emailAddresses: [{ name: "odile@lanternworks.example", address: "odile@lanternworks.example" }],
    });
    expect(((await (await graph(token, `/me/contacts/${contact.id}`)).json()) as Contact).surname).toBe("Marchetti");
    const patched = await graph(token, `/me/contacts/${contact.id}`, {
      method: "PATCH",
      json: { jobTitle: "Archivist", companyName: "Lanternworks" },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: contact.id, jobTitle: "Archivist", companyName: "Lanternworks", givenName: "Odile" });
    const all = await allPages<Contact>(token, "/me/contacts?$top=50");
    expect(all.items.some((c) => c.id === contact.id)).toBe(true);
    expect((await graph(token, `/me/contacts/${contact.id}`, { method: "DELETE" })).status).toBe(204);
    const gone = await graph(token, `/me/contacts/${contact.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: "ErrorItemNotFound" } });
  });

  it("answers 400 in Graph's shape for an invalid body", async () => {
    const { token } = await signedInUser(["Contacts.ReadWrite"]);
    const unknownField = await graph(token, "/me/contacts", { json: { displayName: "X", favouriteColour: "teal" } });
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({ error: { code: "BadRequest" } });
    const badEmails = await graph(token, "/me/contacts", { json: { emailAddresses: "nobody@example.com" } });
    expect(badEmails.status).toBe(400);
  });

  it("requires Contacts.Read to read and Contacts.ReadWrite to write", async () => {
    const { token, tenantId, user } = await signedInUser(["Contacts.Read"]);
    const write = await graph(token, "/me/contacts", { json: { displayName: "Nope" } });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
    const id = (await list<Contact>(token, "/me/contacts?$top=1")).value[0]?.id ?? "";
    expect((await graph(token, `/me/contacts/${id}`, { method: "DELETE" })).status).toBe(403);
    const none = await graphToken(tenantId, user.oid, ["Mail.Read"]);
    expect((await graph(none, "/me/contacts")).status).toBe(403);
  });

  it("never resolves another user's or another tenant's contact ids", async () => {
    const { token, tenantId, other } = await signedInUser(["Contacts.ReadWrite"]);
    const id = (await list<Contact>(token, "/me/contacts?$top=1")).value[0]?.id ?? "";
    const colleague = await graphToken(tenantId, other.oid, ["Contacts.ReadWrite"]);
    expect((await graph(colleague, `/me/contacts/${id}`)).status).toBe(404);
    expect((await graph(colleague, `/me/contacts/${id}`, { method: "PATCH", json: { jobTitle: "x" } })).status).toBe(404);
    expect((await graph(colleague, `/me/contacts/${id}`, { method: "DELETE" })).status).toBe(404);
    const foreign = await signedInUser(["Contacts.ReadWrite"]);
    expect((await graph(foreign.token, `/me/contacts/${id}`)).status).toBe(404);
    expect((await graph(token, `/me/contacts/..%2F..%2Fusers%2F${other.oid}%2Fcontacts`)).status).toBe(404);
    expect((await graph(token, `/me/contacts/${id}`)).status).toBe(200);
  });
});

describe("emulated Graph people", () => {
  it("ranks colleagues and frequent contacts by relevance", async () => {
    const { token, other } = await signedInUser(["People.Read"]);
    const people = await list<Person>(token, "/me/people?$top=100");
    const colleague = people.value.find((p) => p.id === other.oid);
    expect(colleague).toMatchObject({
      displayName: other.displayName,
      userPrincipalName: other.userPrincipalName,
      personType: { class: "Person", subclass: "OrganizationUser" },
    });
    expect(people.value.some((p) => p.personType.subclass === "PersonalContact")).toBe(true);
    const scores = people.value.map((p) => p.scoredEmailAddresses[0]?.relevanceScore ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const searched = await list<Person>(token, `/me/people?$search="${other.displayName.slice(0, 3)}"`);
    expect(searched.value[0]?.id).toBe(other.oid);
    const paged = await list<Person>(token, "/me/people?$top=2&$select=displayName");
    expect(paged.value).toHaveLength(2);
    expect(paged["@odata.nextLink"]).toBeDefined();
    expect(Object.keys(paged.value[0] ?? {}).sort()).toEqual(["displayName", "id"]);
  });

  it("requires People.Read and never shows another tenant's users", async () => {
    const { token } = await signedInUser(["People.Read"]);
    const outsider = await foreignUser("Morgan Reyes");
    const searched = await list<Person>(token, `/me/people?$search="Morgan"&$top=100`);
    expect(searched.value.some((p) => p.id === outsider.oid || p.displayName === outsider.displayName)).toBe(false);
    const noScope = await signedInUser(["Contacts.Read"]);
    expect((await graph(noScope.token, "/me/people")).status).toBe(403);
  });
});

describe("emulated Graph users", () => {
  it("lists only the caller's tenant, with $filter, $select and paging", async () => {
    const { token, user, other } = await signedInUser(["User.ReadBasic.All"]);
    const users = await list<User>(token, "/users");
    expect(users.value.map((u) => u.id).sort()).toEqual([user.oid, other.oid].sort());
    const filtered = await list<User>(token, `/users?$filter=startswith(displayName,'${other.displayName.slice(0, 2)}')`);
    expect(filtered.value.map((u) => u.id)).toEqual([other.oid]);
    const selected = await list<Record<string, unknown>>(token, "/users?$select=userPrincipalName&$top=1");
    expect(selected.value).toHaveLength(1);
    expect(Object.keys(selected.value[0] ?? {}).sort()).toEqual(["id", "userPrincipalName"]);
    // The directory pages with an opaque $skiptoken and does not take $skip.
    expect(selected["@odata.nextLink"]).toMatch(/%24skiptoken=[\w-]+/);
    expect(selected["@odata.nextLink"]).not.toContain("%24skip=");
  });

  it("requires ConsistencyLevel: eventual for $search, as Graph does", async () => {
    const { token, other } = await signedInUser(["User.Read.All"]);
    const surname = other.displayName.split(" ")[1] ?? "";
    const refused = await graph(token, `/users?$search="displayName:${surname}"`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "Request_UnsupportedQuery" } });
    const found = await list<User>(token, `/users?$search="displayName:${surname.slice(0, 3)}"`, { ConsistencyLevel: "eventual" });
    expect(found.value.map((u) => u.id)).toEqual([other.oid]);
    const either = await list<User>(token, `/users?$search="displayName:zzz" OR "mail:${other.userPrincipalName.slice(0, 3)}"`, {
      ConsistencyLevel: "eventual",
    });
    expect(either.value.map((u) => u.id)).toEqual([other.oid]);
    const malformed = await graph(token, "/users?$search=justtext", { headers: { ConsistencyLevel: "eventual" } });
    expect(malformed.status).toBe(400);
    expect((await graph(token, "/users?$count=true")).status).toBe(400);
    const counted = await graph(token, "/users?$count=true&$top=1", { headers: { ConsistencyLevel: "eventual" } });
    expect(await counted.json()).toMatchObject({ "@odata.count": 2 });
  });

  it("gets a user by id or userPrincipalName, never one of another tenant", async () => {
    const { token, other } = await signedInUser(["User.ReadBasic.All"]);
    expect(await (await graph(token, `/users/${other.oid}`)).json()).toMatchObject({ id: other.oid, displayName: other.displayName });
    expect(await (await graph(token, `/users/${other.userPrincipalName}?$select=displayName`)).json()).toEqual({
      id: other.oid,
      displayName: other.displayName,
    });
    const outsider = await foreignUser("Morgan Reyes");
    const missing = await graph(token, `/users/${outsider.oid}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect((await graph(token, `/users/${encodeURIComponent(outsider.userPrincipalName)}`)).status).toBe(404);
    const foreignList = await list<User>(token, "/users?$top=999");
    expect(foreignList.value.some((u) => u.id === outsider.oid)).toBe(false);
  });

  it("requires a directory scope", async () => {
    const { token, other } = await signedInUser(["User.Read"]);
    expect((await graph(token, "/users")).status).toBe(403);
    expect((await graph(token, `/users/${other.oid}`)).status).toBe(403);
  });
});
