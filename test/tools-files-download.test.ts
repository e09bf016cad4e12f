import { describe, expect, it } from "vitest";
import { callGraph } from "../src/graph/client";
import { downloadUrlAllowed, readWindow } from "../src/graph/download";
import { htmlToText } from "../src/graph/format/text";
import { EMULATOR, emulator, graphToken } from "./helpers/emulator";
import { connectedUser } from "./helpers/mcp";

/**
 * get_file reads content the way OneDrive serves it: `/content` answers 302
 * to a pre-authenticated download URL, fetched without the Graph token, with
 * Range; when the download ignores Range, the window is cut from the stream.
 */
type User = Awaited<ReturnType<typeof connectedUser>>;

const LOG = "loading-dock-log.txt";

function idOf(text: string, name: string): string {
  const match = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} · .* · id: (\\S+)$`, "m").exec(text);
  if (!match?.[1]) throw new Error(`no id for ${name} in:\n${text}`);
  return match[1];
}

async function projectFile(user: User, folder: string, name: string): Promise<string> {
  const projects = idOf((await user.callTool("list_files", { limit: 50 })).text, "Projects/");
  const inner = idOf((await user.callTool("list_files", { folderId: projects, limit: 50 })).text, `${folder}/`);
  return idOf((await user.callTool("list_files", { folderId: inner, limit: 50 })).text, name);
}

const dataFolderFile = (user: User, name: string) => projectFile(user, "Data", name);

/** The file's bytes straight from the emulator, to compare the windows with. */
async function wholeFile(user: User, id: string): Promise<string> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Files.Read"]);
  const redirect = await fetch(`${EMULATOR()}/v1.0/me/drive/items/${id}/content`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: "manual",
  });
  expect(redirect.status).toBe(302);
  return (await fetch(redirect.headers.get("location") ?? "")).text();
}

function downloads(user: User) {
  return emulator.downloads(user.entra.tenantId);
}

const WINDOW = /Content \((?:bytes|text characters) (\d+)–(\d+) of (\d+)\):\n([\s\S]*?)(?:\nMore: call get_file with offset (\d+)\.)?$/;

/** Calls get_file window by window until it says there is no more; returns each window's start and text. */
async function readAllWindows(user: User, id: string, maxChars: number): Promise<{ starts: number[]; text: string; size: number }> {
  const starts: number[] = [];
  let text = "";
  let size = 0;
  for (let offset: number | undefined = 0; offset !== undefined;) {
    const result = await user.callTool("get_file", { id, maxChars, ...(offset > 0 ? { offset } : {}) });
    expect(result.isError, result.text).toBe(false);
    const match = WINDOW.exec(result.text);
    if (!match) throw new Error(`no content window at offset ${offset}:\n${result.text}`);
    expect(Number(match[1])).toBe(offset);
    starts.push(offset);
    text += match[4] ?? "";
    size = Number(match[3]);
    offset = match[5] === undefined ? undefined : Number(match[5]);
    if (starts.length > 100) throw new Error("too many windows");
  }
  return { starts, text, size };
}

describe("get_file reads through OneDrive's download URL", () => {
  it("pages a text file of many windows to its end when the download honours Range, never sending the Graph token there", async () => {
    const user = await connectedUser();
    const id = await dataFolderFile(user, LOG);
    const { starts, text, size } = await readAllWindows(user, id, 6000);
    expect(size).toBeGreaterThan(30_000);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(starts.filter((start) => start > 6 * 1024).length).toBeGreaterThanOrEqual(3);
    expect(text).toBe(await wholeFile(user, id));
    const stats = await downloads(user);
    expect(stats.refusedAuthorization).toBe(0);
    expect(stats.served).toBeGreaterThanOrEqual(starts.length);
  });

  it("pages the same file to its end when the download ignores Range and answers the whole file", async () => {
    const user = await connectedUser();
    await emulator.setDownloads(user.entra.tenantId, { ignoreRange: true });
    const id = await dataFolderFile(user, LOG);
    const { starts, text } = await readAllWindows(user, id, 6000);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(text).toBe(await wholeFile(user, id));
    expect((await downloads(user)).refusedAuthorization).toBe(0);
  });

  it("reads an HTML page as text, window by window, when the download ignores Range", async () => {
    const user = await connectedUser();
    await emulator.setDownloads(user.entra.tenantId, { ignoreRange: true });
    const id = await projectFile(user, "Harbor redesign", "Release notes.html");
    const { starts, text } = await readAllWindows(user, id, 2000);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(text).toBe(htmlToText(await wholeFile(user, id)));
    expect(text).toContain("Harbor release notes");
    expect(text).not.toMatch(/<li>|<h2>|font-family/);
  });

  it("reads a window deep in the 5 MB file when the download ignores Range", async () => {
    const user = await connectedUser();
    await emulator.setDownloads(user.entra.tenantId, { ignoreRange: true });
    const id = await dataFolderFile(user, "sensor-readings-2025.csv");
    const window = await user.callTool("get_file", { id, offset: 640_000, maxChars: 1000 });
    // Rows are 64 bytes, so offset 640,000 is the start of row 10,000 and the window ends after the last whole row.
    expect(window.text).toMatch(
      /^Name: sensor-readings-2025\.csv \(continued\)\nContent \(bytes 640000–640960 of 5242880\):\n\d{4}-\d\d-\d\dT[\d:]+Z,S-/,
    );
    expect(window.text).toMatch(/\nMore: call get_file with offset 640960\.$/);
  });
});

describe("download plumbing", () => {
  const stream = (...chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  it("cuts a window out of a stream across chunk boundaries and says whether more follows", async () => {
    const middle = await readWindow(stream("abc", "defgh", "ij"), 4, 3);
    expect([decode(middle.bytes), middle.truncated]).toEqual(["efg", true]);
    const exact = await readWindow(stream("abc", "def"), 3, 3);
    expect([decode(exact.bytes), exact.truncated]).toEqual(["def", false]);
    const short = await readWindow(stream("abc"), 1, 10);
    expect([decode(short.bytes), short.truncated]).toEqual(["bc", false]);
    const beyond = await readWindow(stream("abc"), 5, 10);
    expect([beyond.bytes.length, beyond.truncated]).toEqual([0, false]);
  });

  it("follows https download URLs on any host and the configured Graph origin, nothing else", () => {
    const graphBase = "http://127.0.0.1:8790";
    expect(
      downloadUrlAllowed(
        new URL("https://contoso-my.sharepoint.com/personal/a/_layouts/15/download.aspx?tempauth=x"),
        "https://graph.microsoft.com",
      ),
    ).toBe(true);
    expect(downloadUrlAllowed(new URL("https://contoso-my.sharepoint.us/x"), "https://graph.microsoft.us")).toBe(true);
    expect(downloadUrlAllowed(new URL("http://127.0.0.1:8790/_download/t"), graphBase)).toBe(true);
    expect(downloadUrlAllowed(new URL("http://127.0.0.1:9999/_download/t"), graphBase)).toBe(false);
    expect(downloadUrlAllowed(new URL("http://contoso-my.sharepoint.com/x"), "https://graph.microsoft.com")).toBe(false);
    expect(downloadUrlAllowed(new URL("https://user:pw@contoso-my.sharepoint.com/x"), "https://graph.microsoft.com")).toBe(false);
  });

  // Microsoft's side stood in for by a fetcher: what the gateway sends to Graph and to the download host.
  it("sends the Graph token to Graph only, and Range to the download URL only; refuses a plain-http download host", async () => {
    const seen: { url: string; authorization: string | null; range: string | null; redirect: string | undefined }[] = [];
    const fetcher = (location: string, body: string) =>
      (async (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        const url = String(input);
        seen.push({ url, authorization: headers.get("authorization"), range: headers.get("range"), redirect: init?.redirect });
        if (url.startsWith("https://graph.microsoft.com/")) return new Response(null, { status: 302, headers: { location } });
        return new Response(body, { status: 206, headers: { "content-range": `bytes 10-14/100`, "content-type": "text/plain" } });
      }) as typeof fetch;
    const request = { method: "GET" as const, path: "/me/drive/items/01ABC/content", download: { offset: 10, length: 5 } };
    const options = { graphBase: "https://graph.microsoft.com", accessToken: "graph-token" };
    const ok = await callGraph(request, { ...options, fetcher: fetcher("https://contoso-my.sharepoint.com/dl?tempauth=t", "klmno") });
    expect(ok).toMatchObject({ ok: true, status: 206 });
    expect(ok.ok && decode((ok.body as { bytes: Uint8Array }).bytes)).toBe("klmno");
    expect(seen).toEqual([
      {
        url: "https://graph.microsoft.com/v1.0/me/drive/items/01ABC/content",
        authorization: "Bearer graph-token",
        range: null,
        redirect: "manual",
      },
      { url: "https://contoso-my.sharepoint.com/dl?tempauth=t", authorization: null, range: "bytes=10-14", redirect: "manual" },
    ]);
    seen.length = 0;
    const refused = await callGraph(request, { ...options, fetcher: fetcher("http://files.example/dl?tempauth=t", "klmno") });
    expect(refused).toMatchObject({
      ok: false,
      status: 502,
      code: "DownloadFailed",
      message: expect.stringMatching(/not https; it was not followed/),
    });
    expect(refused.ok || refused.message).not.toContain("tempauth");
    expect(seen).toHaveLength(1);
  });
});
