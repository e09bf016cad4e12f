import { humanSize } from "./files";
import { formatAddress, formatRecipients, type Recipient } from "./people";
import { lines, oneLine } from "./text";

/**
 * @module Mail in few tokens: a message is one line (time, sender, subject, flags,
 * a short preview, id last so get_message can follow); a folder is one line;
 * an opened message is a few header lines, its attachments, then the body.
 */

export interface MailFolder {
  id: string;
  displayName?: string;
  unreadItemCount?: number;
  totalItemCount?: number;
  childFolderCount?: number;
}

export interface MailAttachment {
  "@odata.type"?: string;
  id: string;
  name?: string;
  contentType?: string | null;
  size?: number;
  isInline?: boolean;
}

export interface MailMessage {
  id: string;
  receivedDateTime?: string;
  from?: Recipient | null;
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  subject?: string | null;
  isRead?: boolean;
  isDraft?: boolean;
  hasAttachments?: boolean;
  importance?: string;
  bodyPreview?: string;
  body?: { contentType?: string; content?: string };
  attachments?: MailAttachment[];
}

export const FOLDER_SELECT = "displayName,unreadItemCount,totalItemCount,childFolderCount";
/** Only what messageLine prints. */
export const LIST_SELECT = "receivedDateTime,from,subject,isRead,hasAttachments,importance,bodyPreview";
/** Folders whose mail is from the user, where the recipients say more than the sender. */
export const OUTGOING_FOLDERS: ReadonlySet<string> = new Set(["sentitems", "drafts", "outbox"]);
export const OUTGOING_SELECT = `${LIST_SELECT},toRecipients`;
export const MESSAGE_SELECT = "receivedDateTime,from,toRecipients,ccRecipients,subject,importance,body";
export const ATTACHMENTS_EXPAND = "attachments($select=id,name,size,contentType,isInline)";

const PREVIEW_CHARS = 90;

/** `2026-03-02T14:05:09Z` → `2026-03-02 14:05Z`. */
export function shortTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : "";
}

export function folderLine(folder: MailFolder): string {
  const counts = `${folder.unreadItemCount ?? 0} unread of ${folder.totalItemCount ?? 0}`;
  const children = folder.childFolderCount ? `${folder.childFolderCount} subfolders` : undefined;
  return [folder.displayName || "(unnamed)", counts, children, `id: ${folder.id}`].filter(Boolean).join(" · ");
}

function flags(message: MailMessage): string | undefined {
  const list = [
    message.isRead === false ? "unread" : undefined,
    message.hasAttachments ? "attachments" : undefined,
    message.importance && message.importance !== "normal" ? `${message.importance} importance` : undefined,
  ].filter(Boolean);
  return list.length ? `[${list.join(", ")}]` : undefined;
}

/** One message: `time · sender (or → recipients) · subject [flags] · preview · id`. */
export function messageLine(message: MailMessage, showRecipients = false): string {
  const who = showRecipients
    ? `→ ${formatRecipients(message.toRecipients) || "(no recipients)"}`
    : formatAddress(message.from?.emailAddress) || "(no sender)";
  const subject = [oneLine(message.subject ?? "", 120) || "(no subject)", flags(message)].filter(Boolean).join(" ");
  const preview = oneLine(message.bodyPreview, PREVIEW_CHARS);
  return [shortTime(message.receivedDateTime), who, subject, preview, `id: ${message.id}`].filter(Boolean).join(" · ");
}

export function attachmentLine(attachment: MailAttachment): string {
  const details = [attachment.contentType, humanSize(attachment.size)].filter(Boolean).join(", ");
  return `- ${attachment.name || "(unnamed)"} (${details}) · id: ${attachment.id}`;
}

/** The header block get_message shows before the body; inline images are only counted. */
export function messageHeader(message: MailMessage): string {
  const files = (message.attachments ?? []).filter((attachment) => !attachment.isInline);
  const inline = (message.attachments ?? []).length - files.length;
  const header = lines([
    ["From", formatAddress(message.from?.emailAddress)],
    ["To", formatRecipients(message.toRecipients)],
    ["Cc", formatRecipients(message.ccRecipients)],
    ["Date", shortTime(message.receivedDateTime)],
    ["Subject", message.subject || "(no subject)"],
    ["Importance", message.importance && message.importance !== "normal" ? message.importance : undefined],
    ["Inline images", inline || undefined],
  ]);
  if (files.length === 0) return header;
  return `${header}\nAttachments (read with get_attachment):\n${files.map(attachmentLine).join("\n")}`;
}
