import { Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { messageAction, submit } from "./actions";
import { DRAFT_ONLY_FIELDS, MessageInput, readBody, SendMailInput } from "./input";
import { findMessage, listMessages, type MailContext, mailbox, query, READ, READ_BASIC, respond, SEND, WRITE } from "./request";
import { applyFields, blankMessage, moveTo, presentAttachment, presentFolder, resolveFolder, touch } from "./store";
import { base64Bytes } from "./text";

/**
 * @module
 * Graph v1.0 mail: /me/mailFolders, /me/messages (with attachments and the
 * move/copy/reply/forward/send actions) and /me/sendMail. Every id is looked
 * up in the caller's own mailbox only, so another user's id answers 404.
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
  .get("/me/mailFolders", scopes(...READ_BASIC), (c) => {
    const store = mailbox(c);
    const folders = [...store.folders.values()].filter((folder) => folder.parentFolderId === store.rootId);
    return listResponse(
      c,
      folders.map((folder) => presentFolder(store, folder)),
      { ...QUERY_RULES.outlook, defaultOrderBy: "displayName" },
    );
  })
  .get("/me/mailFolders/:folderId", scopes(...READ_BASIC), (c) => {
    const store = mailbox(c);
    const folder = resolveFolder(store, c.req.param("folderId"));
    return folder ? c.json(selectFields(presentFolder(store, folder), query(c, "$select"))) : GRAPH_ERRORS.notFound();
  })
  .get("/me/mailFolders/:folderId/childFolders", scopes(...READ_BASIC), (c) => {
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
  .get("/me/mailFolders/:folderId/messages", scopes(...READ_BASIC), (c) => {
    const store = mailbox(c);
    const folder = resolveFolder(store, c.req.param("folderId"));
    if (!folder) return GRAPH_ERRORS.notFound();
    const inFolder = [...store.messages.values()].filter((message) => message.parentFolderId === folder.id);
    return listMessages(c, inFolder, `/me/mailFolders('${encodeURIComponent(folder.id)}')/messages`);
  })
  .post("/me/mailFolders/:folderId/messages", scopes(...WRITE), (c) => createMessage(c, c.req.param("folderId")))
  .get("/me/mailFolders/:folderId/messages/:id", scopes(...READ_BASIC), (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    return resolveFolder(store, c.req.param("folderId"))?.id === message.parentFolderId ? respond(c, message) : GRAPH_ERRORS.notFound();
  })
  .get("/me/messages", scopes(...READ_BASIC), (c) => listMessages(c, mailbox(c).messages.values()))
  .post("/me/messages", scopes(...WRITE), (c) => createMessage(c, "drafts"))
  .get("/me/messages/:id", scopes(...READ_BASIC), (c) => {
    const message = findMessage(mailbox(c), c.req.param("id"));
    return message instanceof Response ? message : respond(c, message);
  })
  .patch("/me/messages/:id", scopes(...WRITE), async (c) => {
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
  .delete("/me/messages/:id", scopes(...WRITE), (c) => {
    const store = mailbox(c);
    const message = findMessage(store, c.req.param("id"));
    if (message instanceof Response) return message;
    // Like Outlook, a delete moves the item to Deleted Items; deleting it there removes it.
    const deletedItems = resolveFolder(store, "deleteditems");
    if (!deletedItems || message.parentFolderId === deletedItems.id) store.messages.delete(message.id);
    else moveTo(store, message, deletedItems.id);
    return c.body(null, 204);
  })
  .get("/me/messages/:id/attachments", scopes(...READ), (c) => {
    const message = findMessage(mailbox(c), c.req.param("id"));
    if (message instanceof Response) return message;
    return listResponse(
      c,
      message.attachments.map((attachment) => presentAttachment(attachment, true)),
      { ...QUERY_RULES.outlook, defaultTop: 1000, maxTop: 1000 },
    );
  })
  .get("/me/messages/:id/attachments/:attachmentId", scopes(...READ), (c) => {
    const attachment = findAttachment(c, c.req.param("id"), c.req.param("attachmentId"));
    if (attachment instanceof Response) return attachment;
    return c.json(selectFields(presentAttachment(attachment, true), query(c, "$select")));
  })
  .get("/me/messages/:id/attachments/:attachmentId/$value", scopes(...READ), (c) => {
    const attachment = findAttachment(c, c.req.param("id"), c.req.param("attachmentId"));
    if (attachment instanceof Response) return attachment;
    return c.body(base64Bytes(attachment.contentBytes).buffer, 200, { "content-type": attachment.contentType });
  })
  .delete("/me/messages/:id/attachments/:attachmentId", scopes(...WRITE), (c) => {
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
  .post("/me/messages/:id/:action", (c) => messageAction(c, c.req.param("id"), c.req.param("action")))
  .post("/me/sendMail", scopes(...SEND), async (c) => {
    const input = await readBody(c, SendMailInput, { operation: "sendMail" });
    if (input instanceof Response) return input;
    const store = mailbox(c);
    const message = blankMessage(store, "sentitems", { isDraft: false });
    applyFields(store, message, input.message);
    return submit(c, store, message, input.saveToSentItems ?? true);
  });
