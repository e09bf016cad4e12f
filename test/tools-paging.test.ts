import { describe, expect, it } from "vitest";
import { colleagueOf, connectedUser, type ToolCallResult } from "./helpers/mcp";
import { seedDay } from "./helpers/seed-date";

/**
 * Page 2 of every list tool that pages, through /mcp against the emulator's
 * real next-link shapes (a mail folder by key, opaque skip tokens), and the
 * cursor's seal: bound to its tenant, user, tool and listing, unreadable and
 * unforgeable.
 */
type User = Awaited<ReturnType<typeof connectedUser>>;
type Caller = { callTool(name: string, args?: Record<string, unknown>): Promise<ToolCallResult> };

const cursorOf = (text: string) => /cursor "([^"]+)"/.exec(text)?.[1];

/** The ids a page lists, the cursor line left out. */
function idsIn(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("More results:"))
    .flatMap((line) => [...line.matchAll(/\bid: ([^\s)]+)/g)].map((match) => match[1] ?? ""));
}

function idOf(text: string, pattern: RegExp): string {
  const line = text.split("\n").find((candidate) => pattern.test(candidate));
  const match = /id: ([^\s)]+)\)?$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${pattern} in:\n${text}`);
  return match[1];
}

/** Calls a list tool, then its page 2 with the cursor: the next items, none repeated. */
async function expectPageTwo(caller: Caller, tool: string, args: Record<string, unknown>): Promise<string> {
  const first = await caller.callTool(tool, args);
  expect(first.isError, first.text).toBe(false);
  const cursor = cursorOf(first.text);
  expect(cursor, `${tool} gave no cursor:\n${first.text}`).toBeTruthy();
  const second = await caller.callTool(tool, { ...args, cursor });
  expect(second.isError, second.text).toBe(false);
  const firstIds = idsIn(first.text);
  const secondIds = idsIn(second.text);
  expect(firstIds.length).toBeGreaterThan(0);
  expect(secondIds.length).toBeGreaterThan(0);
  expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  return cursor ?? "";
}

async function generalChannel(user: User) {
  const teamId = idOf((await user.callTool("list_teams")).text, /^Atlas Platform/);
  const channelId = idOf((await user.callTool("list_channels", { teamId })).text, /^General/);
  return { teamId, channelId };
}

describe("page 2 of every list tool", () => {
  it("list_messages and search_messages in a folder follow Graph's key-form folder link", async () => {
    const user = await connectedUser();
    await expectPageTwo(user, "list_messages", { limit: 5 });
    await expectPageTwo(user, "list_messages", { folder: "inbox", unreadOnly: true, limit: 1 });
    await expectPageTwo(user, "search_messages", { query: "example", folder: "inbox", limit: 2 });
  });

  it("list_events, list_contacts, list_tasks and list_files", async () => {
    const user = await connectedUser();
    await expectPageTwo(user, "list_events", { start: seedDay(-14), end: seedDay(6), limit: 1 });
    await expectPageTwo(user, "list_contacts", { limit: 10 });
    const listId = idOf((await user.callTool("list_task_lists")).text, /^Q3 launch prep · /);
    await expectPageTwo(user, "list_tasks", { listId, includeCompleted: true, limit: 4 });
    await expectPageTwo(user, "list_files", { limit: 3 });
  });

  it("list_channel_messages, list_chats and list_chat_messages follow opaque skip tokens", async () => {
    const user = await connectedUser();
    await colleagueOf(user);
    await expectPageTwo(user, "list_channel_messages", { ...(await generalChannel(user)), limit: 5 });
    await expectPageTwo(user, "list_chats", { limit: 1 });
    const chatId = idOf((await user.callTool("list_chats")).text, /^with Sam Okafor \(oneOnOne\)/);
    await expectPageTwo(user, "list_chat_messages", { chatId, limit: 2 });
  });
});

describe("cursor seal", () => {
  it("refuses a cursor from another user of the tenant, from another tenant, or for another tool", async () => {
    const dana = await connectedUser();
    const cursor = await expectPageTwo(dana, "list_contacts", { limit: 10 });
    const sam = await colleagueOf(dana);
    const stranger = await connectedUser();
    for (const other of [sam, stranger]) {
      expect(await other.callTool("list_contacts", { limit: 10, cursor })).toEqual({
        isError: true,
        text: "Invalid arguments: cursor: cursor was not issued for you",
      });
    }
    expect(await dana.callTool("list_files", { cursor })).toEqual({
      isError: true,
      text: "Invalid arguments: cursor: cursor belongs to another listing",
    });
    // A page of sent items continues only as sent items, not as the default inbox.
    const sent = await dana.callTool("list_messages", { folder: "sentitems", limit: 1 });
    expect(sent.text).toMatch(/\nMore results: call list_messages with the same arguments and cursor "[\w.-]+"$/);
    expect(await dana.callTool("list_messages", { cursor: cursorOf(sent.text) })).toEqual({
      isError: true,
      text: "Invalid arguments: cursor: cursor belongs to another listing",
    });
  });

  it("refuses readable cursors in the old format, including the tab-in-dot-segment forgery", async () => {
    const user = await connectedUser();
    const forge = (payload: unknown) => btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const listId = idOf((await user.callTool("list_task_lists")).text, /^Q3 launch prep · /);
    const forged = [
      forge({ t: "list_files", p: "/me/drive/root/children", q: { $top: "3", $skip: "3" } }),
      forge({ t: "list_tasks", p: `/me/todo/lists/${listId}/tasks/.\t./.\t./.\t./.\t./users`, q: {} }),
    ];
    expect(await user.callTool("list_files", { cursor: forged[0] })).toEqual({
      isError: true,
      text: "Invalid arguments: cursor: cursor is not one this server issued",
    });
    expect(await user.callTool("list_tasks", { listId, cursor: forged[1] })).toEqual({
      isError: true,
      text: "Invalid arguments: cursor: cursor is not one this server issued",
    });
  });

  it("refuses ids with a tab, ?, # or backslash, naming the field", async () => {
    const user = await connectedUser();
    for (const listId of [".\t.", "a?b", "a#b", "a\\b"]) {
      const result = await user.callTool("list_tasks", { listId });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("listId: an id cannot contain control characters, ?, # or \\");
    }
  });
});
