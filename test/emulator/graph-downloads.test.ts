import { describe, expect, it } from "vitest";
import { EMULATOR, emulator, graph, graphToken, signedInUser } from "../helpers/emulator";

/**
 * File content the way OneDrive serves it: `/content` answers 302 to a
 * short-lived pre-authenticated download URL; that URL takes no
 * Authorization header and honours Range (unless told to ignore it).
 */
interface DriveItem {
  id: string;
  name: string;
  size: number;
  file?: { mimeType: string };
}

const LARGE = "/me/drive/root:/Projects/Data/sensor-readings-2025.csv";

async function item(token: string, path: string): Promise<DriveItem> {
  const response = await graph(token, path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as DriveItem;
}

/** Asks Graph for `/content` without following the redirect, and returns where it points. */
async function downloadUrl(token: string, path: string): Promise<string> {
  const response = await fetch(`${EMULATOR()}/v1.0${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: "manual" });
  expect(response.status, path).toBe(302);
  expect(await response.text()).toBe("");
  return response.headers.get("location") ?? "";
}

const download = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: "manual" });

const downloadSettings = (tenantId: string, settings: { ignoreRange?: boolean; lifetimeSeconds?: number }) =>
  emulator.setDownloads(tenantId, settings);

const downloadStats = (tenantId: string) => emulator.downloads(tenantId);

describe("emulated Graph file downloads", () => {
  it("redirects /content to a pre-authenticated URL on another path, which serves the bytes without a token", async () => {
    const { token } = await signedInUser(["Files.Read"]);
    const location = await downloadUrl(token, "/me/drive/root:/Welcome.txt:/content");
    expect(location.startsWith(`${EMULATOR()}/_download/`)).toBe(true);
    const text = await download(location);
    expect(text.status).toBe(200);
    expect(text.headers.get("content-type")).toContain("text/plain");
    expect(await text.text()).toContain("This is your OneDrive");
    const docx = await item(token, "/me/drive/root:/Documents/Quarterly%20review.docx");
    const bytes = new Uint8Array(await (await download(await downloadUrl(token, `/me/drive/items/${docx.id}/content`))).arrayBuffer());
    expect(bytes.length).toBe(docx.size);
    expect(bytes.slice(0, 4)).toEqual(new Uint8Array([0x50, 0x4b, 3, 4]));
    const pdf = await download(await downloadUrl(token, "/me/drive/root:/Shared/Handbook.pdf:/content"));
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    expect((await graph(token, "/me/drive/root:/Documents:/content")).status).toBe(400);
  });

  it("refuses a download URL that carries an Authorization header, and counts the refusal", async () => {
    const { tenantId, token } = await signedInUser(["Files.Read"]);
    const location = await downloadUrl(token, "/me/drive/root:/Welcome.txt:/content");
    const refused = await download(location, { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(token);
    expect(await downloadStats(tenantId)).toMatchObject({ served: 0, refusedAuthorization: 1 });
    expect((await download(location)).status).toBe(200);
    expect(await downloadStats(tenantId)).toMatchObject({ served: 1, refusedAuthorization: 1 });
  });

  it("refuses a tampered or expired download URL", async () => {
    const { tenantId, token } = await signedInUser(["Files.Read"]);
    const location = await downloadUrl(token, "/me/drive/root:/Welcome.txt:/content");
    // The second-last character: the last one of a base64url signature also carries unused padding bits.
    const changed = location.at(-2) === "A" ? "B" : "A";
    expect((await download(`${location.slice(0, -2)}${changed}${location.slice(-1)}`)).status).toBe(401);
    expect((await download(location.replace("/_download/", "/_download/x"))).status).toBe(401);
    await downloadSettings(tenantId, { lifetimeSeconds: -60 });
    const expired = await download(await downloadUrl(token, "/me/drive/root:/Welcome.txt:/content"));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { message: expect.stringMatching(/expired/) } });
  });

  it("refuses Range on /content itself: it belongs on the download URL", async () => {
    const { token } = await signedInUser(["Files.Read"]);
    const response = await graph(token, `${LARGE}:/content`, { headers: { range: "bytes=0-63" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalidRequest", message: expect.stringMatching(/download URL/) } });
  });

  it("serves the ~5 MB file lazily and honours Range on the download URL", async () => {
    const { token } = await signedInUser(["Files.Read"]);
    const large = await item(token, LARGE);
    expect(large.size).toBe(5 * 1024 * 1024);
    const url = await downloadUrl(token, `${LARGE}:/content`);
    const head = await download(url, { range: "bytes=0-63" });
    expect(head.status).toBe(206);
    expect(head.headers.get("content-range")).toBe(`bytes 0-63/${large.size}`);
    expect((await head.text()).startsWith("timestamp,sensor,temperature_c")).toBe(true);
    const row = await download(url, { range: "bytes=64-127" });
    expect(await row.text()).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:]+Z,S-\d{2},[\d.]+,[\d.]+,[\d.]+ *\n$/);
    const tail = await download(url, { range: "bytes=-64" });
    expect(tail.headers.get("content-range")).toBe(`bytes ${large.size - 64}-${large.size - 1}/${large.size}`);
    expect((await tail.text()).length).toBe(64);
    const beyond = await download(url, { range: `bytes=${large.size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${large.size}`);
    const whole = await download(url);
    expect(whole.status).toBe(200);
    const all = new Uint8Array(await whole.arrayBuffer());
    expect(all.length).toBe(large.size);
    expect(new TextDecoder().decode(all.slice(64, 128))).toBe(await (await download(url, { range: "bytes=64-127" })).text());
  });

  it("ignores Range when the tenant is set to, answering 200 with the whole file, and only for that tenant", async () => {
    const mine = await signedInUser(["Files.Read"]);
    const theirs = await signedInUser(["Files.Read"]);
    await downloadSettings(mine.tenantId, { ignoreRange: true });
    const path = "/me/drive/root:/Projects/Data/loading-dock-log.txt";
    const size = (await item(mine.token, path)).size;
    expect(size).toBeGreaterThan(30_000);
    const ignored = await download(await downloadUrl(mine.token, `${path}:/content`), { range: "bytes=10000-10099" });
    expect(ignored.status).toBe(200);
    expect(ignored.headers.get("content-range")).toBeNull();
    expect((await ignored.arrayBuffer()).byteLength).toBe(size);
    const honoured = await download(await downloadUrl(theirs.token, `${path}:/content`), { range: "bytes=10000-10099" });
    expect(honoured.status).toBe(206);
    expect((await honoured.arrayBuffer()).byteLength).toBe(100);
    expect(await downloadStats(theirs.tenantId)).toMatchObject({ ignoreRange: false });
  });

  it("does not open another user's item with a URL minted for one user", async () => {
    const { token, other, tenantId } = await signedInUser(["Files.Read"]);
    const plan = await item(token, "/me/drive/root:/Projects/Atlas%20migration/Plan.md");
    const location = await downloadUrl(token, `/me/drive/items/${plan.id}/content`);
    // The URL names user, tenant and item; it is the only way in, so it opens exactly that file.
    expect((await download(location)).status).toBe(200);
    const colleague = await graphToken(tenantId, other.oid, ["Files.Read"]);
    expect((await graph(colleague, `/me/drive/items/${plan.id}/content`)).status).toBe(404);
  });

  it("lists the user's drives", async () => {
    const { token, user } = await signedInUser(["Files.Read"]);
    const drive = (await (await graph(token, "/me/drive")).json()) as { id: string };
    const drives = await graph(token, "/me/drives");
    expect(drives.status).toBe(200);
    const body = (await drives.json()) as { value: { id: string; driveType: string; owner: { user: { id: string } } }[] };
    expect(body.value).toEqual([
      expect.objectContaining({
        id: drive.id,
        driveType: "business",
        owner: expect.objectContaining({ user: expect.objectContaining({ id: user.oid }) }),
      }),
    ]);
    const { token: noFiles } = await signedInUser(["Tasks.Read"]);
    expect((await graph(noFiles, "/me/drives")).status).toBe(403);
  });
});
