import { Hono } from "hono";
import type { GraphEnv } from "../../context";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { messageAction, submit } from "./actions";
import { DRAFT_ONLY_FIELDS, MessageInput, readBody, SendMailInput } from "./input";
import {
  canRead,
  canReadBodies,
  canSend,
  canWrite,
  findMessage,
  mailboxPath,
  listMessages,
  type MailContext,
  mailbox,
  query,
  respond,
} from "./request";
import { applyFields, blankMessage, moveTo, presentAttachment, presentFolder, resolveFolder, touch } from "./store";
import { base64Bytes } from "./text";
import { createUploadSession } from "./uploads";

/**
 * @module
 * Graph v1.0 mail: mailFolders, messages (with attachments and the
 * move/copy/reply/forward/send actions) and sendMail, mounted at `/me` and at
 * `/users/{id | address}` for shared and delegated mailboxes (see
 * ../mailbox-access.ts). Every id is looked up in the addressed mailbox only,
 * so another mailbox's id answers 404.
 */

async function createMessage(c: MailContext, folderKey: string): Promise<Response> {
  const store = mailbox(c);
  const folder = resolveFolder(store, folderKey);
  if (!folder || folder.wellKnownName === "msgfolderroot") return GRAPH_ERRORS.notFound();
  const input = await readBody(c, MessageInput);
  if (input instanceof Response) return input;
  const message = blankMessage(store, "drafts", { parentFolderId: folder.id, isDraft: true });
  applyFields(store, message, input);
  store.messages.set(message.id, message);
  return respond(c, message, 201);
}

function findAttachment(c: MailContext, id: string, attachmentId: string) {
  const message = findMessage(mailbox(c), id);
  if (message instanceof Response) return message;
  return message.attachments.find((attachment) => attachment.id === attachmentId) ?? GRAPH_ERRORS.notFound();
}

export const mailRoutes = new Hono<GraphEnv>()
  .get("/mailFolders", canRead, (c) => {
    const store = mailbox(c);
    const folders = [...store.folders.values()].filter((folder) => folder.parentFolderId === store.rootId);
    return listResponse(
      c,
      folders.map((folder) => presentFolder(store, folder)),
      { ...QUERY_RULES.outlook, defaultOrderBy: "displayName" },
    );
  })
  .get("/mailFolders/:folderId", canRead, (c) => {
    const store = mailbox(c);
    const folder = resolveFolder(store, c.req.param("folderId"));
    return folder ? c.json(selectFields(presentFolder(store, folder), query(c, "$select"))) : GRAPH_ERRORS.notFound();
  })
  .get("/mailFolders/:folderId/childFolders", canRead, (c) => {
    const store = mailbox(c);
    const folder = resolveFolder(store, c.req.param("folderId"));
    if (!folder) return GRAPH_ERRORS.notFound();
    const children = [...store.folders.values()].filter((candidate) => candidate.parentFolderId === folder.id);
    return listResponse(
      c,
      children.map((child) => presentFolder(store, child)),
      { ...QUERY_RULES.outlook, defaultOrderBy: "displayName" },
    );
  })
  .get("/mailFolders/:folderId/messages", canRead, (c) => {
    const store = mailbox(c);
    const folder = resolveFolder(store, c.req.param("folderId"));
    if (!folder) return GRAPH_ERRORS.notFound();
    const inFolder = [...store.messages.values()].filter((message) => message.parentFolderId === folder.id);
    return listMessages(c, inFolder, `${mailboxPath(c)}/mailFolders('${encodeURIComponent(folder.id)}')/messages`);
  })
  .post("/mailFolders/:folderId/messages", canWrite, (c) => createMessage(c, c.req.param("folderId")))
  .get("/mailFolders/:folderId/messages/:id", canRead, (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    return resolveFolder(store, c.req.param("folderId"))?.id === message.parentFolderId ? respond(c, message) : GRAPH_ERRORS.notFound();
  })
  .get("/messages", canRead, (c) => listMessages(c, mailbox(c).messages.values()))
  .post("/messages", canWrite, (c) => createMessage(c, "drafts"))
  .get("/messages/:id", canRead, (c) => {
    const message = findMessage(mailbox(c), c.req.param("id"));
    return message instanceof Response ? message : respond(c, message);
  })
  .patch("/messages/:id", canWrite, async (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    const input = await readBody(c, MessageInput);
    if (input instanceof Response) return input;
    if (input.attachments)
      return graphError(400, "RequestBodyRead", "The property 'attachments' cannot be updated with PATCH; use the attachments collection.");
    const draftOnly = DRAFT_ONLY_FIELDS.find((field) => input[field] !== undefined);
    if (draftOnly && !message.isDraft) {
      return graphError(
        400,
        "ErrorInvalidPropertyUpdateSentMessage",
        `Update operation is not supported for '${draftOnly}' on a message that is not a draft.`,
      );
    }
    applyFields(store, message, input);
    return respond(c, message);
  })
  .delete("/messages/:id", canWrite, (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    // Like Outlook, a delete moves the item to Deleted Items; deleting it there removes it.
    const deletedItems = resolveFolder(store, "deleteditems");
    if (!deletedItems || message.parentFolderId === deletedItems.id) store.messages.delete(message.id);
    else moveTo(store, message, deletedItems.id);
    return c.body(null, 204);
  })
  .get("/messages/:id/attachments", canReadBodies, (c) => {
    const message = findMessage(mailbox(c), c.req.param("id"));
    if (message instanceof Response) return message;
    return listResponse(
      c,
      message.attachments.map((attachment) => presentAttachment(attachment, true)),
      { ...QUERY_RULES.outlook, defaultTop: 1000, maxTop: 1000 },
    );
  })
  .get("/messages/:id/attachments/:attachmentId", canReadBodies, (c) => {
    const attachment = findAttachment(c, c.req.param("id"), c.req.param("attachmentId"));
    if (attachment instanceof Response) return attachment;
    return c.json(selectFields(presentAttachment(attachment, true), query(c, "$select")));
  })
  .get("/messages/:id/attachments/:attachmentId/$value", canReadBodies, (c) => {
    const attachment = findAttachment(c, c.req.param("id"), c.req.param("attachmentId"));
    if (attachment instanceof Response) return attachment;
    return c.body(base64Bytes(attachment.contentBytes).buffer, 200, { "content-type": attachment.contentType });
  })
  .delete("/messages/:id/attachments/:attachmentId", canWrite, (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    const before = message.attachments.length;
    message.attachments = message.attachments.filter((attachment) => attachment.id !== c.req.param("attachmentId"));
    if (message.attachments.length === before) return GRAPH_ERRORS.notFound();
    message.hasAttachments = message.attachments.some((attachment) => !attachment.isInline);
    touch(message);
    return c.body(null, 204);
  })
  .post("/messages/:id/attachments/createUploadSession", canWrite, createUploadSession)
  .post("/messages/:id/:action", (c) => messageAction(c, c.req.param("id"), c.req.param("action")))
  .post("/sendMail", canSend, async (c) => {
    const input = await readBody(c, SendMailInput, { operation: "sendMail" });
    if (input instanceof Response) return input;
    const store = mailbox(c);
    const message = blankMessage(store, "sentitems", { isDraft: false });
    applyFields(store, message, input.message);
    return submit(c, store, message, input.saveToSentItems ?? true);
  });
