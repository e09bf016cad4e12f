import { Hono } from "hono";
import { z } from "zod";
import type { EmulatorEnv } from "../../context";
import type { GraphStore } from "../store";
import { GRAPH_ERRORS, graphError } from "../errors";
import { opaqueId } from "../random";
import { readBody } from "./input";
import { findMessage, type MailContext, mailbox } from "./request";
import { attachmentRecord, mailboxOf, touch } from "./store";

/**
 * @module
 * Large attachments through an upload session, as Outlook does it:
 * `POST …/messages/{id}/attachments/createUploadSession` answers an
 * `uploadUrl` on the upload host (here `/_upload/outlook/…` on the emulator's
 * origin) that takes the file in `PUT` ranges with `Content-Range`, each at
 * most 4 MB and each starting where the last ended; 200 with
 * `nextExpectedRanges` until the last, 201 with a `Location` naming the new
 * attachment. No Authorization header may come (the URL is the credential),
 * and any other range, a size that differs from the session's, or a body
 * that does not match its range is refused.
 * Source: https://learn.microsoft.com/graph/outlook-large-attachments,
 * https://learn.microsoft.com/graph/api/attachment-createuploadsession
 */

export const UPLOAD_PATH = "/_upload/outlook";
/** Graph's limit for one attachment. */
const MAX_SIZE = 150 * 1024 * 1024;
/** "upload ranges of bytes (up to 4 MB each time)". */
const MAX_RANGE = 4 * 1024 * 1024;
const LIFETIME_MS = 15 * 60_000;

const SessionInput = z.strictObject({
  AttachmentItem: z.strictObject({
    attachmentType: z.literal("file"),
    name: z.string().min(1).max(255),
    size: z.number().int().min(1).max(MAX_SIZE),
    contentType: z.string().max(255).optional(),
    isInline: z.boolean().optional(),
    contentId: z.string().max(255).optional(),
  }),
});

interface UploadSession {
  tenantId: string;
  ownerOid: string;
  messageId: string;
  name: string;
  contentType: string;
  size: number;
  received: Uint8Array;
  next: number;
  expires: number;
}

/** A tenant's open sessions by their unguessable token; the tenant is part of the upload URL, so a token works only in its own. */
const sessionsOf = (graph: GraphStore, tenantId: string) =>
  graph.forTenant("mail-uploads", tenantId, () => new Map<string, UploadSession>());

const expiry = (session: UploadSession) => new Date(session.expires).toISOString();

/** `POST …/messages/{id}/attachments/createUploadSession` (Mail.ReadWrite, or .Shared in a shared mailbox). */
export async function createUploadSession(c: MailContext): Promise<Response> {
  const store = mailbox(c);
  const message = findMessage(store, c.req.param("id") ?? "");
  if (message instanceof Response) return message;
  const input = await readBody(c, SessionInput);
  if (input instanceof Response) return input;
  if (!message.isDraft) return graphError(400, "ErrorInvalidOperation", "Attachments can be uploaded only to a draft message.");
  const item = input.AttachmentItem;
  const token = opaqueId(`upload:${crypto.randomUUID()}`).slice(4, -1);
  const tenantId = c.get("caller").tenant.tenantId;
  const session: UploadSession = {
    tenantId,
    ownerOid: store.owner.oid,
    messageId: message.id,
    name: item.name,
    contentType: item.contentType ?? "application/octet-stream",
    size: item.size,
    received: new Uint8Array(item.size),
    next: 0,
    expires: Date.now() + LIFETIME_MS,
  };
  sessionsOf(c.get("graph"), tenantId).set(token, session);
  const origin = new URL(c.req.url).origin;
  return c.json(
    {
      "@odata.context": `${origin}/v1.0/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `${origin}${UPLOAD_PATH}/${encodeURIComponent(tenantId)}/${token}`,
      expirationDateTime: expiry(session),
      nextExpectedRanges: ["0-"],
    },
    201,
  );
}

function bytesBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const invalidRange = (message: string, session: UploadSession) =>
  Response.json(
    { error: { code: "InvalidRange", message }, nextExpectedRanges: [`${session.next}-`] },
    { status: 416, headers: { "request-id": crypto.randomUUID() } },
  );

/** The upload host: one PUT per range. */
export const uploadRoutes = new Hono<EmulatorEnv>().put(`${UPLOAD_PATH}/:tenantId/:token`, async (c) => {
  const token = c.req.param("token");
  const sessions = sessionsOf(c.get("graph"), c.req.param("tenantId"));
  const session = sessions.get(token);
  if (!session || session.expires < Date.now()) {
    sessions.delete(token);
    return GRAPH_ERRORS.notFound("The upload session was not found or has expired.");
  }
  if (c.req.header("authorization")) {
    return graphError(400, "ErrorInvalidRequest", "The upload URL is pre-authenticated; an Authorization header must not be sent.");
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(c.req.header("content-range") ?? "");
  if (!range) return graphError(400, "ErrorInvalidRequest", "A Content-Range header of the form 'bytes start-end/size' is required.");
  const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
  if (total !== session.size) return invalidRange(`The file size ${total} differs from the session's ${session.size}.`, session);
  if (start !== session.next) return invalidRange(`The range must start at byte ${session.next}.`, session);
  if (end < start || end >= total) return invalidRange("The range ends before it starts or past the end of the file.", session);
  if (end - start + 1 > MAX_RANGE) return invalidRange("A range may hold at most 4 MB.", session);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.byteLength !== end - start + 1) {
    return graphError(400, "ErrorInvalidRequest", `The body has ${body.byteLength} bytes; the Content-Range names ${end - start + 1}.`);
  }
  session.received.set(body, start);
  session.next = end + 1;
  if (session.next < session.size) return c.json({ expirationDateTime: expiry(session), nextExpectedRanges: [`${session.next}-`] }, 200);
  sessions.delete(token);
  const owner = c.get("state").tenant(session.tenantId)?.users.get(session.ownerOid);
  const store = owner ? mailboxOf(c.get("graph"), session.tenantId, owner) : undefined;
  const message = store?.messages.get(session.messageId);
  if (!store || !message) return GRAPH_ERRORS.notFound("The message of this upload session no longer exists.");
  const attachment = attachmentRecord(store, {
    "@odata.type": "#microsoft.graph.fileAttachment",
    name: session.name,
    contentType: session.contentType,
    contentBytes: bytesBase64(session.received),
  });
  message.attachments.push(attachment);
  message.hasAttachments = true;
  touch(message);
  const origin = new URL(c.req.url).origin;
  c.header("Location", `${origin}/v1.0/Users('${session.ownerOid}')/Messages('${message.id}')/Attachments('${attachment.id}')`);
  return c.body(null, 201);
});
