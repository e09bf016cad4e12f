import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS, graphError } from "../errors";
import { type ListOptions, listResponse, QUERY_RULES, selectFields } from "../odata";
import { type FilterNode, filterNodes } from "../odata-filter";
import { MeetingInput, MessageInput } from "./input";
import { createMeeting } from "./meetings";
import {
  type ChannelRecord,
  type ChatRecord,
  identity,
  type MemberRule,
  type MessageRecord,
  membersOf,
  postedMessage,
  type TeamRecord,
  type TeamsStore,
  thread,
} from "./model";
import { type MessageWhere, presentChannel, presentChat, presentMember, presentMessage, presentTeam } from "./present";
import { seedChannelThread, seedChatThread, seedTeams, syncOneOnOneChats } from "./seed";

/**
 * @module
 * Graph v1.0 Teams: joined teams, channels, channel messages and replies,
 * chats and chat messages, and online meetings. All tenant-wide (forTenant):
 * a member posting is seen by every other member; ids of another tenant
 * never resolve (404) and a non-member of the caller's tenant gets 403.
 */
const TEAM_READ = ["Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All"];
const CHANNEL_READ = ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All"];
const CHANNEL_MESSAGE_READ = ["ChannelMessage.Read.All"];
const CHANNEL_MESSAGE_SEND = ["ChannelMessage.Send"];
const CHAT_READ = ["Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"];
const CHAT_MESSAGE_READ = ["Chat.Read", "Chat.ReadWrite"];
const CHAT_MESSAGE_SEND = ["ChatMessage.Send", "Chat.ReadWrite"];
const MEETING_READ = ["OnlineMeetings.Read", "OnlineMeetings.ReadWrite"];
const MEETING_WRITE = ["OnlineMeetings.ReadWrite"];

const notFound = (message: string) => graphError(404, "NotFound", message);
const forbidden = (message: string) => graphError(403, "Forbidden", message);

function teamsOf(c: Context<GraphEnv>): TeamsStore {
  const { tenant } = c.get("caller");
  const store = c.get("graph").forTenant("teams", tenant.tenantId, (day) => seedTeams(tenant.tenantId, day));
  syncOneOnOneChats(store, [...tenant.users.values()]);
  return store;
}

function isMember(c: Context<GraphEnv>, includes: MemberRule): boolean {
  const { tenant, user } = c.get("caller");
  return membersOf(tenant, includes).some((member) => member.oid === user.oid);
}

function expands(c: Context, name: string): boolean {
  return (c.req.query("$expand") ?? "").split(",").some((part) => part.trim() === name);
}

function findTeam(c: Context<GraphEnv>): { store: TeamsStore; team: TeamRecord } | Response {
  const store = teamsOf(c);
  const id = c.req.param("teamId") ?? "";
  const team = store.teams.find((candidate) => candidate.id === id.toLowerCase());
  if (!team) return notFound(`No team found with Group Id ${id}`);
  if (!isMember(c, team.includes)) return forbidden("The user is not a member of this team.");
  return { store, team };
}

type ChannelContext = { team: TeamRecord; channel: ChannelRecord; messages: MessageRecord[]; where: MessageWhere };

function findChannel(c: Context<GraphEnv>, withMessages = true): ChannelContext | Response {
  const found = findTeam(c);
  if (found instanceof Response) return found;
  const { store, team } = found;
  const channel = team.channels.find((candidate) => candidate.id === c.req.param("channelId"));
  if (!channel) return notFound("Channel not found.");
  const { tenant } = c.get("caller");
  const key = `${team.id}|${channel.id}`;
  const messages = withMessages
    ? thread(store, key, () => seedChannelThread(store, channel.id, membersOf(tenant, team.includes), channel.topics))
    : [];
  return { team, channel, messages, where: { kind: "channel", tenantId: tenant.tenantId, teamId: team.id, channelId: channel.id } };
}

function visibleChat(c: Context<GraphEnv>, chat: ChatRecord): boolean {
  return membersOf(c.get("caller").tenant, chat.includes).length >= chat.minMembers;
}

function findChat(c: Context<GraphEnv>): { chat: ChatRecord; messages: MessageRecord[]; where: MessageWhere } | Response {
  const store = teamsOf(c);
  const { tenant } = c.get("caller");
  const chat = store.chats.get(c.req.param("chatId") ?? "");
  if (!chat || !visibleChat(c, chat)) return notFound("Chat not found.");
  if (!isMember(c, chat.includes)) return forbidden("The user is not a member of this chat.");
  const messages = thread(store, chat.id, () => seedChatThread(store, chat.id, membersOf(tenant, chat.includes)));
  return { chat, messages, where: { kind: "chat", tenantId: tenant.tenantId, chatId: chat.id } };
}

