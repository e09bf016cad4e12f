import { describe, expect, it } from "vitest";
import { TOOL_GROUPS } from "../src/graph/tool-groups";
import { graph, graphToken, signedInUser } from "./helpers/emulator";
import { colleagueOf, connectedUser, okText as ok, valueIn } from "./helpers/mcp";
import { writeDay } from "./helpers/seed-date";

/** The search tool through /mcp over the emulator's Microsoft Search, and the ids it answers fed to the other tools. */

const EVERY_GROUP = { enabledGroups: [...TOOL_GROUPS] };

/** The heading a hit's line sits under (the nearest line above it that ends with a colon). */
function headingOf(text: string, pattern: RegExp): string {
  const lines = text.split("\n");
  const at = lines.findIndex((line) => pattern.test(line));
  const heading = lines.slice(0, Math.max(0, at)).findLast((line) => line.endsWith(":"));
  if (at < 0 || !heading) throw new Error(`no heading for ${pattern} in:\n${text}`);
  return heading;
}

const cursorOf = (text: string) => /cursor "([^"]+)"/.exec(text)?.[1];

describe("search tool", () => {
  it("finds files, list items and sites by default, one line each with the ids the other tools take", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const found = await ok(user, "search", { query: "cutover", limit: 25 });
    expect(found).toMatch(/^Files \(driveId: b!\S+\):$/m);
    expect(found).toMatch(/^Plan\.md · \d+ B · modified \d{4}-\d\d-\d\d · id: 01[A-Z2-7]{32}$/m);
    expect(found).toMatch(/^Migration runbook\.md · .* · id: 01[A-Z2-7]{32}$/m);
    expect(found).toMatch(/^List items \(siteId: \S+, listId: [0-9a-f-]{36}\):\n#\d+ · Cutover overruns the weekend/m);
    // Each drive's long id is written once, in its heading.
    expect(found.match(/driveId: /g)?.length).toBe(new Set(found.match(/driveId: [^)]+/g)).size);
    // A file of the user's own OneDrive opens with get_file.
    const own = await ok(user, "get_file", { id: valueIn(found, /^Plan\.md · /, "id") });
    expect(own).toMatch(/^Name: Plan\.md\n/);
    // A library file's drive id lists its library with the file tools.
    const driveId = /driveId: ([^)]+)\)/.exec(headingOf(found, /^Migration runbook\.md · /))?.[1];
    const library = await ok(user, "list_files", { driveId });
    expect(library).toMatch(/^Migration runbook\.md · /m);
    // A list item's site and list ids read the list, where the item's number is.
    const heading = headingOf(found, /^#\d+ · Cutover overruns/);
    const siteId = /siteId: (\S+), listId/.exec(heading)?.[1] ?? "";
    const listId = /listId: ([0-9a-f-]{36})/.exec(heading)?.[1] ?? "";
    const itemId = /^#(\d+) · Cutover overruns/m.exec(found)?.[1] ?? "";
    expect(await ok(user, "list_items", { siteId, listId })).toMatch(
      new RegExp(`^#${itemId} · Title: Cutover overruns the weekend · `, "m"),
    );
  });

  it("finds a site whose id opens its libraries and lists", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const found = await ok(user, "search", { query: "brand", types: ["site", "driveItem"] });
    expect(found).toMatch(/^Brand guidelines\.md · /m);
    const sites = await ok(user, "search", { query: "campaigns", types: ["site"] });
    expect(sites).toMatch(/^Sites:\nMarketing · https:\/\/\S+\/sites\/Marketing · siteId: \S+$/);
    const contents = await ok(user, "list_site_contents", { siteId: valueIn(sites, /^Marketing · /, "siteId") });
    expect(contents).toMatch(/^Campaign tracker · listId: /m);
  });

  it("searches mail alone, and its ids open with get_message", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const found = await ok(user, "search", { query: "invoice", types: ["message"], limit: 5 });
    expect(found.split("\n")[0]).toBe("Mail:");
    const first = found.split("\n")[1] ?? "";
    expect(first).toMatch(/^.* · \d{4}-\d\d-\d\d · id: \S+$/);
    const message = await user.callTool("get_message", { id: valueIn(first, /id: /, "id") });
    expect(message.isError).toBe(false);
    expect(message.text.toLowerCase()).toContain("invoice");
  });

  it("searches events alone, and its ids open with get_event", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const subject = "Quarzite supplier review";
    await ok(user, "create_event", { subject, start: `${writeDay(3)}T10:00`, end: `${writeDay(3)}T10:30` });
    const found = await ok(user, "search", { query: "quarzite", types: ["event"] });
    expect(found).toMatch(/^Events:\nQuarzite supplier review · \d{4}-\d\d-\d\d \d\d:\d\d UTC · id: \S+$/);
    const event = await ok(user, "get_event", { id: valueIn(found, /^Quarzite/, "id") });
    expect(event).toContain(subject);
  });

  it("pages with a sealed cursor until Microsoft Search has no more", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ok(user, "search", { query: "webinar", types: ["listItem"], limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.split("\n").filter((line) => line.startsWith("#")));
      cursor = cursorOf(page);
      pages += 1;
    } while (cursor && pages < 30);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await ok(user, "search", { query: "webinar", types: ["listItem"], limit: 25 });
    expect(all.split("\n").filter((line) => line.startsWith("#")).length).toBe(seen.length);
  });

  it("refuses a cursor to a colleague, another tenant, another query and another tool", async () => {
    const dana = await connectedUser({ policy: EVERY_GROUP });
    const cursor = cursorOf(await ok(dana, "search", { query: "webinar", types: ["listItem"], limit: 1 }));
    expect(cursor).toBeTruthy();
    const sam = await colleagueOf(dana);
    const stranger = await connectedUser({ policy: EVERY_GROUP });
    for (const other of [sam, stranger]) {
      expect(await other.callTool("search", { query: "webinar", types: ["listItem"], limit: 1, cursor })).toEqual({
        isError: true,
        text: "Invalid arguments: cursor: cursor was not issued for you",
      });
    }
    const anotherListing = { isError: true, text: "Invalid arguments: cursor: cursor belongs to another listing" };
    expect(await dana.callTool("search", { query: "budget", types: ["listItem"], limit: 1, cursor })).toEqual(anotherListing);
    expect(await dana.callTool("search", { query: "webinar", limit: 1, cursor })).toEqual(anotherListing);
    expect(await dana.callTool("list_files", { cursor })).toEqual(anotherListing);
  });

  it("refuses types Microsoft Search cannot combine and blank queries, naming the field", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const mixed = await user.callTool("search", { query: "x", types: ["message", "driveItem"] });
    expect(mixed).toMatchObject({ isError: true, text: expect.stringMatching(/types: message and event each go alone/) });
    const unknown = await user.callTool("search", { query: "x", types: ["chatMessage"] });
    expect(unknown).toMatchObject({ isError: true, text: expect.stringMatching(/types\.0: /) });
    expect(await user.callTool("search", { query: "  " })).toMatchObject({ isError: true, text: expect.stringMatching(/query: /) });
    expect(await ok(user, "search", { query: "zzqx nothing like this" })).toBe('Nothing matches "zzqx nothing like this".');
  });

  it("is hidden while the policy leaves the group off, as it does by default", async () => {
    const user = await connectedUser();
    expect((await user.listTools()).map((tool) => tool.name)).not.toContain("search");
    expect(await user.callTool("search", { query: "cutover" })).toMatchObject({ isError: true });
  });
});

