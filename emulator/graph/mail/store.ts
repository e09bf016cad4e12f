import type { EmulatedTenant, EmulatedUser } from "../../state";
import { opaqueId } from "../random";
import type { GraphStore } from "../store";
import type { AttachmentInput, MessageInput } from "./input";
import {
  type AttachmentRecord,
  changeKeyFor,
  flagDate,
  folderId,
  type FolderRecord,
  type ItemBody,
  type MailStore,
  type MessageRecord,
  type Recipient,
  recipient,
  type WellKnownName,
} from "./model";
import { seedMailbox } from "./seed";
import { base64Size, bodyFragment, escapeHtml, htmlDocument, htmlToText, isoSeconds, previewOf, textToHtml } from "./text";

/**
 * @module
 * Mailbox operations behind the mail routes: presenting records in Graph's
 * wire shape, moving and copying (which give a message a new id, as Exchange
 * does), composing replies and forwards, and delivering sent mail to other
 * mailboxes of the same tenant.
 */
export function mailboxOf(graph: GraphStore, tenantId: string, user: EmulatedUser): MailStore {
  return graph.forUser("mail", tenantId, user, (owner, day) => seedMailbox(tenantId, owner, day));
}

/** A folder by id or well-known name (case-insensitive, as Graph accepts). */
export function resolveFolder(store: MailStore, key: string): FolderRecord | undefined {
  const byName = store.byName.get(key.toLowerCase() as WellKnownName);
  return store.folders.get(byName ?? key);
}

export function presentFolder(store: MailStore, folder: FolderRecord): Record<string, unknown> {
  let total = 0;
  let unread = 0;
  let size = 0;
  for (const message of store.messages.values()) {
    if (message.parentFolderId !== folder.id) continue;
    total += 1;
    if (!message.isRead) unread += 1;
    size += message.body.content.length + message.attachments.reduce((sum, attachment) => sum + attachment.size, 0);
  }
  const children = [...store.folders.values()].filter((candidate) => candidate.parentFolderId === folder.id).length;
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId,
    childFolderCount: children,
    unreadItemCount: unread,
    totalItemCount: total,
    sizeInBytes: size,
    isHidden: false,
  };
}

export interface MessageView {
  /** `Prefer: outlook.body-content-type`. */
  bodyType?: "html" | "text";
  /** Mail.ReadBasic: no body, bodyPreview or uniqueBody. */
  basic?: boolean;
  /** uniqueBody is only returned when `$select`ed. */
  uniqueBody?: boolean;
}

function convertBody(body: ItemBody, bodyType: MessageView["bodyType"]): ItemBody {
  if (!bodyType || bodyType === body.contentType) return body;
  return bodyType === "text"
    ? { contentType: "text", content: htmlToText(body.content) }
    : { contentType: "html", content: textToHtml(body.content) };
}

export function presentMessage(message: MessageRecord, view: MessageView = {}): Record<string, unknown> {
  const { attachments: _attachments, uniqueBody, body, bodyPreview, ...fields } = message;
  const presented: Record<string, unknown> = { "@odata.etag": `W/"${message.changeKey}"`, ...fields };
  if (!view.basic) {
    presented.bodyPreview = bodyPreview;
    presented.body = convertBody(body, view.bodyType);
    if (view.uniqueBody) presented.uniqueBody = convertBody(uniqueBody, view.bodyType);
  }
  presented.webLink = `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(message.id)}&exvsurl=1&viewmodel=ReadMessageItem`;
  return presented;
}

export function presentAttachment(attachment: AttachmentRecord, withBytes: boolean): Record<string, unknown> {
  const { contentBytes, ...fields } = attachment;
  return {
    "@odata.type": "#microsoft.graph.fileAttachment",
    "@odata.mediaContentType": attachment.contentType,
    ...fields,
    ...(withBytes ? { contentBytes } : {}),
  };
}

export function newId(store: MailStore, kind: "mail" | "att"): string {
  return opaqueId(`${kind}:${store.tenantId}:${store.owner.oid}:${crypto.randomUUID()}`);
}

export function touch(message: MessageRecord, now = Date.now()): void {
  message.lastModifiedDateTime = isoSeconds(now);
  message.changeKey = changeKeyFor(`${message.id}:${crypto.randomUUID()}`);
}

function cloneAttachments(store: MailStore, attachments: readonly AttachmentRecord[]): AttachmentRecord[] {
  return attachments.map((attachment) => ({ ...attachment, id: newId(store, "att") }));
}

