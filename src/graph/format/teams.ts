import { htmlToText, oneLine } from "./text";

/**
 * @module Teams in a few tokens: a message is one line (UTC time, author, text
 * preview, id for replies); HTML bodies become text; system events are
 * dropped since they say nothing a reader needs.
 */

export interface ChatMessage {
  id: string;
  messageType?: string;
  createdDateTime?: string;
  deletedDateTime?: string | null;
  subject?: string | null;
  importance?: string;
  from?: { user?: { displayName?: string | null } | null; application?: { displayName?: string | null } | null } | null;
  body?: { contentType?: string; content?: string };
  attachments?: unknown[];
  replies?: ChatMessage[];
}

export interface Chat {
  id: string;
  topic?: string | null;
  chatType?: string;
  lastUpdatedDateTime?: string;
  members?: { displayName?: string | null }[];
}

// members is selected as well as expanded: OData returns an expanded property only if $select (when given) names it.
export const CHAT_SELECT = "id,topic,chatType,lastUpdatedDateTime,members";

const MESSAGE_PREVIEW = 200;
const REPLY_PREVIEW = 120;
const REPLIES_SHOWN = 3;
const MEMBERS_SHOWN = 5;

/** `2026-03-02T14:05:09.123Z` → `2026-03-02 14:05Z`. */
export function shortTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : "";
}

function author(message: ChatMessage): string {
  return message.from?.user?.displayName || message.from?.application?.displayName || "(unknown)";
}

function messageText(message: ChatMessage, max: number): string {
  if (message.deletedDateTime) return "(deleted)";
  const content = message.body?.content ?? "";
  const text = message.body?.contentType?.toLowerCase() === "html" ? htmlToText(content) : content;
  const attachments = message.attachments?.length
    ? ` [${message.attachments.length} attachment${message.attachments.length > 1 ? "s" : ""}]`
    : "";
  const subject = message.subject ? `${message.subject} — ` : "";
  return oneLine(subject + text, max) + attachments;
}

const isUserMessage = (message: ChatMessage) => (message.messageType ?? "message") === "message";

function messageLine(message: ChatMessage, max: number): string {
  const flag = message.importance && message.importance !== "normal" ? ` (${message.importance})` : "";
  return `[${shortTime(message.createdDateTime)}] ${author(message)}${flag}: ${messageText(message, max)} (id: ${message.id})`;
}

/** A top-level message and, indented, its latest replies. */
export function messageLines(message: ChatMessage): string {
  const replies = (message.replies ?? []).filter(isUserMessage);
  const shown = replies.slice(-REPLIES_SHOWN);
  const earlier = replies.length - shown.length;
  return [
    messageLine(message, MESSAGE_PREVIEW),
    ...(earlier > 0 ? [`  ↳ (${earlier} earlier ${earlier > 1 ? "replies" : "reply"})`] : []),
    ...shown.map((reply) => `  ↳ ${messageLine(reply, REPLY_PREVIEW)}`),
  ].join("\n");
}

export function messageListText(messages: ChatMessage[] | undefined): string {
  return (messages ?? []).filter(isUserMessage).map(messageLines).join("\n");
}

/** A chat's name: its topic, or the other members for unnamed (1:1 and group) chats. */
export function chatLine(chat: Chat, selfName: string): string {
  const others = (chat.members ?? []).map((member) => member.displayName ?? "").filter((name) => name && name !== selfName);
  const names = others.slice(0, MEMBERS_SHOWN).join(", ") + (others.length > MEMBERS_SHOWN ? ` +${others.length - MEMBERS_SHOWN}` : "");
  const title = chat.topic || (names ? `with ${names}` : "(untitled)");
  const members = chat.topic && names ? ` · with ${names}` : "";
  return `${title} (${chat.chatType ?? "chat"})${members} · active ${shortTime(chat.lastUpdatedDateTime)} · id: ${chat.id}`;
}
