import { describe, expect, it } from "vitest";
import { connectedUser } from "./helpers/mcp";

/** OneNote tools through /mcp against the emulator's seeded notebooks. */
type User = Awaited<ReturnType<typeof connectedUser>>;

const NOTES_TOOLS = ["list_notebooks", "list_sections", "list_pages", "read_page", "create_page"];

const notesUser = () => connectedUser({ policy: { enabledGroups: ["notes"] } });

function idOf(text: string, start: string): string {
  const line = text.split("\n").find((candidate) => candidate.startsWith(start));
  const match = /id: (\S+)$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${start} in:\n${text}`);
  return match[1];
}

async function sectionId(user: User, name: string): Promise<string> {
  const notebookId = idOf((await user.callTool("list_notebooks")).text, "Work notes · ");
  return idOf((await user.callTool("list_sections", { notebookId })).text, `${name} · `);
}

describe("notes tools", () => {
  it("lists notebooks, a notebook's sections and a section's pages with ids", async () => {
    const user = await notesUser();
    const notebooks = await user.callTool("list_notebooks");
    expect(notebooks.text.split("\n").map((line) => line.replace(/ · id: \S+$/, ""))).toEqual(["Work notes · default", "Personal"]);
    const sections = await user.callTool("list_sections", {});
    expect(sections.text).toMatch(/^Meetings · in Work notes · id: \S+$/m);
    expect(sections.text).toMatch(/^Ideas · in Personal · id: \S+$/m);
    const pages = await user.callTool("list_pages", { sectionId: await sectionId(user, "Meetings") });
    expect(pages.text.split("\n")).toHaveLength(5);
    expect(pages.text).toMatch(/^Weekly sync · modified \d{4}-\d\d-\d\d · id: \S+$/m);
  });

  it("reads a page as text, tables included, and a long one in windows", async () => {
    const user = await notesUser();
    const meetings = (await user.callTool("list_pages", { sectionId: await sectionId(user, "Meetings") })).text;
    const budget = await user.callTool("read_page", { pageId: idOf(meetings, "Budget review · ") });
    expect(budget.isError).toBe(false);
    expect(budget.text).toContain("Spend by team:");
    expect(budget.text).toMatch(/Platform\s+42,000/);
    expect(budget.text).not.toMatch(/<|style|position:absolute/);
    const runbooks = (await user.callTool("list_pages", { sectionId: await sectionId(user, "Runbooks") })).text;
    const pageId = idOf(runbooks, "Incident response · ");
    const first = await user.callTool("read_page", { pageId, maxChars: 1000 });
    const next = /offset (\d+)\.\]$/.exec(first.text)?.[1];
    expect(first.text).toMatch(/^\[characters 0–\d+ of \d+\]\nIncident response/);
    expect(next).toBeTruthy();
    const second = await user.callTool("read_page", { pageId, offset: Number(next), maxChars: 1000 });
    expect(second.text).toMatch(new RegExp(`^\\[characters ${next}–`));
  });

  it("creates a page whose title and text come back as written, markup included as text", async () => {
    const user = await notesUser();
    const section = await sectionId(user, "Meetings");
    const created = await user.callTool("create_page", {
      sectionId: section,
      title: "Standup <Monday> & notes",
      body: "First line with <b>not bold</b>\nSecond line & more",
    });
    expect(created.text).toMatch(/^Created page: Standup <Monday> & notes · modified \d{4}-\d\d-\d\d · id: \S+$/);
    const pageId = /id: (\S+)$/.exec(created.text)?.[1] ?? "";
    const read = await user.callTool("read_page", { pageId });
    // One paragraph per line of the body.
    expect(read.text).toBe("First line with <b>not bold</b>\n\nSecond line & more");
    const listed = await user.callTool("list_pages", { sectionId: section });
    expect(listed.text.split("\n")[0]).toMatch(/^Standup <Monday> & notes · /);
  });

  it("pages all pages with the cursor, twenty at a time", async () => {
    const user = await notesUser();
    const section = await sectionId(user, "Runbooks");
    expect((await user.callTool("list_pages", {})).text.split("\n")).toHaveLength(8);
    for (let index = 0; index < 13; index += 1)
      await user.callTool("create_page", { sectionId: section, title: `Note ${index}`, body: "x" });
    const first = await user.callTool("list_pages", {});
    const lines = first.text.split("\n").filter((line) => / · id: \S+$/.test(line));
    expect(lines).toHaveLength(20);
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await user.callTool("list_pages", { cursor });
    expect(second.text.split("\n")).toHaveLength(1);
    expect(lines).not.toContain(second.text);
  });

  it("names the field when arguments are wrong, and answers 404 for an unknown page", async () => {
    const user = await notesUser();
    const blank = await user.callTool("create_page", { sectionId: "s", title: "  ", body: "x" });
    expect(blank.text).toMatch(/Invalid arguments.*title: expected a title/);
    const small = await user.callTool("read_page", { pageId: "p", maxChars: 10 });
    expect(small.text).toMatch(/Invalid arguments.*maxChars: expected a whole number from 200 to 20000/);
    const unknown = await user.callTool("read_page", { pageId: "1-0000!1-0000!100" });
    expect(unknown).toMatchObject({
      isError: true,
      text: expect.stringMatching(/Could not read the page: Microsoft Graph answered 404 20102/),
    });
  });

  it("is hidden when the organization's policy leaves the notes group off", async () => {
    const user = await connectedUser();
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of NOTES_TOOLS) expect(names).not.toContain(name);
  });
});