/** A copy of `message` in another folder of `store`, under a new id. */
export function copyInto(store: MailStore, message: MessageRecord, targetFolderId: string): MessageRecord {
  const copy: MessageRecord = {
    ...structuredClone(message),
    id: newId(store, "mail"),
    parentFolderId: targetFolderId,
    attachments: cloneAttachments(store, message.attachments),
  };
  touch(copy);
  store.messages.set(copy.id, copy);
  return copy;
}

/** Moving gives the item a new id (Graph ids are not immutable by default). */
export function moveTo(store: MailStore, message: MessageRecord, targetFolderId: string): MessageRecord {
  if (message.parentFolderId === targetFolderId) return message;
  store.messages.delete(message.id);
  const moved: MessageRecord = { ...message, id: newId(store, "mail"), parentFolderId: targetFolderId };
  touch(moved);
  store.messages.set(moved.id, moved);
  return moved;
}

export function setBody(message: MessageRecord, body: ItemBody): void {
  message.body = body.contentType === "html" ? { contentType: "html", content: htmlDocument(body.content) } : body;
  message.uniqueBody = message.body;
  message.bodyPreview = previewOf(message.body);
}

export function allRecipients(message: MessageRecord): Recipient[] {
  return [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients];
}

/** A new message record with Graph's defaults; `fields` override them. */
export function blankMessage(store: MailStore, folder: WellKnownName, fields: Partial<MessageRecord> = {}): MessageRecord {
  const id = newId(store, "mail");
  const now = isoSeconds(Date.now());
  const body: ItemBody = { contentType: "text", content: "" };
  return {
    id,
    createdDateTime: now,
    lastModifiedDateTime: now,
    changeKey: changeKeyFor(id),
    categories: [],
    receivedDateTime: now,
    sentDateTime: now,
    hasAttachments: false,
    internetMessageId: `<${id.slice(4, 36).replace(/[-_=]/g, "x")}@${store.owner.mail.split("@")[1] ?? "example.com"}>`,
    subject: "",
    bodyPreview: "",
    importance: "normal",
    parentFolderId: folderId(store, folder),
    conversationId: `AAQk${opaqueId(`conv:${id}`).slice(4, 48)}=`,
    conversationIndex: btoa(crypto.randomUUID()),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: true,
    isDraft: folder === "drafts",
    inferenceClassification: "focused",
    body,
    uniqueBody: body,
    sender: null,
    from: null,
    toRecipients: [],
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: "notFlagged" },
    attachments: [],
    ...fields,
  };
}

export type ReplyKind = "reply" | "replyAll" | "forward";

function sameAddress(a: Recipient, b: string): boolean {
  return a.emailAddress.address.toLowerCase() === b.toLowerCase();
}

