import { describe, expect, it } from "vitest";
import { graph, graphToken, signedInUser } from "../helpers/emulator";

/** The emulator's SharePoint sites as Microsoft documents them: search, followed sites, libraries, lists and list items. */
type List<T> = { value: T[]; "@odata.nextLink"?: string };

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function marketing(token: string) {
  const found = await json<List<{ id: string; displayName: string }>>(await graph(token, "/sites?search=marketing"));
  const site = found.value.find((candidate) => candidate.displayName === "Marketing");
  if (!site) throw new Error("no Marketing site");
  return `/sites/${encodeURIComponent(site.id)}`;
}

describe("emulated SharePoint sites", () => {
  it("needs a search to find sites with delegated permissions, and Sites.Read.All for any site call", async () => {
    const { token, tenantId, user } = await signedInUser(["Sites.Read.All"]);
    const all = await graph(token, "/sites");
    expect(all.status).toBe(400);
    expect(await json<{ error: { code: string } }>(all)).toMatchObject({ error: { code: "ErrorInvalidRequest" } });
    const filesOnly = await graphToken(tenantId, user.oid, ["Files.Read"]);
    expect((await graph(filesOnly, "/sites?search=marketing")).status).toBe(403);
    expect((await graph(filesOnly, "/me/followedSites")).status).toBe(403);
  });

  it("answers a site with Graph's three-part id, its library as a documentLibrary drive, and its lists with their templates", async () => {
    const { token } = await signedInUser(["Sites.Read.All"]);
    const site = await marketing(token);
    const got = await json<{ id: string; webUrl: string }>(await graph(token, site));
    expect(got.id).toMatch(/^[a-z0-9]+\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/);
    const drives = await json<List<{ driveType: string; name: string }>>(await graph(token, `${site}/drives`));
    expect(drives.value).toMatchObject([{ driveType: "documentLibrary", name: "Documents" }]);
    const lists = await json<List<{ list: { template: string } }>>(await graph(token, `${site}/lists`));
    expect(lists.value.map((list) => list.list.template).sort()).toEqual(["documentLibrary", "genericList"]);
    expect((await graph(token, `${site}/lists?$filter=x eq 1`)).status).toBe(400);
  });

  it("pages list items with skip tokens, expands fields with SharePoint's system columns, and bounds $top", async () => {
    const { token } = await signedInUser(["Sites.Read.All"]);
    const site = await marketing(token);
    const lists = await json<List<{ id: string; displayName: string }>>(await graph(token, `${site}/lists`));
    const tracker = lists.value.find((list) => list.displayName === "Campaign tracker")?.id ?? "";
    const items = `${site}/lists/${tracker}/items`;
    const first = await json<List<{ id: string; fields?: Record<string, unknown> }>>(await graph(token, `${items}?expand=fields&$top=10`));
    expect(first.value).toHaveLength(10);
    expect(first.value[0]?.fields).toMatchObject({ Title: expect.any(String), ContentType: "Item", _UIVersionString: "1.0" });
    expect(first["@odata.nextLink"]).toMatch(/(\$|%24)skiptoken=/);
    const bare = await json<List<{ fields?: unknown }>>(await graph(token, `${items}?$top=1`));
    expect(bare.value[0]?.fields).toBeUndefined();
    expect((await graph(token, `${items}?$top=1000`)).status).toBe(400);
    expect((await graph(token, `${site}/lists/00000000-0000-4000-a000-000000000000/items`)).status).toBe(404);
  });

  it("keeps each tenant's sites to itself", async () => {
    const a = await signedInUser(["Sites.Read.All"]);
    const b = await signedInUser(["Sites.Read.All"]);
    const site = await marketing(a.token);
    expect((await graph(b.token, site)).status).toBe(404);
    expect((await graph(b.token, `${site}/drives`)).status).toBe(404);
  });
});
