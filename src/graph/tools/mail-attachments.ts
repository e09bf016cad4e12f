import { z } from "zod";
import type { RawContent } from "../download";
import { humanSize } from "../format/files";
import { graphPath } from "../path";
import { base64ToBytes, bytesToBase64 } from "../../lib/encoding";
import { driveBase, driveIdField, idField, mailboxBase } from "./common";
import { expectOk, type ToolContext, ToolError } from "./types";

/**
 * @module Attachments for outgoing mail, fetched by the gateway from OneDrive
 * or from another message, never passed through the model. Files under 3 MB
 * go inline (a fileAttachment's contentBytes); larger ones, up to Graph's
 * 150 MB, through an upload session on a draft, in ranges under 4 MB that are
 * read from the source one at a time, so no file is ever held whole.
 * Source: https://learn.microsoft.com/graph/outlook-large-attachments
 */

/** Graph: "If the file size is under 3 MB, do a single POST on the attachments navigation property". */
const INLINE_MAX = 3_000_000;
/** Inline files travel base64 in one JSON request, which Graph caps at 4 MB: 2.5 MB of files stays under it. */
const INLINE_TOTAL_MAX = 2_500_000;
/** Graph's limit for one attachment through an upload session. */
const FILE_MAX = 150_000_000;
/**
 * Exchange Online's default message size limit is 35 MB, counted after
 * base64 encoding (about a third larger): 25 MB of files fits it.
 */
const TOTAL_MAX = 25_000_000;
/** Each PUT carries at most 4 MB; 12 × 320 KiB stays under it. */
const RANGE_BYTES = 12 * 320 * 1024;

const EXPECTED = "expected {fileId, driveId?} or {messageId, attachmentId}";

/** One file to attach: a OneDrive item (own drive, or `driveId`), or another message's attachment in the same mailbox. */
const attachmentRef = z
  .strictObject({
    fileId: idField("file").optional(),
    driveId: driveIdField.optional(),
    messageId: idField("message").optional(),
    attachmentId: idField("attachment").optional(),
  })
  .refine(
    (ref) =>
      (ref.fileId !== undefined && ref.messageId === undefined && ref.attachmentId === undefined) ||
      (ref.fileId === undefined && ref.driveId === undefined && ref.messageId !== undefined && ref.attachmentId !== undefined),
    EXPECTED,
  );

export type AttachmentRef = z.infer<typeof attachmentRef>;

/** No description: the reference's field names say what it takes, and each word is paid in every session. */
export const attachmentsField = z.array(attachmentRef).max(20, "at most 20 attachments").optional();