function dedupe(recipients: Recipient[], exclude: string): Recipient[] {
  const seen = new Set<string>([exclude.toLowerCase()]);
  return recipients.filter((r) => {
    const key = r.emailAddress.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function quoteHeader(original: MessageRecord): string {
  const list = (recipients: Recipient[]) =>
    recipients.map((r) => escapeHtml(`${r.emailAddress.name} <${r.emailAddress.address}>`)).join("; ");
  const sender = original.from ? list([original.from]) : "";
  const cc = original.ccRecipients.length ? `<br><b>Cc:</b> ${list(original.ccRecipients)}` : "";
  return `<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> ${sender}<br><b>Sent:</b> ${new Date(original.sentDateTime).toUTCString()}<br><b>To:</b> ${list(original.toRecipients)}${cc}<br><b>Subject:</b> ${escapeHtml(original.subject)}</font><div>&nbsp;</div></div>`;
}

/** The draft Outlook creates for reply / reply all / forward, with the original quoted. */
export function composeResponse(store: MailStore, original: MessageRecord, kind: ReplyKind, comment: string): MessageRecord {
  const me = store.owner.mail;
  const fromMe = original.from ? sameAddress(original.from, me) : true;
  let to: Recipient[] = [];
  let cc: Recipient[] = [];
  if (kind !== "forward") {
    const primary = fromMe ? original.toRecipients : original.replyTo.length ? original.replyTo : original.from ? [original.from] : [];
    to = kind === "replyAll" ? dedupe([...primary, ...(fromMe ? [] : original.toRecipients)], me) : dedupe(primary, fromMe ? "" : me);
    cc =
      kind === "replyAll" ? dedupe(original.ccRecipients, me).filter((r) => !to.some((t) => sameAddress(t, r.emailAddress.address))) : [];
  }
  const prefix = kind === "forward" ? "FW: " : "RE: ";
  const stripped = original.subject.replace(/^((re|fw|fwd):\s*)+/i, "");
  const originalHtml =
    original.body.contentType === "html"
      ? bodyFragment(original.body.content)
      : `<div class="PlainText">${escapeHtml(original.body.content).replace(/\r?\n/g, "<br>")}</div>`;
  const commentHtml = `<div>${escapeHtml(comment).replace(/\r?\n/g, "<br>")}</div>`;
  const draft = blankMessage(store, "drafts", {
    subject: `${prefix}${stripped}`,
    conversationId: original.conversationId,
    conversationIndex: original.conversationIndex,
    toRecipients: to,
    ccRecipients: cc,
    from: recipient({ name: store.owner.displayName, address: me }),
    sender: recipient({ name: store.owner.displayName, address: me }),
    attachments: cloneAttachments(store, kind === "forward" ? original.attachments : original.attachments.filter((a) => a.isInline)),
  });
  setBody(draft, { contentType: "html", content: `${commentHtml}<div><br></div>${quoteHeader(original)}${originalHtml}` });
  draft.uniqueBody = { contentType: "html", content: htmlDocument(commentHtml) };
  draft.hasAttachments = draft.attachments.some((a) => !a.isInline);
  return draft;
}

/** Marks a message sent and files it in Sent Items (or drops it), returning the sent copy. */
export function markSent(store: MailStore, message: MessageRecord, saveToSentItems: boolean): MessageRecord {
  const now = isoSeconds(Date.now());
  const me = recipient({ name: store.owner.displayName, address: store.owner.mail });
  store.messages.delete(message.id);
  const sent: MessageRecord = {
    ...message,
    isDraft: false,
    isRead: true,
    from: me,
    sender: me,
    sentDateTime: now,
    receivedDateTime: now,
    hasAttachments: message.attachments.some((a) => !a.isInline),
  };
  if (saveToSentItems) return moveTo(store, { ...sent, parentFolderId: "" }, folderId(store, "sentitems"));
  return sent;
}

/** Delivers a copy of `sent` to the Inbox of every recipient who is a user of the same tenant. */
export function deliverWithinTenant(graph: GraphStore, tenant: EmulatedTenant, sent: MessageRecord): number {
  const addresses = new Set(allRecipients(sent).map((r) => r.emailAddress.address.toLowerCase()));
  let delivered = 0;
  for (const user of tenant.users.values()) {
    if (!addresses.has(user.mail.toLowerCase()) && !addresses.has(user.userPrincipalName.toLowerCase())) continue;
    const mailbox = mailboxOf(graph, tenant.tenantId, user);
    const copy: MessageRecord = {
      ...structuredClone(sent),
      id: newId(mailbox, "mail"),
      parentFolderId: folderId(mailbox, "inbox"),
      isRead: false,
      isDraft: false,
      bccRecipients: [],
      categories: [],
      flag: { flagStatus: "notFlagged" },
      inferenceClassification: "focused",
      receivedDateTime: isoSeconds(Date.now()),
      attachments: sent.attachments.map((attachment) => ({ ...attachment, id: newId(mailbox, "att") })),
    };
    touch(copy);
    mailbox.messages.set(copy.id, copy);
    delivered += 1;
  }
  return delivered;
}

/** A stored attachment from a request's fileAttachment; size is the decoded byte count. */
export function attachmentRecord(store: MailStore, input: AttachmentInput): AttachmentRecord {
  return {
    id: newId(store, "att"),
    name: input.name,
    contentType: input.contentType ?? "application/octet-stream",
    size: base64Size(input.contentBytes),
    isInline: input.isInline ?? false,
    lastModifiedDateTime: isoSeconds(Date.now()),
    contentId: input.contentId ?? null,
    contentLocation: null,
    contentBytes: input.contentBytes,
  };
}

/** Applies a create/PATCH body; the caller has already checked which fields may change. */
export function applyFields(store: MailStore, message: MessageRecord, input: MessageInput): void {
  const { body, attachments, ...fields } = input;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(message, { [key]: value });
  if (body) setBody(message, body);
  if (message.flag.flagStatus === "complete" && !message.flag.completedDateTime) message.flag.completedDateTime = flagDate(Date.now());
  if (attachments) message.attachments.push(...attachments.map((attachment) => attachmentRecord(store, attachment)));
  message.hasAttachments = message.attachments.some((attachment) => !attachment.isInline);
  touch(message);
}
