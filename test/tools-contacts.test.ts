import { describe, expect, it } from "vitest";
import { emulator, TEST_OIDS } from "./helpers/emulator";
import { connectedUser, injectGraphFault } from "./helpers/mcp";

/** Contacts, people and directory tools through /mcp against the emulator. */
const CONTACT_TOOLS = ["list_contacts", "search_contacts", "create_contact", "update_contact", "search_people", "search_users"];

function idIn(line: string | undefined): string {
  const match = /id: (\S+)$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id in: ${line}`);
  return match[1];
}

async function addColleague(user: Awaited<ReturnType<typeof connectedUser>>, displayName: string, upnLocal: string) {
  const colleague = { oid: TEST_OIDS.sam, userPrincipalName: `${upnLocal}@${user.tenant.slug}.example`, displayName, jobTitle: "Buyer" };
  await emulator.addUser(user.entra.tenantId, colleague);
  return colleague;
}

describe("contacts tools", () => {
  it("lists contacts one per line with ids, and pages with the returned cursor", async () => {
    const user = await connectedUser();
    const first = await user.callTool("list_contacts", { limit: 10 });
    expect(first.isError).toBe(false);
    const lines = first.text.split("\n");
    expect(lines.filter((line) => / · id: /.test(line))).toHaveLength(10);
    expect(lines[0]).toMatch(/^[A-Z][a-z]+ \S+ · [a-z.]+@[a-z-]+\.example/);
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await user.callTool("list_contacts", { limit: 10, cursor });
    expect(second.isError).toBe(false);
    const firstIds = new Set(lines.filter((line) => line.includes(" · id: ")).map(idIn));
    const secondIds = second.text
      .split("\n")
      .filter((line) => line.includes(" · id: "))
      .map(idIn);
    expect(secondIds).toHaveLength(10);
    expect(secondIds.some((id) => firstIds.has(id))).toBe(false);
  });

  it("creates a contact that then appears in list and search results", async () => {
    const user = await connectedUser();
    const created = await user.callTool("create_contact", {
      givenName: "Ada",
      surname: "Lovelace",
      emails: ["ada@analytical.example"],
      mobilePhone: "+44 20 7946 0000",
      companyName: "Analytical Engines",
      jobTitle: "Mathematician",
    });
    expect(created.isError).toBe(false);
    expect(created.text).toMatch(
      /^Created contact: Ada Lovelace · ada@analytical\.example · Mathematician, Analytical Engines · mobile \+44 20 7946 0000 · id: \S+$/,
    );
    const listed = await user.callTool("list_contacts", { limit: 50 });
    expect(listed.text).toContain("Ada Lovelace · ada@analytical.example");
    for (const query of ["ada@analytical.example", "Lovel", "analytical eng"]) {
      const found = await user.callTool("search_contacts", { query });
      expect(found.text.split("\n")).toEqual([created.text.replace("Created contact: ", "")]);
    }
  });

  it("updates only the given fields, recomputes the name and replaces emails", async () => {
    const user = await connectedUser();
    const created = await user.callTool("create_contact", {
      givenName: "Grace",
      surname: "Hopper",
      emails: ["grace@navy.example"],
      jobTitle: "Admiral",
    });
    const id = idIn(created.text);
    const updated = await user.callTool("update_contact", {
      id,
      surname: "Brewster Hopper",
      emails: ["grace@cobol.example"],
      companyName: "COBOL Ltd",
    });
    expect(updated.isError).toBe(false);
    expect(updated.text).toBe(`Updated contact: Grace Brewster Hopper · grace@cobol.example · Admiral, COBOL Ltd · id: ${id}`);
    const cleared = await user.callTool("update_contact", { id, jobTitle: "" });
    expect(cleared.text).toBe(`Updated contact: Grace Brewster Hopper · grace@cobol.example · COBOL Ltd · id: ${id}`);
    expect((await user.callTool("search_contacts", { query: "grace@navy.example" })).text).toBe('No contacts match "grace@navy.example".');
  });

  it("refuses an update with nothing to change", async () => {
    const user = await connectedUser();
    const id = idIn((await user.callTool("list_contacts", { limit: 1 })).text.split("\n")[0]);
    const result = await user.callTool("update_contact", { id });
    expect(result).toEqual({ isError: true, text: "Nothing to update: give at least one field to change." });
  });

  it("searches contacts by company and says when nothing matches, even with quotes in the query", async () => {
    const user = await connectedUser();
    // The seeded contacts pick their companies at random, and about one mailbox in 24 (0.9^30) has none at Kestrel Freight.
    const ensured = await user.callTool("create_contact", {
      givenName: "Wren",
      surname: "Alder",
      emails: ["wren.alder@kestrelfreight.example"],
      companyName: "Kestrel Freight",
    });
    expect(ensured.isError).toBe(false);
    const found = await user.callTool("search_contacts", { query: "Kestrel", limit: 50 });
    expect(found.isError).toBe(false);
    expect(found.text).toContain("Wren Alder");
    for (const line of found.text.split("\n")) expect(line).toMatch(/Kestrel Freight|kestrelfreight/);
    const none = await user.callTool("search_contacts", { query: 'O"Brien \\ x' });
    expect(none).toEqual({ isError: false, text: 'No contacts match "O"Brien \\ x".' });
  });

  it("finds colleagues with search_people and search_users", async () => {
    const user = await connectedUser();
    const colleague = await addColleague(user, "Sam Okafor", "sam.okafor");
    const people = await user.callTool("search_people", { query: "okafor" });
    expect(people).toEqual({ isError: false, text: `Sam Okafor · ${colleague.userPrincipalName} · Buyer, Test org` });
    const byName = await user.callTool("search_users", { query: "Okafor" });
    // User.ReadBasic.All reads the basic profile of others: no job title.
    // The directory id comes last, for the calls that take a user id (presence, chats).
    expect(byName).toEqual({ isError: false, text: `Sam Okafor · ${colleague.userPrincipalName} · id: ${colleague.oid}` });
    const byMail = await user.callTool("search_users", { query: "sam.okafor@" });
    expect(byMail.text).toContain("Sam Okafor");
    expect((await user.callTool("search_users", { query: '"nobody"' })).text).toBe('No one in your directory matches ""nobody"".');
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    const missing = await user.callTool("create_contact", { surname: "Nobody" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/Invalid arguments.*: givenName:/);
    const badEmail = await user.callTool("create_contact", { givenName: "A", emails: ["not-an-email"] });
    expect(badEmail.text).toContain("emails.0: expected an email address");
    const badLimit = await user.callTool("list_contacts", { limit: 500 });
    expect(badLimit.text).toMatch(/Invalid arguments.*: limit:/);
    const emptyQuery = await user.callTool("search_users", { query: "  " });
    expect(emptyQuery.text).toMatch(/Invalid arguments.*: query:/);
  });

  it("answers unknown ids with Graph's 404 and keeps path tricks inside their segment", async () => {
    const user = await connectedUser();
    for (const id of ["AAMkAGI2-unknown", "../../users/x", "..%2F..%2Fusers"]) {
      const result = await user.callTool("update_contact", { id, jobTitle: "x" });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("Microsoft Graph answered 404");
      expect(result.text).toContain("Hint: The item does not exist");
    }
    const dots = await user.callTool("update_contact", { id: "..", jobTitle: "x" });
    expect(dots.isError).toBe(true);
    expect(dots.text).toMatch(/Invalid arguments.*: id: expected the contact id from a previous call/);
  });

  it("hides write tools under a read-only policy and refuses to run them", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    const names = (await user.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["list_contacts", "search_contacts", "search_people", "search_users"]));
    expect(names).not.toContain("create_contact");
    expect(names).not.toContain("update_contact");
    const refused = await user.callTool("create_contact", { givenName: "Eve" });
    expect(refused.isError).toBe(true);
    expect((await user.callTool("search_contacts", { query: "Eve" })).text).toBe('No contacts match "Eve".');
  });

  it("drops every contacts tool when the group is disabled", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["files"] } });
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of CONTACT_TOOLS) expect(names).not.toContain(name);
    expect((await user.callTool("list_contacts")).isError).toBe(true);
  });

  it("carries honest annotations", async () => {
    const user = await connectedUser();
    const tools = new Map((await user.listTools()).map((tool) => [tool.name, tool.annotations]));
    for (const name of ["list_contacts", "search_contacts", "search_people", "search_users"])
      expect(tools.get(name)?.readOnlyHint).toBe(true);
    expect(tools.get("create_contact")).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(tools.get("update_contact")).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
  });

  it("recovers from Graph throttling", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me/contacts" });
    const result = await user.callTool("list_contacts", { limit: 3 });
    expect(result.isError).toBe(false);
    expect(result.text.split("\n").filter((line) => line.includes(" · id: "))).toHaveLength(3);
  });
});
