import { z } from "zod";
import type { MailMessage } from "../format/mail";
import { formatRecipients, toRecipients } from "../format/people";
import { graphPath } from "../path";
import { inMailbox, mailboxBase, mailboxInput, recipientsField, textField } from "./common";
import {
  type AttachmentSource,
  attachedSummary,
  attachmentsField,
  attachToDraft,
  fitsInline,
  inlineAttachments,
  resolveAttachments,
} from "./mail-attachments";
import { folderField, messageIdField } from "./mail.tools";
import { CREATE, defineTool, expectOk, SEND, type ToolContext, UPDATE } from "./types";

/**
 * @module Writing Outlook mail: send, reply, forward, drafts, move and mark read.
 * Sending needs Mail.Send; changing the mailbox needs Mail.ReadWrite (their
 * `.Shared` forms for a shared mailbox, named by `mailbox`). None
 * of these POSTs is retried on 503: a retry could send or move twice.
 */

const MAIL_WRITE = ["Mail.ReadWrite", "Mail.ReadWrite.Shared"];
// Sending from a shared mailbox (POST /users/{address}/sendMail) needs Mail.Send.Shared and Send As or Send on Behalf on it.
const MAIL_SEND = ["Mail.Send", "Mail.Send.Shared"];

const requiredRecipients = recipientsField.min(1, "expected at least one recipient").describe('Addresses or "Name <address>".');
const subjectField = textField(400, { verbatim: true });
const bodyField = textField(500_000, { verbatim: true });
const commentField = textField(100_000, { expected: "some text", verbatim: true });
const bodyFormatField = z.enum(["text", "html"]).default("text");

interface Composed {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  body: string;
  bodyFormat: "text" | "html";
}

/** Graph's message resource for a new mail; empty recipient lists are left out. */
function messageBody(input: Composed): Record<string, unknown> {
  const message: Record<string, unknown> = {
    subject: input.subject,
    body: { contentType: input.bodyFormat, content: input.body },
  };
  if (input.to?.length) message.toRecipients = toRecipients(input.to);
  if (input.cc?.length) message.ccRecipients = toRecipients(input.cc);
  if (input.bcc?.length) message.bccRecipients = toRecipients(input.bcc);
  return message;
}

/**
 * Puts the attachments on a draft Graph has just created, then sends it when
 * `send`; if attaching fails the draft is deleted, so nothing half-made stays
 * behind.
 */
async function completeDraft(
  ctx: ToolContext,
  mailbox: string | undefined,
  draft: MailMessage,
  sources: readonly AttachmentSource[],
  send: boolean,
): Promise<void> {
  const path = mailboxBase(mailbox) + graphPath`/messages/${draft.id}`;
  try {
    await attachToDraft(ctx, path, sources);
  } catch (error) {
    await ctx.graph({ method: "DELETE", path });
    throw error;
  }
  if (send) expectOk(await ctx.graph({ method: "POST", path: `${path}/send` }), "send the message");
}

/** Reply or forward with attachments: Graph's create… action makes the draft, which then gets the files and is sent. */
async function respondWithAttachments(
  ctx: ToolContext,
  mailbox: string | undefined,
  action: string,
  body: Record<string, unknown>,
  sources: readonly AttachmentSource[],
): Promise<void> {
  const response = await ctx.graph({ method: "POST", path: `${mailboxBase(mailbox)}${action}`, body });
  await completeDraft(ctx, mailbox, expectOk<MailMessage>(response, "prepare the message"), sources, true);
}

function audience(to: string[] | undefined, cc?: string[], bcc?: string[]): string {
  return [
    formatRecipients(toRecipients(to)) || "(no recipients)",
    cc?.length ? `; cc ${formatRecipients(toRecipients(cc))}` : "",
    bcc?.length ? `; bcc ${formatRecipients(toRecipients(bcc))}` : "",
  ].join("");
}

