import { describe, expect, it } from "vitest";
import { TOOL_GROUPS } from "../src/graph/tool-groups";
import { EMULATOR, graph, graphToken } from "./helpers/emulator";
import { colleagueOf, connectedUser, okText as ok, valueIn } from "./helpers/mcp";

/** SharePoint tools through /mcp against the emulator's seeded sites, and the file tools in a site's library. */
type User = Awaited<ReturnType<typeof connectedUser>>;

const EVERY_GROUP = { enabledGroups: [...TOOL_GROUPS] };

async function marketing(user: Pick<User, "callTool">) {
  const siteId = valueIn(await ok(user, "find_sites", { query: "marketing" }), /^Marketing · /, "id");
  const contents = await ok(user, "list_site_contents", { siteId });
  return {
    siteId,
    contents,
    driveId: valueIn(contents, /^Documents · /, "driveId"),
    listId: valueIn(contents, /^Campaign tracker · /, "listId"),
  };
}

const cursorOf = (text: string) => /cursor "([^"]+)"/.exec(text)?.[1];

describe("SharePoint tools", () => {
  it("finds sites by name, and without a query lists the sites the user follows", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const found = await ok(user, "find_sites", { query: "atlas" });
    expect(found).toMatch(
      /^Project Atlas · https:\/\/\S+\/sites\/ProjectAtlas · id: [\w.-]+\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/,
    );
    expect(await ok(user, "find_sites", { query: "no such site anywhere" })).toBe('No sites match "no such site anywhere".');
    const followed = await ok(user, "find_sites");
    expect(followed.split("\n").map((line) => line.split(" · ")[0])).toEqual(["Marketing", "Project Atlas"]);
  });

  it("pages a site search with the returned cursor", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ok(user, "find_sites", { query: "a", limit: 1, ...(cursor ? { cursor } : {}) });
      names.push(
        ...page
          .split("\n")
          .filter((line) => line.includes(" · id: "))
          .map((line) => line.split(" · ")[0] ?? ""),
      );
      cursor = cursorOf(page);
      pages += 1;
    } while (cursor && pages < 10);
    expect(names.sort()).toEqual(["Marketing", "People & HR", "Project Atlas"]);
    expect(pages).toBe(3);
  });

  it("shows a site's libraries with their drive ids and its lists once each, libraries not repeated as lists", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { contents } = await marketing(user);
    expect(contents).toMatch(/^Libraries:\nDocuments · driveId: b!\S+\nLists:\nCampaign tracker · listId: [0-9a-f-]{36}$/);
  });

  it("lists and searches a site's library with the file tools' driveId, each file with a link", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { driveId } = await marketing(user);
    const root = await ok(user, "list_files", { driveId });
    expect(root).toMatch(
      /^Brand guidelines\.md · \d+ B · modified \d{4}-\d\d-\d\d · https:\/\/\S+\/sites\/Marketing\/\S+ · id: 01[A-Z2-7]{32}$/m,
    );
    expect(root).toMatch(/^Campaigns\/ · folder, 2 items · id: 01[A-Z2-7]{32}$/m);
    const campaigns = valueIn(root, /^Campaigns\/ · /, "id");
    const inside = await ok(user, "list_files", { driveId, folderId: campaigns });
    expect(
      inside
        .split("\n")
        .map((line) => line.split(" · ")[0])
        .sort(),
    ).toEqual(["Audience notes.txt", "Spring launch plan.txt"]);
    const found = await ok(user, "search_files", { driveId, query: "webinar" });
    expect(found).toMatch(/^Spring launch plan\.txt · .* · in \/Campaigns · .* · id: 01[A-Z2-7]{32}$/);
    // The user's own OneDrive is another drive: its files are not in the library's search.
    expect(await ok(user, "search_files", { query: "webinar" })).not.toContain("Spring launch plan.txt");
  });

  it("reads a list's items with their own fields, without SharePoint's system columns, page by page", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { siteId, listId } = await marketing(user);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ok(user, "list_items", { siteId, listId, limit: 12, ...(cursor ? { cursor } : {}) });
      const lines = page.split("\n").filter((line) => line.startsWith("#"));
      for (const line of lines) {
        expect(line).toMatch(/^#\d+ · Title: [^·]+ · (?=.*Status: )(?=.*Owner: )(?=.*Budget: \d+).* · modified \d{4}-\d\d-\d\d$/);
        expect(line).not.toMatch(/ContentType|_UIVersion|LookupId|LinkTitle|Compliance|Attachments|Edit:/);
      }
      seen.push(...lines.map((line) => line.split(" · ")[0] ?? ""));
      cursor = cursorOf(page);
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toContain("#30");
  });

  it("answers 404 for a list or site that does not exist, as a tool error with a hint", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { siteId } = await marketing(user);
    const missing = await user.callTool("list_items", { siteId, listId: "00000000-0000-4000-a000-000000000000" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^Could not list the items: Microsoft Graph answered 404 itemNotFound/);
    const noSite = await user.callTool("list_site_contents", { siteId: "contoso.sharepoint.com,1,2" });
    expect(noSite.text).toMatch(/answered 404 itemNotFound/);
  });

  it("refuses a bad site id naming the field, without calling Graph", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    expect(await user.callTool("list_site_contents", { siteId: ".." })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/siteId: /),
    });
    expect(await user.callTool("list_items", { siteId: "a", listId: "" })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/listId: /),
    });
  });

  it("hides the SharePoint tools while the policy leaves the group off, as it does by default", async () => {
    const user = await connectedUser();
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of ["find_sites", "list_site_contents", "list_items"]) expect(names).not.toContain(name);
    expect(await user.callTool("find_sites", { query: "atlas" })).toMatchObject({ isError: true });
    // The file tools' Files.Read reaches the user's own OneDrive only: a library of their own tenant is refused.
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Sites.Read.All"]);
    const sites = (await (await graph(token, "/sites?search=marketing")).json()) as { value: { id: string }[] };
    const drives = await graph(token, `/sites/${encodeURIComponent(sites.value[0]?.id ?? "")}/drives`);
    const driveId = ((await drives.json()) as { value: { id: string }[] }).value[0]?.id ?? "";
    const refused = await user.callTool("list_files", { driveId });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/answered 403 ErrorAccessDenied: .*Required scopes: Files\.Read\.All or /);
  });

  it("never reaches another tenant's library, whatever the user's permissions", async () => {
    const dana = await connectedUser({ policy: EVERY_GROUP });
    const stranger = await connectedUser({ policy: EVERY_GROUP });
    const { driveId } = await marketing(dana);
    const theirs = await marketing(stranger);
    expect(theirs.driveId).not.toBe(driveId);
    const refused = await stranger.callTool("list_files", { driveId });
    expect(refused).toMatchObject({ isError: true, text: expect.stringMatching(/answered 404 itemNotFound/) });
    expect(await stranger.callTool("list_site_contents", { siteId: (await marketing(dana)).siteId })).toMatchObject({
      isError: true,
      text: expect.stringMatching(/answered 404 itemNotFound/),
    });
  });

  it("serves a library file's content through Graph's redirect to a download URL, as for OneDrive", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { driveId } = await marketing(user);
    const fileId = valueIn(await ok(user, "list_files", { driveId }), /^Brand guidelines\.md · /, "id");
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Sites.Read.All"]);
    const path = `/drives/${encodeURIComponent(driveId)}/items/${fileId}/content`;
    const redirect = await fetch(`${EMULATOR()}/v1.0${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: "manual" });
    expect(redirect.status).toBe(302);
    const download = await fetch(redirect.headers.get("location") ?? "");
    expect(download.status).toBe(200);
    expect(await download.text()).toMatch(/^# Brand guidelines\n/);
  });

  it("reads a library file's text with get_file and the library's driveId", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { driveId } = await marketing(user);
    const fileId = valueIn(await ok(user, "list_files", { driveId }), /^Brand guidelines\.md · /, "id");
    const read = await ok(user, "get_file", { driveId, id: fileId });
    expect(read).toMatch(/^Name: Brand guidelines\.md$/m);
    expect(read).toMatch(/^Link: https:\/\/\S+\/sites\/Marketing\/\S+$/m);
    expect(read).toContain("# Brand guidelines");
    // The same item id is not found in the user's own OneDrive: the drive decides where the tool reads.
    const elsewhere = await user.callTool("get_file", { id: fileId });
    expect(elsewhere.isError).toBe(true);
    expect(elsewhere.text).toMatch(/404/);
  });

  it("cannot create a sharing link in a library with read-only SharePoint access", async () => {
    const user = await connectedUser({ policy: EVERY_GROUP });
    const { driveId } = await marketing(user);
    const fileId = valueIn(await ok(user, "list_files", { driveId }), /^Brand guidelines\.md · /, "id");
    const refused = await user.callTool("create_share_link", { driveId, id: fileId });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/answered 403 ErrorAccessDenied/);
  });

  it("refuses a list-items cursor to a colleague, another tenant, and another list", async () => {
    const dana = await connectedUser({ policy: EVERY_GROUP });
    const { siteId, listId } = await marketing(dana);
    const cursor = cursorOf(await ok(dana, "list_items", { siteId, listId, limit: 5 }));
    expect(cursor).toBeTruthy();
    const sam = await colleagueOf(dana);
    const stranger = await connectedUser({ policy: EVERY_GROUP });
    for (const other of [sam, stranger]) {
      expect(await other.callTool("list_items", { siteId, listId, limit: 5, cursor })).toEqual({
        isError: true,
        text: "Invalid arguments: cursor: cursor was not issued for you",
      });
    }
    const risksSite = valueIn(await ok(dana, "find_sites", { query: "atlas" }), /^Project Atlas · /, "id");
    const risks = valueIn(await ok(dana, "list_site_contents", { siteId: risksSite }), /^Risks · /, "listId");
    expect(await dana.callTool("list_items", { siteId: risksSite, listId: risks, cursor })).toEqual({
      isError: true,
      text: "Invalid arguments: cursor: cursor belongs to another listing",
    });
  });
});