/** A file to attach: its name and type, and a way to read it a range at a time. */
export interface AttachmentSource {
  name: string;
  contentType: string;
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

interface DriveItem {
  name?: string;
  size?: number;
  file?: { mimeType?: string };
}

interface MessageAttachment {
  "@odata.type"?: string;
  name?: string;
  contentType?: string | null;
  size?: number;
  contentBytes?: string;
}

/** Reads a window of `/content` or `$value` bytes through the agent. */
async function readWindow(ctx: ToolContext, path: string, offset: number, length: number, what: string): Promise<Uint8Array> {
  const content = expectOk<RawContent>(await ctx.graph({ method: "GET", path, download: { offset, length } }), what);
  if (content.bytes.byteLength !== length) throw new ToolError(`Could not ${what}: it changed while being attached; try again.`);
  return content.bytes;
}

async function fromDrive(ctx: ToolContext, ref: AttachmentRef & { fileId: string }, field: string): Promise<AttachmentSource> {
  const item = `${driveBase(ref.driveId)}${graphPath`/items/${ref.fileId}`}`;
  const what = `read ${field}.fileId`;
  const meta = expectOk<DriveItem>(await ctx.graph({ method: "GET", path: item, query: { $select: "name,size,file" } }), what);
  if (!meta.file) throw new ToolError(`Invalid arguments: ${field}.fileId: "${meta.name ?? ref.fileId}" is a folder, not a file`);
  return {
    name: meta.name || "attachment",
    contentType: meta.file.mimeType || "application/octet-stream",
    size: meta.size ?? 0,
    read: (offset, length) => readWindow(ctx, `${item}/content`, offset, length, what),
  };
}

async function fromMessage(
  ctx: ToolContext,
  mailbox: string | undefined,
  ref: AttachmentRef & { messageId: string; attachmentId: string },
  field: string,
): Promise<AttachmentSource> {
  const path = mailboxBase(mailbox) + graphPath`/messages/${ref.messageId}/attachments/${ref.attachmentId}`;
  const what = `read ${field}.attachmentId`;
  const meta = expectOk<MessageAttachment>(await ctx.graph({ method: "GET", path, query: { $select: "name,contentType,size" } }), what);
  if (meta["@odata.type"] && !/fileAttachment$/i.test(meta["@odata.type"])) {
    throw new ToolError(
      `Invalid arguments: ${field}.attachmentId: an attached Outlook item or link, not a file; forward its message instead`,
    );
  }
  let whole: Promise<Uint8Array> | undefined;
  return {
    name: meta.name || "attachment",
    contentType: meta.contentType || "application/octet-stream",
    size: meta.size ?? 0,
    // A small one is read whole once (contentBytes); a large one a range at a time from $value.
    read: (offset, length) => {
      if ((meta.size ?? 0) > INLINE_MAX) return readWindow(ctx, `${path}/$value`, offset, length, what);
      whole ??= ctx
        .graph({ method: "GET", path })
        .then((response) => base64ToBytes(expectOk<MessageAttachment>(response, what).contentBytes ?? ""));
      return whole.then((bytes) => bytes.slice(offset, offset + length));
    },
  };
}

/** Looks up every attachment (not its bytes) and checks the size limits before anything is sent. */
export async function resolveAttachments(
  ctx: ToolContext,
  mailbox: string | undefined,
  refs: readonly AttachmentRef[] | undefined,
): Promise<AttachmentSource[]> {
  const sources: AttachmentSource[] = [];
  for (const [index, ref] of (refs ?? []).entries()) {
    const field = `attachments.${index}`;
    const source =
      ref.fileId !== undefined
        ? await fromDrive(ctx, { ...ref, fileId: ref.fileId }, field)
        : await fromMessage(ctx, mailbox, { ...ref, messageId: ref.messageId ?? "", attachmentId: ref.attachmentId ?? "" }, field);
    if (source.size > FILE_MAX) {
      throw new ToolError(
        `Invalid arguments: ${field}: "${source.name}" is ${humanSize(source.size)}; Outlook attaches at most 150 MB per file`,
      );
    }
    sources.push(source);
  }
  const total = sources.reduce((sum, source) => sum + source.size, 0);
  if (total > TOTAL_MAX) {
    throw new ToolError(
      `Invalid arguments: attachments: together ${humanSize(total)}; a message holds at most 25 MB of files (Exchange Online's 35 MB limit after encoding)`,
      "Share large files with create_share_link and send the link instead.",
    );
  }
  return sources;
}

/** Whether every attachment can travel inside the one request that creates or sends the message. */
export function fitsInline(sources: readonly AttachmentSource[]): boolean {
  return sources.every((source) => source.size <= INLINE_MAX) && sources.reduce((sum, s) => sum + s.size, 0) <= INLINE_TOTAL_MAX;
}

async function fileAttachment(source: AttachmentSource): Promise<Record<string, unknown>> {
  return {
    "@odata.type": "#microsoft.graph.fileAttachment",
    name: source.name,
    contentType: source.contentType,
    contentBytes: bytesToBase64(await source.read(0, source.size)),
  };
}

/** The `attachments` property of a message that carries them inline. */
export async function inlineAttachments(sources: readonly AttachmentSource[]): Promise<Record<string, unknown>[]> {
  const list: Record<string, unknown>[] = [];
  for (const source of sources) list.push(await fileAttachment(source));
  return list;
}

/** Streams one large file into the draft through an upload session, one range at a time. */
async function uploadLarge(ctx: ToolContext, messagePath: string, source: AttachmentSource): Promise<void> {
  const session = expectOk<{ uploadUrl?: string }>(
    await ctx.graph({
      method: "POST",
      path: `${messagePath}/attachments/createUploadSession`,
      body: { AttachmentItem: { attachmentType: "file", name: source.name, size: source.size, contentType: source.contentType } },
    }),
    `start uploading ${source.name}`,
  );
  if (!session.uploadUrl) throw new ToolError(`Could not upload ${source.name}: Microsoft Graph gave no upload URL.`);
  for (let start = 0; start < source.size; start += RANGE_BYTES) {
    const bytes = await source.read(start, Math.min(RANGE_BYTES, source.size - start));
    const upload = { url: session.uploadUrl, bytes, start, total: source.size };
    expectOk(await ctx.graph({ method: "PUT", path: `${messagePath}/attachments`, upload }), `upload ${source.name}`);
  }
}

/** Adds every attachment to an existing draft: small ones in one POST each, large ones through an upload session. */
export async function attachToDraft(ctx: ToolContext, messagePath: string, sources: readonly AttachmentSource[]): Promise<void> {
  for (const source of sources) {
    if (source.size > INLINE_MAX) await uploadLarge(ctx, messagePath, source);
    else
      expectOk(
        await ctx.graph({ method: "POST", path: `${messagePath}/attachments`, body: await fileAttachment(source) }),
        `attach ${source.name}`,
      );
  }
}

/** "2 attachments (4.1 MB)" for the answer, or "" without any. */
export function attachedSummary(sources: readonly AttachmentSource[]): string {
  if (sources.length === 0) return "";
  const total = sources.reduce((sum, source) => sum + source.size, 0);
  return ` with ${sources.length} attachment${sources.length === 1 ? "" : "s"} (${humanSize(total)})`;
}
