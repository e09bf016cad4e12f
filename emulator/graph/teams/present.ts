import type { EmulatedUser } from "../../state";
import type { ChannelRecord, ChatRecord, Identity, MessageRecord, TeamRecord } from "./model";

/**
 * @module
 * Graph's wire shapes for team, channel, chat, conversationMember and chatMessage.
 */
const enc = encodeURIComponent;

export function presentTeam(team: TeamRecord, tenantId: string): Record<string, unknown> {
  const general = team.channels[0]?.id ?? "";
  return {
    id: team.id,
    createdDateTime: team.createdDateTime,
    displayName: team.displayName,
    description: team.description,
    internalId: general,
    classification: null,
    specialization: "none",
    visibility: team.visibility,
    webUrl: `https://teams.microsoft.com/l/team/${enc(general)}/conversations?groupId=${team.id}&tenantId=${tenantId}`,
    isArchived: false,
    tenantId,
    isMembershipLimitedToOwners: false,
  };
}

export function presentChannel(team: TeamRecord, channel: ChannelRecord, tenantId: string): Record<string, unknown> {
  return {
    id: channel.id,
    createdDateTime: channel.createdDateTime,
    displayName: channel.displayName,
    description: channel.description,
    isFavoriteByDefault: null,
    email: "",
    tenantId,
    webUrl: `https://teams.microsoft.com/l/channel/${enc(channel.id)}/${enc(channel.displayName)}?groupId=${team.id}&tenantId=${tenantId}`,
    membershipType: "standard",
    isArchived: false,
  };
}

export function presentMember(chatId: string, user: EmulatedUser, tenantId: string): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.aadUserConversationMember",
    id: btoa(`1#${chatId}#${user.oid}`).replace(/=+$/, ""),
    roles: ["owner"],
    displayName: user.displayName,
    visibleHistoryStartDateTime: "0001-01-01T00:00:00Z",
    userId: user.oid,
    email: user.mail,
    tenantId,
  };
}

export function presentChat(chat: ChatRecord, tenantId: string, members?: readonly EmulatedUser[]): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    id: chat.id,
    topic: chat.topic,
    createdDateTime: chat.createdDateTime,
    lastUpdatedDateTime: chat.lastUpdatedDateTime,
    chatType: chat.chatType,
    webUrl: `https://teams.microsoft.com/l/chat/${enc(chat.id)}/0?tenantId=${tenantId}`,
    tenantId,
    onlineMeetingInfo: chat.onlineMeetingInfo ?? null,
    viewpoint: { isHidden: false, lastMessageReadDateTime: chat.lastUpdatedDateTime },
  };
  if (members) shape.members = members.map((user) => presentMember(chat.id, user, tenantId));
  return shape;
}

function userIdentity(who: Identity, tenantId: string) {
  return {
    "@odata.type": "#microsoft.graph.teamworkUserIdentity",
    id: who.id,
    displayName: who.displayName,
    userIdentityType: "aadUser",
    tenantId,
  };
}

export type MessageWhere =
  | { kind: "channel"; tenantId: string; teamId: string; channelId: string }
  | { kind: "chat"; tenantId: string; chatId: string };

export function presentMessage(message: MessageRecord, where: MessageWhere, expandReplies = false): Record<string, unknown> {
  const created = Date.parse(message.createdDateTime);
  const webUrl =
    where.kind === "channel"
      ? `https://teams.microsoft.com/l/message/${enc(where.channelId)}/${message.id}?groupId=${where.teamId}&tenantId=${where.tenantId}&createdTime=${created}&parentMessageId=${message.replyToId ?? message.id}`
      : `https://teams.microsoft.com/l/message/${enc(where.chatId)}/${message.id}?context=${enc('{"contextType":"chat"}')}`;
  const shape: Record<string, unknown> = {
    id: message.id,
    replyToId: message.replyToId,
    etag: String(Date.parse(message.lastModifiedDateTime)),
    messageType: "message",
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: message.subject,
    summary: null,
    chatId: where.kind === "chat" ? where.chatId : null,
    importance: message.importance,
    locale: "en-us",
    webUrl,
    channelIdentity: where.kind === "channel" ? { teamId: where.teamId, channelId: where.channelId } : null,
    policyViolation: null,
    eventDetail: null,
    from: { application: null, device: null, user: userIdentity(message.from, where.tenantId) },
    body: message.body,
    attachments: message.attachments,
    mentions: message.mentions.map((mention) => ({
      id: mention.id,
      mentionText: mention.mentionText,
      mentioned: { application: null, device: null, conversation: null, tag: null, user: userIdentity(mention.mentioned, where.tenantId) },
    })),
    reactions: [],
  };
  if (expandReplies) shape.replies = message.replies.map((reply) => presentMessage(reply, where));
  return shape;
}