type MessageRules = Pick<ListOptions<never>, "allow" | "expand" | "orderBy" | "paging" | "maxTop" | "checkFilter">;

/**
 * Chat messages filter only on a date range: lastModifiedDateTime with gt or
 * lt, createdDateTime with lt, and only with `$orderby` on the same property
 * (Graph ignores the filter otherwise; the emulator refuses it, so a client
 * cannot think it filtered).
 */
function chatMessageFilter(tree: FilterNode, orderBy: string | undefined): Response | undefined {
  const sortedOn = orderBy?.trim().split(/\s+/)[0]?.toLowerCase();
  for (const node of filterNodes(tree)) {
    if (node.kind === "and") continue;
    const property =
      node.kind === "compare" && node.left.kind === "path" && node.right.kind === "literal"
        ? node.left.path.join("/").toLowerCase()
        : undefined;
    const allowed =
      node.kind === "compare" &&
      ((property === "lastmodifieddatetime" && (node.op === "gt" || node.op === "lt")) ||
        (property === "createddatetime" && node.op === "lt"));
    if (!allowed || property !== sortedOn) {
      return GRAPH_ERRORS.badRequest(
        "$filter on chat messages supports only lastModifiedDateTime gt/lt or createdDateTime lt, with $orderby on the same property.",
      );
    }
  }
  return undefined;
}

function messageList(
  c: Context,
  messages: readonly MessageRecord[],
  where: MessageWhere,
  rules: MessageRules,
  expandReplies = false,
): Response {
  const items = messages.map((message) => presentMessage(message, where, expandReplies));
  return listResponse(c, items, { ...rules, defaultOrderBy: "createdDateTime desc", defaultTop: 20 });
}

/** Builds a message from a POST body, resolving mentions against the tenant's users. */
async function newMessage(
  c: Context<GraphEnv>,
  replyToId: string | null,
  siblings: readonly MessageRecord[],
): Promise<MessageRecord | Response> {
  const input = await readGraphBody(c, MessageInput);
  if (input instanceof Response) return input;
  const { tenant, user } = c.get("caller");
  const mentions = [];
  for (const mention of input.mentions ?? []) {
    const mentioned = tenant.users.get(mention.mentioned.user.id.toLowerCase()) ?? tenant.users.get(mention.mentioned.user.id);
    if (!mentioned) return GRAPH_ERRORS.badRequest(`Mentioned user '${mention.mentioned.user.id}' was not found.`);
    mentions.push({ id: mention.id, mentionText: mention.mentionText, mentioned: identity(mentioned) });
  }
  return postedMessage(user, input.body, replyToId, siblings, {
    subject: input.subject ?? null,
    importance: input.importance ?? "normal",
    mentions,
    attachments: input.attachments ?? [],
  });
}

