import { z } from "zod";
import type { GraphRequest } from "../client";
import { documentKind } from "../format/documents";
import { humanSize } from "../format/files";
import {
  ATTACHMENTS_EXPAND,
  FOLDER_SELECT,
  folderLine,
  LIST_SELECT,
  type MailAttachment,
  type MailFolder,
  type MailMessage,
  MESSAGE_SELECT,
  messageHeader,
  messageLine,
  OUTGOING_FOLDERS,
  OUTGOING_SELECT,
} from "../format/mail";
import { bodyText, type Truncated, window } from "../format/text";
import { graphPath, odataString, searchPhrase } from "../path";
import {
  cursorField,
  emailField,
  idField,
  inMailbox,
  integerField,
  limitField,
  listPage,
  mailboxBase,
  mailboxInput,
  offsetField,
  textField,
} from "./common";
import { documentWindow } from "./document-window";
import { defineTool, expectOk, READ, type ToolContext } from "./types";

/**
 * @module Reading Outlook mail: folders, message lists and search (one line per
 * message), one message as clean text in windows, and attachments' text
 * (documents too) in windows.
 * Mail.ReadBasic cannot see bodies, so reads need Mail.Read or Mail.ReadWrite.
 */

export const MAIL_READ = ["Mail.Read", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"];
/**
 * The first window holds most mail whole. Longer ones (newsletters, reports
 * with tables, which cost many tokens per character) stay well over 5×
 * leaner than Graph's JSON for the message; 8000 measured only about 4×.
 */
const DEFAULT_BODY_CHARS = 3500;
const NO_FOLDERS = "No folders here.";

/** A folder id or a well-known name (inbox, sentitems…); both are one path segment. */
export const folderField = idField("folder", "a folder id or well-known name");
export const messageIdField = idField("message");
const maxCharsField = (fallback: number) => integerField(200, 20_000).default(fallback);

const ISO_DATE = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;

/** `2026-03-01` or an ISO date-time (UTC unless it says otherwise) → Graph's `2026-03-01T00:00:00Z`. */
function graphDateTime(value: string): string | undefined {
  if (!ISO_DATE.test(value)) return undefined;
  const withZone = value.length === 10 ? `${value}T00:00:00Z` : /(Z|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`;
  const time = Date.parse(withZone);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const sinceField = z
  .string()
  .refine((value) => graphDateTime(value) !== undefined, "expected an ISO date such as 2026-03-01")
  .optional()
  .describe("ISO date; received since.");

const queryField = textField(255, { expected: "something to search for" }).describe("Words or from:/to:/subject: terms.");

function folderMessagesPath(mailbox: string | undefined, folder: string | undefined): string {
  return mailboxBase(mailbox) + (folder ? graphPath`/mailFolders/${folder}/messages` : "/messages");
}

function messagePage(ctx: ToolContext, first: GraphRequest, cursor: string | undefined, outgoing: boolean, empty: string): Promise<string> {
  return listPage<MailMessage>(ctx, first, { cursor, what: "list the messages", empty, line: (message) => messageLine(message, outgoing) });
}

/** A window of `text` with a header line saying which part it is and how to read on. */
function windowed(text: string, offset: number, maxChars: number, tool: string, continueArgs: string): string {
  return shown(window(text, offset, maxChars), offset, tool, continueArgs);
}

function shown(part: Truncated, offset: number, tool: string, continueArgs: string): string {
  if (!part.text) return offset > 0 ? `Nothing after offset ${offset}; it has ${part.total} characters.` : "(empty)";
  const end = offset + part.text.length;
  const span = offset > 0 || part.nextOffset !== undefined ? `[characters ${offset}–${end} of ${part.total}]\n` : "";
  const more = part.nextOffset !== undefined ? `\n[More: call ${tool} with ${continueArgs}offset ${part.nextOffset}.]` : "";
  return `${span}${part.text}${more}`;
}

export const mailTools = [
  defineTool({
    name: "list_mail_folders",
    group: "mail",
    description: "List mail folders with unread and total counts.",
    input: { parent: folderField.optional().describe("Lists its subfolders."), mailbox: mailboxInput },
    scopes: MAIL_READ,
    annotations: READ,
    audit: { targets: ["parent", "mailbox"] },
    async run(ctx, { parent, mailbox }) {
      const path = mailboxBase(mailbox) + (parent ? graphPath`/mailFolders/${parent}/childFolders` : "/mailFolders");
      const request: GraphRequest = { method: "GET", path, query: { $select: FOLDER_SELECT, $top: "100" } };
      const text = await listPage<MailFolder>(inMailbox(ctx, mailbox), request, {
        what: "list your mail folders",
        empty: NO_FOLDERS,
        line: folderLine,
        more: "More folders exist than shown.",
      });
      return parent || text === NO_FOLDERS
        ? text
        : `${text}\nWell-known names work as folder ids: inbox, drafts, sentitems, deleteditems, archive, junkemail.`;
    },
  }),
  defineTool({
    name: "list_messages",
    group: "mail",
    description: "List messages in a folder, newest first, one line each.",
    input: {
      folder: folderField.default("inbox").describe("Id or well-known name, e.g. sentitems."),
      unreadOnly: z.boolean().default(false),
      from: emailField.optional().describe("Sender address."),
      since: sinceField,
      limit: limitField(50),
      cursor: cursorField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_READ,
    annotations: READ,
    audit: { targets: ["folder", "mailbox"], options: ["from", "since", "cursor"] },
    async run(ctx, input) {
      const outgoing = OUTGOING_FOLDERS.has(input.folder.toLowerCase());
      const filters: string[] = [];
      const since = input.since ? graphDateTime(input.since) : undefined;
      if (since) filters.push(`receivedDateTime ge ${since}`);
      // Graph refuses $orderby on a property the $filter does not start with ("InefficientFilter"),
      // so a filter without a date opens with an always-true one on receivedDateTime.
      else if (input.unreadOnly || input.from) filters.push("receivedDateTime ge 1900-01-01T00:00:00Z");
      if (input.unreadOnly) filters.push("isRead eq false");
      if (input.from) filters.push(`from/emailAddress/address eq ${odataString(input.from)}`);
      const query: Record<string, string> = {
        $select: outgoing ? OUTGOING_SELECT : LIST_SELECT,
        $top: String(input.limit),
        $orderby: "receivedDateTime desc",
      };
      if (filters.length) query.$filter = filters.join(" and ");
      const first: GraphRequest = { method: "GET", path: folderMessagesPath(input.mailbox, input.folder), query };
      const empty = filters.length ? "No messages match." : "No messages in this folder.";
      return messagePage(inMailbox(ctx, input.mailbox), first, input.cursor, outgoing, empty);
    },
  }),
  defineTool({
    name: "search_messages",
    group: "mail",
    description: "Search mail by words, sender or subject, one line each.",
    input: {
      query: queryField,
      folder: folderField.optional().describe("Default: all folders."),
      limit: limitField(50),
      cursor: cursorField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_READ,
    annotations: READ,
    audit: { targets: ["folder", "mailbox"], text: ["query"], options: ["cursor"] },
    async run(ctx, input) {
      // Graph sorts $search results newest first itself and refuses $search with $orderby or $filter.
      const query = { $search: searchPhrase(input.query), $select: LIST_SELECT, $top: String(input.limit) };
      const first: GraphRequest = { method: "GET", path: folderMessagesPath(input.mailbox, input.folder), query };
      return messagePage(inMailbox(ctx, input.mailbox), first, input.cursor, false, `No messages match "${input.query}".`);
    },
  }),
  defineTool({
    name: "get_message",
    group: "mail",
    description: "Read a message: headers, attachments and body as plain text, in windows.",
    input: { id: messageIdField, offset: offsetField, maxChars: maxCharsField(DEFAULT_BODY_CHARS), mailbox: mailboxInput },
    scopes: MAIL_READ,
    annotations: READ,
    audit: { targets: ["id", "mailbox"] },
    async run(ctx, { id, offset, maxChars, mailbox }) {
      const query: Record<string, string> = { $select: MESSAGE_SELECT };
      // A continuation only needs the body.
      if (offset === 0) query.$expand = ATTACHMENTS_EXPAND;
      const message = expectOk<MailMessage>(
        await inMailbox(ctx, mailbox).graph({ method: "GET", path: mailboxBase(mailbox) + graphPath`/messages/${id}`, query }),
        "read the message",
      );
      const header = offset === 0 ? messageHeader(message) : `Subject: ${message.subject || "(no subject)"} (continued)`;
      return `${header}\n\n${windowed(bodyText(message.body), offset, maxChars, ctx.tool, "")}`;
    },
  }),
  defineTool({
    name: "get_attachment",
    group: "mail",
    description: "Read an attachment's text (Word, Excel, PowerPoint, PDF, text, HTML) in windows.",
    input: {
      messageId: messageIdField,
      attachmentId: idField("attachment"),
      offset: offsetField,
      maxChars: maxCharsField(20_000),
      mailbox: mailboxInput,
    },
    scopes: MAIL_READ,
    annotations: READ,
    audit: { targets: ["messageId", "attachmentId", "mailbox"] },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const path = mailboxBase(input.mailbox) + graphPath`/messages/${input.messageId}/attachments/${input.attachmentId}`;
      const meta = expectOk<MailAttachment>(
        await ctx.graph({ method: "GET", path, query: { $select: "name,contentType,size,isInline" } }),
        "read the attachment",
      );
      const name = meta.name || "(unnamed)";
      const title = `${name} (${[meta.contentType, humanSize(meta.size)].filter(Boolean).join(", ")})`;
      if (meta["@odata.type"] && !/fileAttachment$/i.test(meta["@odata.type"]))
        return `${title}\nAn attached Outlook item or link, not a file; its content is not shown.`;
      const kind = documentKind(name, meta.contentType ?? undefined);
      if (!kind) return `${title}\nBinary attachment; its content is not shown.`;
      // $value is the attachment's raw bytes: no base64 inside JSON, and one read per call.
      const request: GraphRequest = { method: "GET", path: `${path}/$value` };
      const part = await documentWindow(ctx, { name, size: meta.size, kind, request }, input.offset, input.maxChars);
      return `${title}\n${shown(part, input.offset, ctx.tool, "the same ids and ")}`;
    },
  }),
];
