import { describe, expect, it } from "vitest";
import { graph, graphToken, signedInUser } from "../helpers/emulator";

interface DriveItem {
  id: string;
  name: string;
  size: number;
  webUrl: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  parentReference: { driveId: string; id?: string; path?: string };
  file?: { mimeType: string };
  folder?: { childCount: number };
  createdBy: { user: { id: string; displayName: string } };
}
interface Permission {
  id: string;
  roles: string[];
  link: { type: string; scope: string; webUrl: string };
}
type List<T> = { value: T[]; "@odata.nextLink"?: string };

async function json<T>(token: string, path: string): Promise<T> {
  const response = await graph(token, path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe("emulated Graph OneDrive", () => {
  it("serves the drive, its root and the root's children in Graph's shapes", async () => {
    const { token, user } = await signedInUser(["Files.Read"]);
    const drive = await json<{ id: string; driveType: string; owner: { user: { id: string } }; quota: { used: number; total: number } }>(
      token,
      "/me/drive",
    );
    expect(drive).toMatchObject({ driveType: "business", owner: { user: { id: user.oid } } });
    expect(drive.quota.used).toBeGreaterThan(5 * 1024 * 1024);
    const root = await json<DriveItem & { root: object }>(token, "/me/drive/root");
    expect(root).toMatchObject({ name: "root", root: {}, parentReference: { driveId: drive.id } });
    const children = await json<List<DriveItem>>(token, "/me/drive/root/children");
    expect(children.value.map((item) => item.name)).toEqual(expect.arrayContaining(["Documents", "Projects", "Shared", "Welcome.txt"]));
    const documents = children.value.find((item) => item.name === "Documents");
    expect(documents?.folder?.childCount).toBeGreaterThan(0);
    expect(documents?.parentReference).toMatchObject({ driveId: drive.id, id: root.id, path: "/drive/root:" });
    const welcome = children.value.find((item) => item.name === "Welcome.txt");
    expect(welcome).toMatchObject({ file: { mimeType: "text/plain" }, createdBy: { user: { id: user.oid } } });
    expect(welcome?.webUrl).toMatch(/^https:\/\/.+-my\.sharepoint\.com\/personal\//);
  });

  it("addresses items by id and by path, with paging and $select", async () => {
    const { token } = await signedInUser(["Files.Read.All"]);
    const plan = await json<DriveItem>(token, "/me/drive/root:/Projects/Atlas%20migration/Plan.md");
    expect(plan).toMatchObject({
      name: "Plan.md",
      file: { mimeType: "text/markdown" },
      parentReference: { path: "/drive/root:/Projects/Atlas migration" },
    });
    expect((await json<DriveItem>(token, `/me/drive/items/${plan.id}`)).name).toBe("Plan.md");
    const folder = await json<DriveItem>(token, "/me/drive/root:/projects/atlas%20migration:");
    expect(folder.folder?.childCount).toBe(7);
    const byPath = await json<List<DriveItem>>(token, "/me/drive/root:/Projects/Atlas%20migration:/children?$top=3&$select=name,size");
    expect(byPath.value).toHaveLength(3);
    for (const item of byPath.value) expect(Object.keys(item).sort()).toEqual(["id", "name", "size"]);
    expect(byPath["@odata.nextLink"]).toMatch(/%24skiptoken=[\w-]+/);
    const paged = [...byPath.value];
    for (let next = byPath["@odata.nextLink"]; next;) {
      const page: List<DriveItem> = await json<List<DriveItem>>(token, next.slice(next.indexOf("/v1.0") + 5));
      paged.push(...page.value);
      next = page["@odata.nextLink"];
    }
    const byId = await json<List<DriveItem>>(token, `/me/drive/items/${folder.id}/children?$top=50`);
    expect(byId["@odata.nextLink"]).toBeUndefined();
    expect(byId.value.map((item) => item.name)).toEqual(paged.map((item) => item.name));
    const names = byId.value.map((item) => item.name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it("searches names and text content, parsing q with escaped quotes", async () => {
    const { token } = await signedInUser(["Files.Read"]);
    const byName = await json<List<DriveItem>>(token, "/me/drive/root/search(q='sensor')?$select=name");
    expect(byName.value.map((item) => item.name)).toContain("sensor-readings-2025.csv");
    const quoted = await json<List<DriveItem>>(token, "/me/drive/root/search(q='team''s')");
    expect(quoted.value.map((item) => item.name)).toEqual(["Onboarding guide.md"]);
    const encoded = await json<List<DriveItem>>(token, "/me/drive/root/search(q=%27team%27%27s%20handbook%27)");
    expect(encoded.value.map((item) => item.name)).toEqual(["Onboarding guide.md"]);
    const scoped = await json<List<DriveItem>>(token, "/me/drive/root:/Documents:/search(q='sensor')");
    expect(scoped.value).toEqual([]);
    const paged = await json<List<DriveItem>>(token, "/me/drive/search(q='.md')?$top=2");
    expect(paged.value).toHaveLength(2);
    expect(paged["@odata.nextLink"]).toBeDefined();
    expect((await graph(token, "/me/drive/root/search(q=unquoted)")).status).toBe(400);
  });

  it("creates sharing links with Files.ReadWrite, reusing an existing one", async () => {
    const { token, tenantId, user } = await signedInUser(["Files.ReadWrite"]);
    const item = await json<DriveItem>(token, "/me/drive/root:/Shared/Handbook.pdf");
    const created = await graph(token, `/me/drive/items/${item.id}/createLink`, { json: { type: "view", scope: "anonymous" } });
    expect(created.status).toBe(201);
    const link = (await created.json()) as Permission;
    expect(link).toMatchObject({
      roles: ["read"],
      link: { type: "view", scope: "anonymous", webUrl: expect.stringMatching(/^https:\/\/.+sharepoint\.com\/:b:\//) },
    });
    const again = await graph(token, `/me/drive/items/${item.id}/createLink`, { json: { type: "view", scope: "anonymous" } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Permission).id).toBe(link.id);
    const edit = await graph(token, "/me/drive/root:/Shared:/createLink", { json: { type: "edit", scope: "organization" } });
    expect(edit.status).toBe(201);
    expect(((await edit.json()) as Permission).roles).toEqual(["write"]);
    expect((await graph(token, `/me/drive/items/${item.id}/createLink`, { json: { type: "share" } })).status).toBe(400);
    const readOnly = await graphToken(tenantId, user.oid, ["Files.Read.All"]);
    const denied = await graph(readOnly, `/me/drive/items/${item.id}/createLink`, { json: { type: "view" } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
  });

  it("answers itemNotFound for unknown ids and never reaches another user's or tenant's files", async () => {
    const { token, tenantId, other } = await signedInUser(["Files.ReadWrite.All"]);
    const drive = await json<{ id: string }>(token, "/me/drive");
    const plan = await json<DriveItem>(token, "/me/drive/root:/Projects/Atlas%20migration/Plan.md");
    const unknown = await graph(token, "/me/drive/items/01UNKNOWNUNKNOWNUNKNOWNUNKNOWNUNKN");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "itemNotFound" } });
    expect((await graph(token, "/me/drive/root:/Projects/Nope.txt")).status).toBe(404);
    expect((await graph(token, "/me/drive/items/..%2F..%2Fusers%2Fx")).status).toBe(404);
    expect((await graph(token, "/me/drive/root:/Projects/..%2F..%2FWelcome.txt")).status).toBe(404);
    const colleague = await graphToken(tenantId, other.oid, ["Files.ReadWrite.All"]);
    for (const path of [`/me/drive/items/${plan.id}`, `/me/drive/items/${plan.id}/content`, `/drives/${drive.id}/items/${plan.id}`]) {
      expect((await graph(colleague, path)).status, path).toBe(404);
    }
    expect((await graph(colleague, `/me/drive/items/${plan.id}/createLink`, { json: { type: "view" } })).status).toBe(404);
    const foreign = await signedInUser(["Files.ReadWrite.All"]);
    expect((await graph(foreign.token, `/me/drive/items/${plan.id}`)).status).toBe(404);
    expect((await graph(foreign.token, `/drives/${encodeURIComponent(drive.id)}/root/children`)).status).toBe(404);
    expect((await graph(token, `/drives/${encodeURIComponent(drive.id)}/items/${plan.id}`)).status).toBe(200);
  });

  it("requires a Files scope", async () => {
    const { token } = await signedInUser(["Tasks.Read"]);
    expect((await graph(token, "/me/drive/root/children")).status).toBe(403);
  });
});
