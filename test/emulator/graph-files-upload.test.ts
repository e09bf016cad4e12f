import { describe, expect, it } from "vitest";
import { unzipSync } from "fflate";
import { EMULATOR, graph, signedInUser } from "../helpers/emulator";

/** Graph's simple upload (PUT content) and the real documents the seeded drive serves. */
async function put(token: string, path: string, body: string | Uint8Array) {
  return fetch(`${EMULATOR()}/v1.0${path}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body });
}

/** `/content` answers 302 to a download URL, fetched without the token. */
async function download(token: string, id: string): Promise<Uint8Array> {
  const redirect = await fetch(`${EMULATOR()}/v1.0/me/drive/items/${id}/content`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: "manual",
  });
  expect(redirect.status).toBe(302);
  return new Uint8Array(await (await fetch(redirect.headers.get("location") ?? "")).arrayBuffer());
}

describe("emulated Graph OneDrive upload", () => {
  it("creates a file (201), replaces it (200), and serves the new bytes", async () => {
    const { token } = await signedInUser(["Files.ReadWrite"]);
    const created = await put(token, "/me/drive/root:/Notes/today.txt:/content", "nope");
    expect(created.status).toBe(404);
    const first = await put(token, "/me/drive/root:/today.txt:/content", "first");
    expect(first.status).toBe(201);
    const item = (await first.json()) as { id: string; name: string; size: number; file: { mimeType: string } };
    expect(item).toMatchObject({ name: "today.txt", size: 5, file: { mimeType: "text/plain" } });
    const replaced = await put(token, "/me/drive/root:/TODAY.txt:/content", "second version");
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { id: string; size: number }).id).toBe(item.id);
    expect(new TextDecoder().decode(await download(token, item.id))).toBe("second version");
  });

  it("refuses a folder's name with 409, and an upload without a write permission with 403", async () => {
    const writer = await signedInUser(["Files.ReadWrite"]);
    expect((await put(writer.token, "/me/drive/root:/Documents:/content", "x")).status).toBe(409);
    const reader = await signedInUser(["Files.Read"]);
    const refused = await put(reader.token, "/me/drive/root:/x.txt:/content", "x");
    expect(refused.status).toBe(403);
  });

  it("seeds real Office documents: a Word file is a zip with its main part", async () => {
    const { token } = await signedInUser(["Files.Read"]);
    const found = (await (await graph(token, "/me/drive/root:/Documents/Quarterly review.docx")).json()) as { id: string };
    const parts = unzipSync(await download(token, found.id));
    expect(new TextDecoder().decode(parts["word/document.xml"])).toContain('<w:t xml:space="preserve">Quarterly review</w:t>');
  });
});
