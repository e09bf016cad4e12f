import { describe, expect, it } from "vitest";
import { cutPoint, folderPath, humanSize, partialCharacterBytes, textKind } from "../src/graph/format/files";
import { connectedUser, injectGraphFault } from "./helpers/mcp";

/** OneDrive tools through /mcp against the emulator's seeded drive. */
type User = Awaited<ReturnType<typeof connectedUser>>;

function idOf(text: string, name: string): string {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} · `));
  const match = /id: (\S+)$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${name} in:\n${text}`);
  return match[1];
}

/** Walks folders from the root by name and returns the id of the last one. */
async function pathId(user: User, names: string[]): Promise<string> {
  let folderId: string | undefined;
  for (const name of names) {
    const listing = await user.callTool("list_files", { ...(folderId ? { folderId } : {}), limit: 50 });
    folderId = idOf(listing.text, name);
  }
  return folderId ?? "";
}

describe("files tools", () => {
  it("lists the root and a subfolder, one item per line with sizes and ids", async () => {
    const user = await connectedUser();
    const root = await user.callTool("list_files");
    expect(root.isError).toBe(false);
    expect(root.text).toMatch(/^Documents\/ · folder, \d+ items · id: 01[A-Z2-7]{32}$/m);
    expect(root.text).toMatch(
      /^Welcome\.txt · \d+ B · modified \d{4}-\d\d-\d\d · https:\/\/\S+\/Documents\/Welcome\.txt · id: 01[A-Z2-7]{32}$/m,
    );
    const reports = await user.callTool("list_files", { folderId: await pathId(user, ["Documents/", "Reports/"]) });
    expect(
      reports.text
        .split("\n")
        .map((line) => line.split(" · ")[0])
        .sort(),
    ).toEqual(["Annual summary.pdf", "Customer survey results.xlsx", "Quarterly KPIs.csv", "Vendor comparison.docx", "survey-raw.csv"]);
  });

  it("pages a folder with the returned cursor", async () => {
    const user = await connectedUser();
    const first = await user.callTool("list_files", { limit: 3 });
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await user.callTool("list_files", { limit: 3, cursor });
    expect(second.isError).toBe(false);
    const names = (text: string) =>
      text
        .split("\n")
        .filter((line) => line.includes(" · id: "))
        .map((line) => line.split(" · ")[0]);
    expect(names(first.text)).toHaveLength(3);
    expect(names(second.text).length).toBeGreaterThan(0);
    expect(names(second.text).some((name) => names(first.text).includes(name))).toBe(false);
  });

  it("searches names and text content, showing where each match lives", async () => {
    const user = await connectedUser();
    const found = await user.callTool("search_files", { query: "cutover" });
    expect(found.isError).toBe(false);
    // An Office document's link keeps only what opens it (sourcedoc), not the name and view options Graph appends.
    expect(found.text).toMatch(
      /^Cutover runbook\.docx · .* · in \/Projects\/Atlas migration · https:\/\/\S+\/_layouts\/15\/Doc\.aspx\?sourcedoc=%7B[0-9A-F-]+%7D · id: \S+$/m,
    );
    expect(found.text).toMatch(/^Plan\.md · .* · in \/Projects\/Atlas migration · https:\/\/\S+\/Plan\.md · id: \S+$/m);
    expect(await user.callTool("search_files", { query: "it's ) nothing/../x" })).toEqual({
      isError: false,
      text: `No files match "it's ) nothing/../x".`,
    });
    expect(await user.callTool("search_files", { query: "why? #2 a\\b" })).toEqual({
      isError: false,
      text: 'No files match "why? #2 a\\b".',
    });
  });

  it("reads a text file with its details", async () => {
    const user = await connectedUser();
    const id = idOf((await user.callTool("list_files")).text, "Welcome.txt");
    const file = await user.callTool("get_file", { id });
    expect(file.isError).toBe(false);
    expect(file.text).toMatch(
      new RegExp(
        `^Name: Welcome\\.txt\\nId: ${id}\\nFolder: /\\nSize: \\d+ B\\nModified: .+\\nType: text/plain\\nLink: https://\\S+\\nContent \\(bytes 0–(\\d+) of \\1\\):\\nHi Dana Whitfield,`,
      ),
    );
    expect(file.text).not.toContain("More:");
  });

  it("reads a 5 MB CSV in windows that continue exactly where the last one ended", async () => {
    const user = await connectedUser();
    const id = idOf(
      (await user.callTool("list_files", { folderId: await pathId(user, ["Projects/", "Data/"]) })).text,
      "sensor-readings-2025.csv",
    );
    const first = await user.callTool("get_file", { id, maxChars: 1000 });
    expect(first.text).toContain("Size: 5.0 MB");
    // Rows are 64 bytes, so the window ends after the last whole row.
    expect(first.text).toContain("Content (bytes 0–960 of 5242880):\ntimestamp,sensor,temperature_c");
    expect(first.text).toMatch(/\nMore: call get_file with offset 960\.$/);
    const second = await user.callTool("get_file", { id, offset: 960, maxChars: 1000 });
    expect(second.text).toMatch(
      /^Name: sensor-readings-2025\.csv \(continued\)\nContent \(bytes 960–1920 of 5242880\):\n2025-01-01T00:15:00Z,S-/,
    );
    const tail = await user.callTool("get_file", { id, offset: 5_242_880 - 128 });
    expect(tail.text).toMatch(/Content \(bytes 5242752–5242880 of 5242880\):\n\d{4}-.*\n\d{4}-/);
    expect(tail.text).not.toContain("More:");
    expect((await user.callTool("get_file", { id, offset: 9_999_999 })).text).toContain(
      "Content: nothing after offset 9999999; the file has 5242880 bytes.",
    );
  });

  // The first PDF an isolate reads loads PDF.js, which takes a few seconds on a busy machine.
  it("reads a PDF's text, and gives only details for folders", async () => {
    const user = await connectedUser();
    const shared = await pathId(user, ["Shared/"]);
    const handbook = await user.callTool("get_file", {
      id: idOf((await user.callTool("list_files", { folderId: shared })).text, "Handbook.pdf"),
    });
    expect(handbook.text).toMatch(/Type: application\/pdf\nLink: \S+\nContent \(text characters 0–\d+ of \d+\):\n## Page 1\nHandbook\n/);
    const folder = await user.callTool("get_file", { id: shared });
    expect(folder.text).toMatch(/Type: folder\n.*This is a folder with 7 items; list it with list_files\.$/s);
  }, 30_000);

  it("creates a sharing link, and the same link again for the same type and scope", async () => {
    const user = await connectedUser();
    const id = idOf((await user.callTool("list_files")).text, "Scratchpad.md");
    const link = await user.callTool("create_share_link", { id });
    expect(link.text).toMatch(/^Sharing link \(view, organization\): https:\/\/\S+$/);
    expect((await user.callTool("create_share_link", { id, type: "view", scope: "organization" })).text).toBe(link.text);
    const edit = await user.callTool("create_share_link", { id, type: "edit", scope: "anonymous" });
    expect(edit.text).toMatch(/^Sharing link \(edit, anonymous\): https:\/\/\S+$/);
    expect(edit.text).not.toBe(link.text);
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    expect((await user.callTool("create_share_link", { id: "x", type: "own" })).text).toMatch(/Invalid arguments.*: type:/);
    expect((await user.callTool("get_file", { id: "x", offset: -1 })).text).toMatch(/Invalid arguments.*: offset:/);
    expect((await user.callTool("get_file", { id: "x", maxChars: 10 })).text).toMatch(/Invalid arguments.*: maxChars:/);
    expect((await user.callTool("search_files", { query: "" })).text).toMatch(
      /Invalid arguments.*: query: expected something to search for/,
    );
  });

  it("answers unknown ids with Graph's 404 and keeps path tricks inside their segment", async () => {
    const user = await connectedUser();
    for (const id of ["01UNKNOWNUNKNOWNUNKNOWNUNKNOWNUNKN", "../../users/x", "../root", "..%2F"]) {
      const result = await user.callTool("get_file", { id });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("Microsoft Graph answered 404 itemNotFound");
    }
    expect((await user.callTool("list_files", { folderId: "../../drive" })).text).toContain("answered 404");
    expect((await user.callTool("create_share_link", { id: "../.." })).text).toContain("answered 404");
    const dots = await user.callTool("get_file", { id: ".." });
    expect(dots.isError).toBe(true);
    expect(dots.text).toMatch(/Invalid arguments.*: id: expected the file id from a previous call/);
  });

  it("hides sharing under a read-only policy, and every files tool when the group is off", async () => {
    const readOnly = await connectedUser({ policy: { readOnly: true } });
    const names = (await readOnly.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["list_files", "search_files", "get_file"]));
    expect(names).not.toContain("create_share_link");
    expect((await readOnly.callTool("create_share_link", { id: "x" })).isError).toBe(true);
    const off = await connectedUser({ policy: { enabledGroups: ["tasks"] } });
    const offNames = (await off.listTools()).map((tool) => tool.name);
    for (const name of ["list_files", "search_files", "get_file", "create_share_link"]) expect(offNames).not.toContain(name);
    const tools = new Map((await (await connectedUser()).listTools()).map((tool) => [tool.name, tool.annotations]));
    expect(tools.get("create_share_link")).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: true });
    expect(tools.get("get_file")).toMatchObject({ readOnlyHint: true });
  });

  it("recovers from Graph throttling", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me/drive" });
    const result = await user.callTool("list_files");
    expect(result.isError).toBe(false);
    expect(result.text).toContain("Welcome.txt");
  });
});

describe("file content windows", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it("cuts after a line, else a space, else a whole character, never inside one", () => {
    expect(cutPoint(bytes("short"), 100, false)).toBe(5);
    expect(cutPoint(bytes("aaaa\nbbbb\ncc"), 10, true)).toBe(10);
    expect(cutPoint(bytes("aaaaaaa bbbbbb"), 10, true)).toBe(8);
    // "ééééé": 2 bytes each; a 5-byte window must stop after the second character.
    expect(cutPoint(bytes("ééééé"), 5, true)).toBe(4);
    expect(partialCharacterBytes(bytes("é").subarray(1))).toBe(1);
  });

  it("knows which files are text, HTML or binary", () => {
    expect(textKind("notes.MD", "application/octet-stream")).toBe("text");
    expect(textKind("data", "application/json")).toBe("text");
    expect(textKind("page.htm", undefined)).toBe("html");
    expect(textKind("deck.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")).toBeUndefined();
    expect(humanSize(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(folderPath({ id: "x", parentReference: { path: "/drive/root:" } })).toBe("/");
  });
});
