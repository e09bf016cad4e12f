import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath } from "../path";
import { type Chat, chatLine, type ChatMessage, messageListText, shortTime } from "../format/teams";
import { lines, oneLine } from "../format/text";
import { cursorField, emailField, idField, limitField, listPage, textField } from "./common";
import { CREATE, defineTool, expectOk, READ, SEND, ToolError } from "./types";

/** @module Microsoft Teams: joined teams, channels and their messages, chats, and online meetings. */

const CHAT_READ = ["Chat.Read", "Chat.ReadWrite"];

const teamId = idField("team");
const channelId = idField("channel");
const chatId = idField("chat");
const messageText = textField(28_000, { expected: "message text" });
// Graph returns at most 50 messages per page.
const messageLimit = limitField(50, 20);
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i;
const isoWithOffset = z
  .string()
  .refine(
    (value) => ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value)),
    "expected ISO 8601 with offset, e.g. 2026-03-02T15:00:00+01:00",
  );

/** A team or channel: its name, a short description and its id. */
interface Named {
  id: string;
  displayName?: string;
  description?: string | null;
}
const namedLine = (item: Named) => [item.displayName, oneLine(item.description ?? "", 100), `id: ${item.id}`].filter(Boolean).join(" · ");

export const teamsTools = [
  defineTool({
    name: "list_teams",
    group: "teams",
    description: "List the Teams teams you are a member of.",
    input: {},
    scopes: ["Team.ReadBasic.All"],
    annotations: READ,
    audit: {},
    async run(ctx) {
      // The joined-teams list takes no query options (user-list-joinedteams), so no $select.
      const request: GraphRequest = { method: "GET", path: "/me/joinedTeams" };
      return listPage(ctx, request, {
        what: "list your teams",
        empty: "You are not a member of any team.",
        line: namedLine,
        more: "More teams exist than shown.",
      });
    },
  }),
  defineTool({
    name: "list_channels",
    group: "teams",
    description: "List a team's channels.",
    input: { teamId },
    scopes: ["Channel.ReadBasic.All"],
    annotations: READ,
    audit: { targets: ["teamId"] },
    async run(ctx, input) {
      const request: GraphRequest = {
        method: "GET",
        path: graphPath`/teams/${input.teamId}/channels`,
        query: { $select: "id,displayName,description" },
      };
      return listPage(ctx, request, {
        what: "list the team's channels",
        empty: "This team has no channels you can see.",
        line: namedLine,
        more: "More channels exist than shown.",
      });
    },
  }),
  defineTool({
    name: "list_channel_messages",
    group: "teams",
    description: "Read a channel's recent messages with their latest replies.",
    input: { teamId, channelId, limit: messageLimit, cursor: cursorField },
    scopes: ["ChannelMessage.Read.All"],
    annotations: READ,
    audit: { targets: ["teamId", "channelId"], options: ["cursor"] },
    async run(ctx, input) {
      // Channel message lists take only $top and $expand (no $select); the formatter keeps what matters.
      const path = graphPath`/teams/${input.teamId}/channels/${input.channelId}/messages`;
      const first: GraphRequest = { method: "GET", path, query: { $top: String(input.limit), $expand: "replies" } };
      return listPage(ctx, first, { cursor: input.cursor, what: "read the channel", empty: "No messages.", lines: messageListText });
    },
  }),
  defineTool({
    name: "post_channel_message",
    group: "teams",
    description: "Post a message in a channel, or reply to one of its messages.",
    input: {
      teamId,
      channelId,
      text: messageText,
      replyToMessageId: idField("message").optional().describe("Reply to this message instead of starting a thread."),
    },
    scopes: ["ChannelMessage.Send"],
    annotations: SEND,
    audit: { targets: ["teamId", "channelId", "replyToMessageId"], text: ["text"], creates: true },
    async run(ctx, input) {
      const channel = graphPath`/teams/${input.teamId}/channels/${input.channelId}/messages`;
      const path = input.replyToMessageId ? `${channel}${graphPath`/${input.replyToMessageId}/replies`}` : channel;
      const body = { body: { contentType: "text", content: input.text } };
      const posted = expectOk<ChatMessage>(
        await ctx.graph({ method: "POST", path, body }),
        input.replyToMessageId ? "reply in the channel" : "post in the channel",
      );
      return input.replyToMessageId
        ? `Replied to message ${input.replyToMessageId} (reply id: ${posted.id}).`
        : `Posted to the channel (message id: ${posted.id}).`;
    },
  }),
  defineTool({
    name: "list_chats",
    group: "teams",
    description: "List your Teams chats and who is in them.",
    input: { limit: messageLimit, cursor: cursorField },
    scopes: CHAT_READ,
    annotations: READ,
    audit: { options: ["cursor"] },
    async run(ctx, input) {
      // The chat list takes $expand, $top, $filter and $orderby but no $select (chat-list); members come by $expand.
      const first: GraphRequest = { method: "GET", path: "/me/chats", query: { $expand: "members", $top: String(input.limit) } };
      return listPage<Chat>(ctx, first, {
        cursor: input.cursor,
        what: "list your chats",
        empty: "No chats.",
        line: (chat) => chatLine(chat, ctx.user.name),
      });
    },
  }),
  defineTool({
    name: "list_chat_messages",
    group: "teams",
    description: "Read a chat's recent messages, newest first.",
    input: { chatId, limit: messageLimit, cursor: cursorField },
    scopes: CHAT_READ,
    annotations: READ,
    audit: { targets: ["chatId"], options: ["cursor"] },
    async run(ctx, input) {
      // Chat message lists take $top, $filter and $orderby but not $select.
      const query = { $top: String(input.limit), $orderby: "createdDateTime desc" };
      const first: GraphRequest = { method: "GET", path: graphPath`/chats/${input.chatId}/messages`, query };
      return listPage(ctx, first, { cursor: input.cursor, what: "read the chat", empty: "No messages.", lines: messageListText });
    },
  }),
  defineTool({
    name: "send_chat_message",
    group: "teams",
    description: "Send a message in a Teams chat.",
    input: { chatId, text: messageText },
    scopes: ["ChatMessage.Send", "Chat.ReadWrite"],
    annotations: SEND,
    audit: { targets: ["chatId"], text: ["text"], creates: true },
    async run(ctx, input) {
      const body = { body: { contentType: "text", content: input.text } };
      const sent = expectOk<ChatMessage>(
        await ctx.graph({ method: "POST", path: graphPath`/chats/${input.chatId}/messages`, body }),
        "send the chat message",
      );
      return `Sent (message id: ${sent.id}).`;
    },
  }),
  defineTool({
    name: "create_online_meeting",
    group: "teams",
    description: "Create a Teams meeting and return its join link; sends no invitations.",
    input: {
      subject: textField(255, { expected: "a subject" }),
      start: isoWithOffset.describe("ISO 8601 with offset, e.g. 2026-03-02T15:00:00+01:00."),
      end: isoWithOffset,
      attendees: z.array(emailField).max(50, "at most 50").optional().describe("Attendee emails."),
    },
    scopes: ["OnlineMeetings.ReadWrite"],
    annotations: CREATE,
    audit: { recipients: ["attendees"], text: ["subject"], options: ["start", "end"], creates: true },
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