describe("emulated Microsoft Search", () => {
  let owner: { tenantId: string; oid: string } | undefined;
  /** One Entra user for the whole block (no gateway sign-in needed), with a token of exactly `scopes` per call. */
  async function search(scopes: string[], body: unknown) {
    if (!owner) {
      const { tenantId, user } = await signedInUser([]);
      owner = { tenantId, oid: user.oid };
    }
    const token = await graphToken(owner.tenantId, owner.oid, scopes);
    const response = await graph(token, "/search/query", { method: "POST", json: body });
    return {
      status: response.status,
      body: (await response.json()) as { error?: { code: string; message: string } } & Record<string, unknown>,
    };
  }
  const request = (entityTypes: string[], extra: Record<string, unknown> = {}) => ({
    requests: [{ entityTypes, query: { queryString: "cutover" }, ...extra }],
  });

  it("refuses combinations outside Microsoft's interleaving table, and mail or events in several requests", async () => {
    const mixed = await search(["Mail.Read", "Files.Read.All"], request(["message", "driveItem"]));
    expect(mixed).toMatchObject({ status: 400, body: { error: { code: "BadRequest" } } });
    expect(mixed.body.error?.message).toMatch(/combination .* is not supported/);
    const twice = await search(["Mail.Read"], { requests: [request(["message"]).requests[0], request(["message"]).requests[0]] });
    expect(twice.status).toBe(400);
  });

  it("bounds page sizes (25 for mail and events, 500 for SharePoint and OneDrive) and needs a query", async () => {
    expect((await search(["Mail.Read"], request(["message"], { size: 26 }))).status).toBe(400);
    expect((await search(["Files.Read.All"], request(["driveItem"], { size: 501 }))).status).toBe(400);
    expect((await search(["Files.Read.All"], request(["driveItem"], { size: 500 }))).status).toBe(200);
    const empty = await search(["Files.Read.All"], { requests: [{ entityTypes: ["driveItem"], query: { queryString: " " } }] });
    expect(empty.status).toBe(400);
    expect((await search(["Files.Read.All"], { requests: [{ entityTypes: ["driveItem"] }] })).status).toBe(400);
  });

  it("asks each entity type's own permission", async () => {
    expect(await search(["Files.Read"], request(["driveItem"]))).toMatchObject({
      status: 403,
      body: { error: { code: "ErrorAccessDenied" } },
    });
    expect((await search(["Files.Read.All"], request(["site"]))).status).toBe(403);
    expect((await search(["Sites.Read.All"], request(["site", "listItem", "driveItem"]))).status).toBe(200);
    expect((await search(["Files.Read.All"], request(["message"]))).status).toBe(403);
  });

  it("answers an empty container, without hits, when nothing matches", async () => {
    const none = await search(["Files.Read.All"], { requests: [{ entityTypes: ["driveItem"], query: { queryString: "zzqx" } }] });
    expect(none.body).toMatchObject({ value: [{ hitsContainers: [{ total: 0, moreResultsAvailable: false }] }] });
    expect(JSON.stringify(none.body)).not.toContain('"hits"');
  });
});
