import type { EmulatedUser } from "../../state";
import { opaqueId } from "../random";
import type { Person } from "./content";

/**
 * @module
 * A user's Exchange mailbox as the emulator stores it: the well-known
 * folders and the messages, whose records hold Graph's `message` wire shape
 * plus the attachments, and the small helpers every mailbox operation uses.
 */
export interface EmailAddress {
  name: string;
  address: string;
}
export interface Recipient {
  emailAddress: EmailAddress;
}
export interface ItemBody {
  contentType: "html" | "text";
  content: string;
}
export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}
export interface FollowupFlag {
  flagStatus: "notFlagged" | "flagged" | "complete";
  startDateTime?: DateTimeTimeZone;
  dueDateTime?: DateTimeTimeZone;
  completedDateTime?: DateTimeTimeZone;
}

export interface AttachmentRecord {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  lastModifiedDateTime: string;
  contentId: string | null;
  contentLocation: string | null;
  contentBytes: string;
}

export interface MessageRecord {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
  receivedDateTime: string;
  sentDateTime: string;
  hasAttachments: boolean;
  internetMessageId: string;
  subject: string;
  bodyPreview: string;
  importance: "low" | "normal" | "high";
  parentFolderId: string;
  conversationId: string;
  conversationIndex: string;
  isDeliveryReceiptRequested: boolean;
  isReadReceiptRequested: boolean;
  isRead: boolean;
  isDraft: boolean;
  inferenceClassification: "focused" | "other";
  body: ItemBody;
  /** Only the new part of the body (no quoted history); returned when selected. */
  uniqueBody: ItemBody;
  sender: Recipient | null;
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  flag: FollowupFlag;
  attachments: AttachmentRecord[];
}

export const WELL_KNOWN_FOLDERS = [
  { name: "inbox", displayName: "Inbox" },
  { name: "drafts", displayName: "Drafts" },
  { name: "sentitems", displayName: "Sent Items" },
  { name: "deleteditems", displayName: "Deleted Items" },
  { name: "archive", displayName: "Archive" },
  { name: "junkemail", displayName: "Junk Email" },
  { name: "outbox", displayName: "Outbox" },
] as const;
export type WellKnownName = (typeof WELL_KNOWN_FOLDERS)[number]["name"] | "msgfolderroot";

export interface FolderRecord {
  id: string;
  displayName: string;
  parentFolderId: string;
  wellKnownName: WellKnownName;
}

export interface MailStore {
  tenantId: string;
  owner: EmulatedUser;
  rootId: string;
  folders: Map<string, FolderRecord>;
  byName: Map<WellKnownName, string>;
  messages: Map<string, MessageRecord>;
}

export function recipient(person: Person | EmailAddress): Recipient {
  return { emailAddress: { name: person.name, address: person.address } };
}

export function changeKeyFor(seed: string): string {
  return `CQAAABYAAAD${opaqueId(`ck:${seed}`).slice(4, 32)}`;
}

export function flagDate(ms: number): DateTimeTimeZone {
  return { dateTime: `${new Date(ms).toISOString().slice(0, 19)}.0000000`, timeZone: "UTC" };
}

export function emptyMailbox(tenantId: string, owner: EmulatedUser): MailStore {
  const key = `${tenantId}:${owner.oid}`;
  const rootId = opaqueId(`mail-folder:${key}:msgfolderroot`);
  const folders = new Map<string, FolderRecord>([
    [
      rootId,
      {
        id: rootId,
        displayName: "Top of Information Store",
        parentFolderId: opaqueId(`mail-folder:${key}:root`),
        wellKnownName: "msgfolderroot",
      },
    ],
  ]);
  const byName = new Map<WellKnownName, string>([["msgfolderroot", rootId]]);
  for (const folder of WELL_KNOWN_FOLDERS) {
    const id = opaqueId(`mail-folder:${key}:${folder.name}`);
    folders.set(id, { id, displayName: folder.displayName, parentFolderId: rootId, wellKnownName: folder.name });
    byName.set(folder.name, id);
  }
  return { tenantId, owner, rootId, folders, byName, messages: new Map() };
}

export function folderId(store: MailStore, name: WellKnownName): string {
  return store.byName.get(name) ?? store.rootId;
}