export const mailWriteTools = [
  defineTool({
    name: "send_message",
    group: "mail",
    description: "Send an email.",
    input: {
      to: requiredRecipients,
      cc: recipientsField.optional(),
      bcc: recipientsField.optional(),
      subject: subjectField,
      body: bodyField,
      bodyFormat: bodyFormatField,
      saveToSentItems: z.boolean().default(true),
      attachments: attachmentsField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_SEND,
    annotations: SEND,
    audit: { recipients: ["to", "cc", "bcc"], text: ["subject", "body"], targets: ["mailbox", "attachments"] },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const sources = await resolveAttachments(ctx, input.mailbox, input.attachments);
      const sent = `Sent "${input.subject}"${attachedSummary(sources)} to ${audience(input.to, input.cc, input.bcc)}.`;
      if (!fitsInline(sources)) {
        // Upload sessions attach to an existing message, so large files go through a draft; sending it keeps a copy in Sent Items.
        const draft = expectOk<MailMessage>(
          await ctx.graph({ method: "POST", path: `${mailboxBase(input.mailbox)}/messages`, body: messageBody(input) }),
          "prepare the message",
        );
        await completeDraft(ctx, input.mailbox, draft, sources, true);
        return `${sent} A copy is in Sent Items.`;
      }
      const message = { ...messageBody(input), ...(sources.length ? { attachments: await inlineAttachments(sources) } : {}) };
      const body = { message, saveToSentItems: input.saveToSentItems };
      expectOk(await ctx.graph({ method: "POST", path: `${mailboxBase(input.mailbox)}/sendMail`, body }), "send the message");
      return `${sent}${input.saveToSentItems ? " A copy is in Sent Items." : ""}`;
    },
  }),
  defineTool({
    name: "reply_message",
    group: "mail",
    description: "Reply (or reply all) to a message.",
    input: {
      id: messageIdField,
      comment: commentField,
      replyAll: z.boolean().default(false),
      attachments: attachmentsField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_SEND,
    annotations: SEND,
    audit: { targets: ["id", "mailbox", "attachments"], text: ["comment"] },
    async run(outer, { id, comment, replyAll, attachments, mailbox }) {
      const ctx = inMailbox(outer, mailbox);
      const sources = await resolveAttachments(ctx, mailbox, attachments);
      const done = `${replyAll ? "Reply to all" : "Reply"} sent${attachedSummary(sources)}; a copy is in Sent Items.`;
      if (sources.length) {
        const action = replyAll ? graphPath`/messages/${id}/createReplyAll` : graphPath`/messages/${id}/createReply`;
        await respondWithAttachments(ctx, mailbox, action, { comment }, sources);
        return done;
      }
      const path = mailboxBase(mailbox) + (replyAll ? graphPath`/messages/${id}/replyAll` : graphPath`/messages/${id}/reply`);
      expectOk(await ctx.graph({ method: "POST", path, body: { comment } }), "send the reply");
      return done;
    },
  }),
  defineTool({
    name: "forward_message",
    group: "mail",
    description: "Forward a message with its attachments.",
    input: {
      id: messageIdField,
      to: requiredRecipients,
      comment: textField(100_000, { verbatim: true }).optional(),
      attachments: attachmentsField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_SEND,
    annotations: SEND,
    audit: { targets: ["id", "mailbox", "attachments"], recipients: ["to"], text: ["comment"] },
    async run(outer, { id, to, comment, attachments, mailbox }) {
      const ctx = inMailbox(outer, mailbox);
      const sources = await resolveAttachments(ctx, mailbox, attachments);
      const body = { comment: comment ?? "", toRecipients: toRecipients(to) };
      if (sources.length) await respondWithAttachments(ctx, mailbox, graphPath`/messages/${id}/createForward`, body, sources);
      else
        expectOk(
          await ctx.graph({ method: "POST", path: mailboxBase(mailbox) + graphPath`/messages/${id}/forward`, body }),
          "forward the message",
        );
      return `Forwarded${attachedSummary(sources)} to ${audience(to)}; a copy is in Sent Items.`;
    },
  }),
  defineTool({
    name: "create_draft",
    group: "mail",
    description: "Save a new email in Drafts without sending it.",
    input: {
      to: recipientsField.optional(),
      cc: recipientsField.optional(),
      bcc: recipientsField.optional(),
      subject: subjectField,
      body: bodyField,
      bodyFormat: bodyFormatField,
      attachments: attachmentsField,
      mailbox: mailboxInput,
    },
    scopes: MAIL_WRITE,
    annotations: CREATE,
    audit: { recipients: ["to", "cc", "bcc"], text: ["subject", "body"], targets: ["mailbox", "attachments"], creates: true },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const sources = await resolveAttachments(ctx, input.mailbox, input.attachments);
      const inline = fitsInline(sources);
      const body = { ...messageBody(input), ...(inline && sources.length ? { attachments: await inlineAttachments(sources) } : {}) };
      const draft = expectOk<MailMessage>(
        await ctx.graph({ method: "POST", path: `${mailboxBase(input.mailbox)}/messages`, body }),
        "save the draft",
      );
      if (!inline) await completeDraft(ctx, input.mailbox, draft, sources, false);
      const to = audience(input.to, input.cc, input.bcc);
      return `Draft saved in Drafts: "${input.subject}"${attachedSummary(sources)} to ${to} · id: ${draft.id}`;
    },
  }),
  defineTool({
    name: "move_message",
    group: "mail",
    description: "Move a message to another folder; it gets a new id.",
    input: { id: messageIdField, destination: folderField.describe("Id or well-known name, e.g. archive."), mailbox: mailboxInput },
    scopes: MAIL_WRITE,
    // The old id stops working once moved, so repeating the call fails: not idempotent.
    annotations: { ...UPDATE, idempotentHint: false },
    audit: { targets: ["id", "destination", "mailbox"], creates: true },
    async run(ctx, { id, destination, mailbox }) {
      const path = mailboxBase(mailbox) + graphPath`/messages/${id}/move`;
      const response = await inMailbox(ctx, mailbox).graph({ method: "POST", path, body: { destinationId: destination } });
      const moved = expectOk<MailMessage>(response, "move the message");
      return `Moved to ${destination}. Its new id is ${moved.id} (the old id no longer works).`;
    },
  }),
  defineTool({
    name: "mark_message",
    group: "mail",
    description: "Mark a message read or unread.",
    input: { id: messageIdField, read: z.boolean(), mailbox: mailboxInput },
    scopes: MAIL_WRITE,
    annotations: UPDATE,
    audit: { targets: ["id", "mailbox"] },
    async run(ctx, { id, read, mailbox }) {
      // Setting isRead to a given value is idempotent, so a 503 may be retried.
      const request = {
        method: "PATCH" as const,
        path: mailboxBase(mailbox) + graphPath`/messages/${id}`,
        body: { isRead: read },
        idempotent: true,
      };
      const response = await inMailbox(ctx, mailbox).graph(request);
      const updated = expectOk<MailMessage>(response, "mark the message");
      return `Marked "${updated.subject || "(no subject)"}" as ${read ? "read" : "unread"}.`;
    },
  }),
];
