import type { EmulatedTenant, EmulatedUser } from "../../state";

/**
 * @module
 * Tenant-wide Teams data as stored: teams with channels, group/meeting/1:1
 * chats and their messages. Members are the tenant's users, chosen by a rule
 * on each user's position in the tenant (so users added later join too).
 */
export type MemberRule = (index: number, oid: string) => boolean;

export interface Identity {
  id: string;
  displayName: string;
}

export interface MessageRecord {
  id: string;
  replyToId: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  from: Identity;
  subject: string | null;
  importance: "normal" | "high" | "urgent";
  body: { contentType: "text" | "html"; content: string };
  mentions: { id: number; mentionText: string; mentioned: Identity }[];
  attachments: unknown[];
  replies: MessageRecord[];
}

export interface ChannelRecord {
  id: string;
  displayName: string;
  description: string;
  createdDateTime: string;
  topics: string[];
}

export interface TeamRecord {
  id: string;
  displayName: string;
  description: string;
  visibility: "private" | "public";
  createdDateTime: string;
  includes: MemberRule;
  channels: ChannelRecord[];
}

export interface ChatRecord {
  id: string;
  topic: string | null;
  chatType: "oneOnOne" | "group" | "meeting";
  createdDateTime: string;
  lastUpdatedDateTime: string;
  includes: MemberRule;
  /** Seeded group chats only exist once the rule selects enough members. */
  minMembers: number;
  onlineMeetingInfo?: Record<string, unknown>;
}

export interface TeamsStore {
  tenantId: string;
  teams: TeamRecord[];
  chats: Map<string, ChatRecord>;
  /** `<teamId>|<channelId>` or `<chatId>` → top-level messages, oldest first. */
  threads: Map<string, MessageRecord[]>;
  meetings: Map<string, { organizerId: string; resource: Record<string, unknown> }>;
  /** Where seeded history ends (`historyEnd` of the seed date): seeded messages and stamps are before it. */
  historyEnd: number;
  /** Channel or group chat id → a key naming it by position, so its seeded messages do not depend on the tenant's id. */
  seedKeys: Map<string, string>;
}

export function membersOf(tenant: EmulatedTenant, includes: MemberRule): EmulatedUser[] {
  return [...tenant.users.values()].filter((user, index) => includes(index, user.oid));
}

export function identity(user: EmulatedUser): Identity {
  return { id: user.oid, displayName: user.displayName };
}

export function message(at: number, author: EmulatedUser, content: string, replyToId: string | null): MessageRecord {
  const iso = new Date(at).toISOString();
  return {
    id: String(at),
    replyToId,
    createdDateTime: iso,
    lastModifiedDateTime: iso,
    from: identity(author),
    subject: null,
    importance: "normal",
    body: { contentType: "html", content },
    mentions: [],
    attachments: [],
    replies: [],
  };
}

/** The thread for `key`, seeded on first access. */
export function thread(store: TeamsStore, key: string, seed: () => MessageRecord[]): MessageRecord[] {
  let messages = store.threads.get(key);
  if (!messages) {
    messages = seed();
    store.threads.set(key, messages);
  }
  return messages;
}

/** A message posted now, with an id unique within `siblings`. */
export function postedMessage(
  author: EmulatedUser,
  body: MessageRecord["body"],
  replyToId: string | null,
  siblings: readonly MessageRecord[],
  extra: Partial<MessageRecord> = {},
): MessageRecord {
  let at = Date.now();
  const taken = new Set(siblings.map((m) => m.id));
  while (taken.has(String(at))) at += 1;
  return { ...message(at, author, body.content, replyToId), body, ...extra };
}
