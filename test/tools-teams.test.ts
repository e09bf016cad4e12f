import { describe, expect, it } from "vitest";
import { colleagueOf, connectedUser, injectGraphFault } from "./helpers/mcp";
import { pattern, writeDay } from "./helpers/seed-date";

/** Teams tools through /mcp against the emulator, with a second user of the same tenant as the audience. */
const TEAMS_TOOLS = [
  "list_teams",
  "list_channels",
  "list_channel_messages",
  "post_channel_message",
  "list_chats",
  "list_chat_messages",
  "send_chat_message",
  "create_online_meeting",
];

type User = Awaited<ReturnType<typeof connectedUser>>;

function idOf(text: string, linePattern: RegExp): string {
  const line = text.split("\n").find((candidate) => linePattern.test(candidate));
  const match = /id: ([^\s)]+)\)?$/.exec(line ?? "");
  if (!match?.[1]) throw new Error(`no id for ${linePattern} in:\n${text}`);
  return match[1];
}

async function generalChannel(user: User) {
  const teams = await user.callTool("list_teams");
  const teamId = idOf(teams.text, /^Atlas Platform/);
  const channels = await user.callTool("list_channels", { teamId });
  return { teamId, channelId: idOf(channels.text, /^General/) };
}

describe("teams tools", () => {
  it("lists teams and channels with ids", async () => {
    const user = await connectedUser();
    const teams = await user.callTool("list_teams");
    expect(teams.isError).toBe(false);
    expect(teams.text).toMatch(/^Atlas Platform · Platform engineering: .* · id: [0-9a-f-]{36}$/m);
    const channels = await user.callTool("list_channels", { teamId: idOf(teams.text, /^Atlas Platform/) });
    expect(channels.text.split("\n").map((line) => line.split(" · ")[0])).toEqual(["General", "Releases", "Incidents", "Roadmap"]);
    expect(channels.text).toMatch(/ · id: 19:[0-9a-f]+@thread\.tacv2$/m);
  });

  it("reads a channel newest first as text, with replies, and pages with the cursor", async () => {
    const user = await connectedUser();
    const { teamId, channelId } = await generalChannel(user);
    const first = await user.callTool("list_channel_messages", { teamId, channelId, limit: 5 });
    expect(first.isError).toBe(false);
    const tops = first.text.split("\n").filter((line) => line.startsWith("["));
    expect(tops).toHaveLength(5);
    expect(tops[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\dZ\] Dana Whitfield( \(high\))?: .+ \(id: \d+\)$/);
    expect(first.text).not.toMatch(/<\/?p>|<at/);
    const times = tops.map((line) => line.slice(1, 18));
    expect(times.toSorted().toReversed()).toEqual(times);
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    const second = await user.callTool("list_channel_messages", { teamId, channelId, limit: 5, cursor });
    const secondTops = second.text.split("\n").filter((line) => line.startsWith("["));
    expect(secondTops.length).toBeGreaterThan(0);
    // Ids are epoch milliseconds; the lines' times only go down to the minute.
    const epochOf = (line: string | undefined) => Number(/\(id: (\d+)\)$/.exec(line ?? "")?.[1]);
    expect(epochOf(secondTops[0])).toBeLessThan(epochOf(tops[4]));
  });

  it("posts and replies in a channel so the colleague sees both", async () => {
    const dana = await connectedUser();
    const sam = await colleagueOf(dana);
    const { teamId, channelId } = await generalChannel(dana);
    const posted = await dana.callTool("post_channel_message", { teamId, channelId, text: "Release train leaves at <noon> & not later" });
    expect(posted.text).toMatch(/^Posted to the channel \(message id: \d+\)\.$/);
    const messageId = /message id: (\d+)/.exec(posted.text)?.[1] ?? "";
    const replied = await sam.callTool("post_channel_message", { teamId, channelId, text: "On it.", replyToMessageId: messageId });
    expect(replied.text).toMatch(new RegExp(`^Replied to message ${messageId} \\(reply id: \\d+\\)\\.$`));
    const seen = await sam.callTool("list_channel_messages", { teamId, channelId, limit: 1 });
    expect(seen.text.split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^\\[.+\\] Dana Whitfield: Release train leaves at <noon> & not later \\(id: ${messageId}\\)$`)),
      expect.stringMatching(/^ {2}↳ \[.+\] Sam Okafor: On it\. \(id: \d+\)$/),
      expect.stringMatching(/^More results: call list_channel_messages with the same arguments and cursor "/),
    ]);
  });

  it("lists chats, sends a chat message and the colleague reads it", async () => {
    const dana = await connectedUser();
    const sam = await colleagueOf(dana);
    const chats = await dana.callTool("list_chats");
    expect(chats.isError).toBe(false);
    expect(chats.text).toMatch(/^Lunch crew \(group\) · with Sam Okafor · active .+ · id: 19:\S+@thread\.v2$/m);
    const chatId = idOf(chats.text, /^with Sam Okafor \(oneOnOne\)/);
    const sent = await dana.callTool("send_chat_message", { chatId, text: "Coffee at 3?" });
    expect(sent.text).toMatch(/^Sent \(message id: \d+\)\.$/);
    const read = await sam.callTool("list_chat_messages", { chatId, limit: 2 });
    expect(read.text.split("\n")[0]).toMatch(/^\[.+\] Dana Whitfield: Coffee at 3\? \(id: \d+\)$/);
    const paged = await sam.callTool("list_chat_messages", { chatId, limit: 2, cursor: /cursor "([^"]+)"/.exec(read.text)?.[1] });
    expect(paged.isError).toBe(false);
    expect(paged.text).not.toContain("Coffee at 3?");
  });

  it("creates an online meeting with a join link whose chat then appears", async () => {
    const user = await connectedUser();
    const result = await user.callTool("create_online_meeting", {
      subject: "Atlas cutover rehearsal",
      start: `${writeDay(5)}T15:00:00+01:00`,
      end: `${writeDay(5)}T16:00:00+01:00`,
      attendees: [user.user.userPrincipalName],
    });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(
      pattern`^Created Teams meeting: Atlas cutover rehearsal\nStart: ${writeDay(5)} 14:00Z\nEnd: ${writeDay(5)} 15:00Z\nJoin: https:\/\/teams\.microsoft\.com\/l\/meetup-join\/\S+$`,
    );
    expect((await user.callTool("list_chats")).text).toMatch(/^Atlas cutover rehearsal \(meeting\) · active/m);
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    const noOffset = await user.callTool("create_online_meeting", {
      subject: "x",
      start: `${writeDay(5)}T15:00:00`,
      end: `${writeDay(5)}T16:00:00Z`,
    });
    expect(noOffset.text).toMatch(/Invalid arguments.*: start: expected ISO 8601 with offset/);
    const backwards = await user.callTool("create_online_meeting", {
      subject: "x",
      start: `${writeDay(5)}T16:00:00Z`,
      end: `${writeDay(5)}T15:00:00Z`,
    });
    expect(backwards).toEqual({ isError: true, text: "Invalid arguments: end: must be after start" });
    const empty = await user.callTool("send_chat_message", { chatId: "19:x@thread.v2", text: "   " });
    expect(empty.text).toMatch(/Invalid arguments.*: text: expected message text/);
    expect((await user.callTool("list_channels", {})).text).toMatch(/Invalid arguments.*: teamId:/);
  });

  it("answers unknown ids with Graph's 404 and keeps path tricks inside their segment", async () => {
    const user = await connectedUser();
    const { teamId } = await generalChannel(user);
    for (const id of ["00000000-0000-0000-0000-000000000000", "../../users/x", "..%2Fme"]) {
      const result = await user.callTool("list_channels", { teamId: id });
      expect(result.isError).toBe(true);
      expect(result.text).toContain("Microsoft Graph answered 404");
    }
    const channel = await user.callTool("list_channel_messages", { teamId, channelId: "../../../me/chats" });
    expect(channel.text).toContain("answered 404");
    const chat = await user.callTool("send_chat_message", { chatId: "../../me/chats", text: "hi" });
    expect(chat.text).toContain("answered 404");
    const dots = await user.callTool("list_chat_messages", { chatId: ".." });
    expect(dots.isError).toBe(true);
    expect(dots.text).toMatch(/Invalid arguments.*: chatId: expected the chat id from a previous call/);
  });

  it("hides sending tools under a read-only policy and refuses to run them", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    const names = (await user.listTools()).map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(["list_teams", "list_channels", "list_channel_messages", "list_chats", "list_chat_messages"]),
    );
    for (const name of ["post_channel_message", "send_chat_message", "create_online_meeting"]) expect(names).not.toContain(name);
    const refused = await user.callTool("send_chat_message", { chatId: "19:x@thread.v2", text: "hi" });
    expect(refused.isError).toBe(true);
    expect((await user.callTool("list_teams")).isError).toBe(false);
  });

  it("drops every teams tool when the group is disabled, and marks sends as open-world", async () => {
    const disabled = await connectedUser({ policy: { enabledGroups: ["contacts"] } });
    const names = (await disabled.listTools()).map((tool) => tool.name);
    for (const name of TEAMS_TOOLS) expect(names).not.toContain(name);
    const user = await connectedUser();
    const tools = new Map((await user.listTools()).map((tool) => [tool.name, tool.annotations]));
    expect(tools.get("post_channel_message")).toMatchObject({ readOnlyHint: false, openWorldHint: true });
    expect(tools.get("send_chat_message")).toMatchObject({ readOnlyHint: false, openWorldHint: true });
    expect(tools.get("list_chats")).toMatchObject({ readOnlyHint: true });
  });

  it("recovers from Graph throttling", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me/joinedTeams" });
    const result = await user.callTool("list_teams");
    expect(result.isError).toBe(false);
    expect(result.text).toContain("Atlas Platform");
  });
});
