import { z } from "zod";
import { graphPath } from "../path";
import { type Chat, chatLine, type ChatMessage, messageListText, shortTime } from "../format/teams";
import { lines, oneLine } from "../format/text";
import { cursorField, idField, limitField, nextCursorLine, pageRequest } from "./common";
import { CREATE, defineTool, expectOk, READ, SEND, ToolError } from "./types";

/** Microsoft Teams: joined teams, channels and their messages, chats, and online meetings. */
const CHAT_READ = ["Chat.Read", "Chat.ReadWrite"];

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

// "." and ".." survive graphPath's encoding as dot segments (WHATWG URLs resolve %2E%2E), so refuse them.
const id = (what: string) => idField(what).refine((value) => value !== "." && value !== "..", "not a valid id");
const teamId = id("team");
const channelId = id("channel");
const chatId = id("chat");
// Limits are checked with refine, which keeps them out of the advertised JSON schema: every
// keyword there (and the long regexes of z.email and z.iso.datetime) costs tokens in each tools/list.
const text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .refine((value) => value.length > 0, `expected ${what}`)
    .refine((value) => value.length <= max, `at most ${max} characters`);
const messageText = text("message text", 28_000);
const email = z.string().trim().refine((value) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value), "expected an email address");
// Graph returns at most 50 messages per page.
const messageLimit = limitField(50, 20);
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;
const isoWithOffset = z
  .string()
  .refine((value) => ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value)), "expected ISO 8601 with offset, e.g. 2026-03-02T15:00:00+01:00");