export const teamsRoutes = new Hono<GraphEnv>()
  .get("/me/joinedTeams", scopes(...TEAM_READ), (c) => {
    const { tenantId } = c.get("caller").tenant;
    const teams = teamsOf(c).teams.filter((team) => isMember(c, team.includes));
    return listResponse(
      c,
      teams.map((team) => presentTeam(team, tenantId)),
      { ...QUERY_RULES.joinedTeams, defaultTop: 100, maxTop: 1000 },
    );
  })
  .get("/teams/:teamId", scopes(...TEAM_READ), (c) => {
    const found = findTeam(c);
    if (found instanceof Response) return found;
    return c.json(selectFields(presentTeam(found.team, c.get("caller").tenant.tenantId), c.req.query("$select")));
  })
  .get("/teams/:teamId/channels", scopes(...CHANNEL_READ), (c) => {
    const found = findTeam(c);
    if (found instanceof Response) return found;
    const { tenantId } = c.get("caller").tenant;
    return listResponse(
      c,
      found.team.channels.map((channel) => presentChannel(found.team, channel, tenantId)),
      { ...QUERY_RULES.channels, defaultTop: 100, maxTop: 1000 },
    );
  })
  .get("/teams/:teamId/channels/:channelId", scopes(...CHANNEL_READ), (c) => {
    const found = findChannel(c, false);
    if (found instanceof Response) return found;
    return c.json(selectFields(presentChannel(found.team, found.channel, c.get("caller").tenant.tenantId), c.req.query("$select")));
  })
  .get("/teams/:teamId/channels/:channelId/messages", scopes(...CHANNEL_MESSAGE_READ), (c) => {
    const found = findChannel(c);
    return found instanceof Response
      ? found
      : messageList(c, found.messages, found.where, QUERY_RULES.channelMessages, expands(c, "replies"));
  })
  .post("/teams/:teamId/channels/:channelId/messages", scopes(...CHANNEL_MESSAGE_SEND), async (c) => {
    const found = findChannel(c);
    if (found instanceof Response) return found;
    const message = await newMessage(c, null, found.messages);
    if (message instanceof Response) return message;
    found.messages.push(message);
    return c.json(presentMessage(message, found.where), 201);
  })
  .get("/teams/:teamId/channels/:channelId/messages/:messageId", scopes(...CHANNEL_MESSAGE_READ), (c) => {
    const found = findChannel(c);
    if (found instanceof Response) return found;
    const message = found.messages.find((candidate) => candidate.id === c.req.param("messageId"));
    return message ? c.json(presentMessage(message, found.where, expands(c, "replies"))) : notFound("Message not found.");
  })
  .get("/teams/:teamId/channels/:channelId/messages/:messageId/replies", scopes(...CHANNEL_MESSAGE_READ), (c) => {
    const found = findChannel(c);
    if (found instanceof Response) return found;
    const parent = found.messages.find((candidate) => candidate.id === c.req.param("messageId"));
    return parent ? messageList(c, parent.replies, found.where, QUERY_RULES.replies) : notFound("Message not found.");
  })
  .post("/teams/:teamId/channels/:channelId/messages/:messageId/replies", scopes(...CHANNEL_MESSAGE_SEND), async (c) => {
    const found = findChannel(c);
    if (found instanceof Response) return found;
    const parent = found.messages.find((candidate) => candidate.id === c.req.param("messageId"));
    if (!parent) return notFound("Message not found.");
    const reply = await newMessage(c, parent.id, parent.replies);
    if (reply instanceof Response) return reply;
    parent.replies.push(reply);
    parent.lastModifiedDateTime = reply.createdDateTime;
    return c.json(presentMessage(reply, found.where), 201);
  })
  .get("/me/chats", scopes(...CHAT_READ), (c) => {
    const { tenant } = c.get("caller");
    const withMembers = expands(c, "members");
    const chats = [...teamsOf(c).chats.values()].filter((chat) => visibleChat(c, chat) && isMember(c, chat.includes));
    const items = chats.map((chat) => presentChat(chat, tenant.tenantId, withMembers ? membersOf(tenant, chat.includes) : undefined));
    return listResponse(c, items, { ...QUERY_RULES.chats, defaultOrderBy: "lastUpdatedDateTime desc", defaultTop: 20 });
  })
  .get("/chats/:chatId", scopes(...CHAT_READ), (c) => {
    const found = findChat(c);
    if (found instanceof Response) return found;
    const { tenant } = c.get("caller");
    const members = expands(c, "members") ? membersOf(tenant, found.chat.includes) : undefined;
    return c.json(selectFields(presentChat(found.chat, tenant.tenantId, members), c.req.query("$select")));
  })
  .get("/chats/:chatId/members", scopes("ChatMember.Read", ...CHAT_READ), (c) => {
    const found = findChat(c);
    if (found instanceof Response) return found;
    const { tenant } = c.get("caller");
    return listResponse(
      c,
      membersOf(tenant, found.chat.includes).map((user) => presentMember(found.chat.id, user, tenant.tenantId)),
      { ...QUERY_RULES.chatMembers, defaultTop: 100 },
    );
  })
  .get("/chats/:chatId/messages", scopes(...CHAT_MESSAGE_READ), (c) => {
    const found = findChat(c);
    return found instanceof Response
      ? found
      : messageList(c, found.messages, found.where, { ...QUERY_RULES.chatMessages, checkFilter: chatMessageFilter });
  })
  .get("/chats/:chatId/messages/:messageId", scopes(...CHAT_MESSAGE_READ), (c) => {
    const found = findChat(c);
    if (found instanceof Response) return found;
    const message = found.messages.find((candidate) => candidate.id === c.req.param("messageId"));
    return message ? c.json(presentMessage(message, found.where)) : notFound("Message not found.");
  })
  .post("/chats/:chatId/messages", scopes(...CHAT_MESSAGE_SEND), async (c) => {
    const found = findChat(c);
    if (found instanceof Response) return found;
    const message = await newMessage(c, null, found.messages);
    if (message instanceof Response) return message;
    found.messages.push(message);
    found.chat.lastUpdatedDateTime = message.createdDateTime;
    return c.json(presentMessage(message, found.where), 201);
  })
  .post("/me/onlineMeetings", scopes(...MEETING_WRITE), async (c) => {
    const input = await readGraphBody(c, MeetingInput);
    if (input instanceof Response) return input;
    const { tenant, user } = c.get("caller");
    return c.json(createMeeting(teamsOf(c), tenant, user, input), 201);
  })
  .get("/me/onlineMeetings/:meetingId", scopes(...MEETING_READ), (c) => {
    const meeting = teamsOf(c).meetings.get(c.req.param("meetingId"));
    if (!meeting || meeting.organizerId !== c.get("caller").user.oid) return notFound("The online meeting was not found.");
    return c.json(selectFields(meeting.resource, c.req.query("$select")));
  });