export const teamsTools = [
  defineTool({
    name: "list_teams",
    group: "teams",
    description: "List the Teams teams you are a member of.",
    input: {},
    scopes: ["Team.ReadBasic.All"],
    annotations: READ,
    async run(ctx) {
      // The joined-teams list takes no query options (user-list-joinedteams), so no $select.
      const response = await ctx.graph({ method: "GET", path: "/me/joinedTeams" });
      const teams = expectOk<Page<{ id: string; displayName?: string; description?: string | null }>>(response, "list your teams").value ?? [];
      if (teams.length === 0) return "You are not a member of any team.";
      return teams.map((team) => [team.displayName, oneLine(team.description ?? "", 100), `id: ${team.id}`].filter(Boolean).join(" · ")).join("\n");
    },
  }),
  defineTool({
    name: "list_channels",
    group: "teams",
    description: "List a team's channels.",
    input: { teamId },
    scopes: ["Channel.ReadBasic.All"],
    annotations: READ,
    async run(ctx, input) {
      const response = await ctx.graph({ method: "GET", path: graphPath`/teams/${input.teamId}/channels`, query: { $select: "id,displayName,description" } });
      const channels = expectOk<Page<{ id: string; displayName?: string; description?: string | null }>>(response, "list the team's channels").value ?? [];
      if (channels.length === 0) return "This team has no channels you can see.";
      return channels.map((channel) => [channel.displayName, oneLine(channel.description ?? "", 100), `id: ${channel.id}`].filter(Boolean).join(" · ")).join("\n");
    },
  }),
  defineTool({
    name: "list_channel_messages",
    group: "teams",
    description: "Read a channel's recent messages with their latest replies.",
    input: { teamId, channelId, limit: messageLimit, cursor: cursorField },
    scopes: ["ChannelMessage.Read.All"],
    annotations: READ,
    async run(ctx, input) {
      // Channel message lists take only $top and $expand (no $select); the formatter keeps what matters.
      const first = { method: "GET" as const, path: graphPath`/teams/${input.teamId}/channels/${input.channelId}/messages`, query: { $top: String(input.limit), $expand: "replies" } };
      const body = expectOk<Page<ChatMessage>>(await ctx.graph(await pageRequest(ctx, input.cursor, first)), "read the channel");
      const text = messageListText(body.value);
      return (text || "No messages.") + (await nextCursorLine(ctx, first, body));
    },
  }),
  defineTool({
    name: "post_channel_message",
    group: "teams",
    description: "Post a message in a channel, or reply to one of its messages.",
    input: { teamId, channelId, text: messageText, replyToMessageId: id("message").optional().describe("Reply to this message instead of starting a thread.") },
    scopes: ["ChannelMessage.Send"],
    annotations: SEND,
    async run(ctx, input) {
      const channel = graphPath`/teams/${input.teamId}/channels/${input.channelId}/messages`;
      const path = input.replyToMessageId ? `${channel}${graphPath`/${input.replyToMessageId}/replies`}` : channel;
      const body = { body: { contentType: "text", content: input.text } };
      const posted = expectOk<ChatMessage>(await ctx.graph({ method: "POST", path, body }), input.replyToMessageId ? "reply in the channel" : "post in the channel");
      return input.replyToMessageId ? `Replied to message ${input.replyToMessageId} (reply id: ${posted.id}).` : `Posted to the channel (message id: ${posted.id}).`;
    },
  }),
  defineTool({
    name: "list_chats",
    group: "teams",
    description: "List your Teams chats and who is in them.",
    input: { limit: messageLimit, cursor: cursorField },
    scopes: CHAT_READ,
    annotations: READ,
    async run(ctx, input) {
      // The chat list takes $expand, $top, $filter and $orderby but no $select (chat-list); members come by $expand.
      const first = { method: "GET" as const, path: "/me/chats", query: { $expand: "members", $top: String(input.limit) } };
      const body = expectOk<Page<Chat>>(await ctx.graph(await pageRequest(ctx, input.cursor, first)), "list your chats");
      const chats = body.value ?? [];
      if (chats.length === 0) return "No chats.";
      return chats.map((chat) => chatLine(chat, ctx.user.name)).join("\n") + (await nextCursorLine(ctx, first, body));
    },
  }),
  defineTool({
    name: "list_chat_messages",
    group: "teams",
    description: "Read a chat's recent messages, newest first.",
    input: { chatId, limit: messageLimit, cursor: cursorField },
    scopes: CHAT_READ,
    annotations: READ,
    async run(ctx, input) {
      // Chat message lists take $top, $filter and $orderby but not $select.
      const query = { $top: String(input.limit), $orderby: "createdDateTime desc" };
      const first = { method: "GET" as const, path: graphPath`/chats/${input.chatId}/messages`, query };
      const body = expectOk<Page<ChatMessage>>(await ctx.graph(await pageRequest(ctx, input.cursor, first)), "read the chat");
      return (messageListText(body.value) || "No messages.") + (await nextCursorLine(ctx, first, body));
    },
  }),
  defineTool({
    name: "send_chat_message",
    group: "teams",
    description: "Send a message in a Teams chat.",
    input: { chatId, text: messageText },
    scopes: ["ChatMessage.Send", "Chat.ReadWrite"],
    annotations: SEND,
    async run(ctx, input) {
      const body = { body: { contentType: "text", content: input.text } };
      const sent = expectOk<ChatMessage>(await ctx.graph({ method: "POST", path: graphPath`/chats/${input.chatId}/messages`, body }), "send the chat message");
      return `Sent (message id: ${sent.id}).`;
    },
  }),
  defineTool({
    name: "create_online_meeting",
    group: "teams",
    description: "Create a Teams meeting and return its join link; sends no invitations.",
    input: {
      subject: text("a subject", 255),
      start: isoWithOffset.describe("ISO 8601 with offset, e.g. 2026-03-02T15:00:00+01:00."),
      end: isoWithOffset,
      attendees: z.array(email).refine((emails) => emails.length <= 50, "at most 50").optional().describe("Attendee emails."),
    },
    scopes: ["OnlineMeetings.ReadWrite"],
    annotations: CREATE,
    async run(ctx, input) {
      if (Date.parse(input.end) <= Date.parse(input.start)) throw new ToolError("Invalid arguments: end: must be after start");
      const body = {
        subject: input.subject,
        startDateTime: input.start,
        endDateTime: input.end,
        participants: { attendees: (input.attendees ?? []).map((upn) => ({ upn, role: "attendee" })) },
      };
      const meeting = expectOk<{ subject?: string; startDateTime?: string; endDateTime?: string; joinWebUrl?: string }>(
        await ctx.graph({ method: "POST", path: "/me/onlineMeetings", body }),
        "create the meeting",
      );
      return lines([
        ["Created Teams meeting", meeting.subject ?? input.subject],
        ["Start", shortTime(meeting.startDateTime)],
        ["End", shortTime(meeting.endDateTime)],
        ["Join", meeting.joinWebUrl],
      ]);
    },
  }),
];
