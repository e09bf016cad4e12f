import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { missingScope, scopes } from "../auth";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import type { MailStore, MessageRecord } from "./seed";
import { AttachmentInput, DRAFT_ONLY_FIELDS, MessageInput, MoveInput, readBody, ResponseInput, SendMailInput } from "./input";
import {
  allRecipients,
  applyFields,
  attachmentRecord,
  blankMessage,
  composeResponse,
  copyInto,
  deliverWithinTenant,
  mailboxOf,
  markSent,
  type MessageView,
  moveTo,
  presentAttachment,
  presentFolder,
  presentMessage,
  type ReplyKind,
  resolveFolder,
  touch,
} from "./store";
import { messageMatcher } from "./search";
import { base64Bytes } from "./text";

/**
 * Graph v1.0 mail: /me/mailFolders, /me/messages (with attachments and the
 * move/copy/reply/forward/send actions) and /me/sendMail. Every id is looked
 * up in the caller's own mailbox only, so another user's id answers 404.
 */
const READ_BASIC = ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"];
const READ = ["Mail.Read", "Mail.ReadWrite"];
const WRITE = ["Mail.ReadWrite"];
const SEND = ["Mail.Send"];

/** Graph REST ids are URL-safe base64; anything else is malformed, never a path. */
const ID = /^[A-Za-z0-9_=+-]{1,512}$/;
const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;

type MailContext = Context<GraphEnv>;

function mailbox(c: MailContext): MailStore {
  const { tenant, user } = c.get("caller");
  return mailboxOf(c.get("graph"), tenant.tenantId, user);
}

const query = (c: MailContext, name: string) => c.req.query(name) ?? c.req.query(name.slice(1));

function findMessage(store: MailStore, id: string): MessageRecord | Response {
  if (!ID.test(id)) return graphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
  return store.messages.get(id) ?? GRAPH_ERRORS.notFound();
}

function messageView(c: MailContext): MessageView {
  const prefer = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(c.req.header("prefer") ?? "");
  const bodyType = prefer?.[1]?.toLowerCase() === "text" ? "text" : prefer ? "html" : undefined;
  if (bodyType) c.header("Preference-Applied", `outlook.body-content-type="${bodyType}"`);
  const granted = c.get("caller").scopes;
  return { bodyType, basic: !READ.some((scope) => granted.has(scope)), uniqueBody: /\buniqueBody\b/i.test(query(c, "$select") ?? "") };
}

/** `$expand=attachments` (optionally `attachments($select=…)`): attachments inline in the message. */
function expandAttachments(c: MailContext, view: MessageView): ((message: MessageRecord) => Record<string, unknown>[]) | undefined {
  const expand = /(?:^|,)\s*attachments(?:\(\$select=([^)]*)\))?\s*(?:,|$)/i.exec(query(c, "$expand") ?? "");
  if (!expand || view.basic) return undefined;
  return (message) => message.attachments.map((attachment) => selectFields(presentAttachment(attachment, true), expand[1]));
}

function presenter(c: MailContext, view = messageView(c)): (message: MessageRecord) => Record<string, unknown> {
  const expand = expandAttachments(c, view);
  return (message) => {
    const presented = presentMessage(message, view);
    if (expand) presented.attachments = expand(message);
    return presented;
  };
}

function respond(c: MailContext, message: MessageRecord, status: 200 | 201 = 200): Response {
  const origin = new URL(c.req.url).origin;
  const presented = presenter(c)(message);
  const body = selectFields(presented, query(c, "$select"));
  // An expanded navigation property survives $select, as in Graph.
  if (presented.attachments) body.attachments = presented.attachments;
  return c.json({ "@odata.context": `${origin}/v1.0/$metadata#users('${c.get("caller").user.oid}')/messages/$entity`, ...body }, status);
}

/** `nextPath`: Graph writes a folder's messages in next links by key, `/me/mailFolders('<id>')/messages`. */
function listMessages(c: MailContext, messages: Iterable<MessageRecord>, nextPath?: string): Response {
  const view = messageView(c);
  // Mail.ReadBasic cannot see bodies, so it cannot filter or sort on them either.
  if (view.basic && /\b(body|bodyPreview|uniqueBody)\b/i.test(`${query(c, "$filter") ?? ""} ${query(c, "$orderby") ?? ""}`)) {
    return GRAPH_ERRORS.accessDenied(READ);
  }
  let items = [...messages].sort((a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime));
  const search = query(c, "$search");
  // $search with $filter or $orderby is refused by listResponse (searchAlone) before any result is used.
  if (search !== undefined) items = items.filter(messageMatcher(search, { body: !view.basic }));
  // $search is applied above (KQL-style); listResponse's own text match is made a no-op.
  const term = (search ?? "").replace(/^"|"$/g, "").toLowerCase();
  return listResponse(c, items, {
    ...QUERY_RULES.messages,
    nextPath,
    defaultTop: 10,
    maxTop: 1000,
    defaultOrderBy: "receivedDateTime desc",
    searchText: () => term,
    present: presenter(c, view),
  });
}

/** Why a message cannot be submitted, as Graph answers; undefined when it can. */
function refuseToSend(c: MailContext, message: MessageRecord): Response | undefined {
  const recipients = allRecipients(message);
  if (recipients.length === 0) {
    return graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  const bad = recipients.find((r) => !EMAIL.test(r.emailAddress.address));
  if (bad) {
    return graphError(400, "ErrorInvalidRecipients", `At least one recipient is not valid., Recipient '${bad.emailAddress.address}' is not resolved. All recipients must be resolved before a message can be submitted.`);
  }
  const { user } = c.get("caller");
  const mine = new Set([user.mail.toLowerCase(), user.userPrincipalName.toLowerCase()]);
  const sendAs = [message.from, message.sender].find((r) => r && !mine.has(r.emailAddress.address.toLowerCase()));
  if (sendAs) {
    return graphError(403, "ErrorSendAsDenied", "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.");
  }
  return undefined;
}

function submit(c: MailContext, store: MailStore, message: MessageRecord, saveToSentItems: boolean): Response {
  const refusal = refuseToSend(c, message);
  if (refusal) return refusal;
  const sent = markSent(store, message, saveToSentItems);
  deliverWithinTenant(c.get("graph"), c.get("caller").tenant, sent);
  return c.body(null, 202);
}

interface ResponseAction {
  operation: string;
  kind: ReplyKind;
  /** reply/replyAll/forward send at once (Mail.Send); create* leave a draft (Mail.ReadWrite). */
  send: boolean;
}
const RESPONSE_ACTIONS: Partial<Record<string, ResponseAction>> = Object.fromEntries(
  (["reply", "replyAll", "forward"] as const).flatMap((kind) => [
    [kind, { operation: kind, kind, send: true }],
    [`create${kind[0]?.toUpperCase()}${kind.slice(1)}`, { operation: `create${kind[0]?.toUpperCase()}${kind.slice(1)}`, kind, send: false }],
  ]),
);

async function respondTo(c: MailContext, store: MailStore, original: MessageRecord, spec: ResponseAction): Promise<Response> {
  const input = await readBody(c, ResponseInput, { operation: spec.operation, optional: !spec.send || spec.kind !== "forward" });
  if (input instanceof Response) return input;
  if (input.comment !== undefined && input.message?.body) {
    return graphError(400, "ErrorInvalidRequest", "The 'comment' parameter and the message body cannot both be specified.");
  }
  const draft = composeResponse(store, original, spec.kind, input.comment ?? "");
  if (input.message) applyFields(store, draft, input.message);
  if (input.toRecipients) draft.toRecipients = input.toRecipients;
  if (spec.send) return submit(c, store, draft, true);
  store.messages.set(draft.id, draft);
  return respond(c, draft, 201);
}

const WRITE_ACTIONS = ["move", "copy", "permanentDelete", "attachments"];
const ACTIONS = [...Object.keys(RESPONSE_ACTIONS), ...WRITE_ACTIONS, "send"];

async function messageAction(c: MailContext, id: string, segment: string): Promise<Response> {
  // Graph matches action names case-insensitively.
  const action = ACTIONS.find((name) => name.toLowerCase() === segment.toLowerCase());
  if (!action) return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${segment}'.`);
  const response = RESPONSE_ACTIONS[action];
  const denied = missingScope(c, (response?.send ?? action === "send") ? SEND : WRITE);
  if (denied) return denied;
  const store = mailbox(c);
  const message = findMessage(store, id);
  if (message instanceof Response) return message;
  if (response) return respondTo(c, store, message, response);
  if (action === "send") {
    if (!message.isDraft) return graphError(400, "ErrorInvalidOperation", "Only a draft message can be sent.");
    return submit(c, store, message, true);
  }
  switch (action) {
    case "move":
    case "copy": {
      const input = await readBody(c, MoveInput, { operation: action });
      if (input instanceof Response) return input;
      const target = resolveFolder(store, input.destinationId);
      if (!target || target.wellKnownName === "msgfolderroot") return GRAPH_ERRORS.notFound("The specified folder could not be found in the store.");
      return respond(c, action === "move" ? moveTo(store, message, target.id) : copyInto(store, message, target.id), 201);
    }
    case "permanentDelete":
      store.messages.delete(message.id);
      return c.body(null, 204);
    case "attachments": {
      const input = await readBody(c, AttachmentInput, { keepAnnotations: true });
      if (input instanceof Response) return input;
      const attachment = attachmentRecord(store, input);
      message.attachments.push(attachment);
      message.hasAttachments = message.attachments.some((a) => !a.isInline);
      touch(message);
      return c.json(presentAttachment(attachment, true), 201);
    }
    default:
      return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${segment}'.`);
  }
}

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
    return listResponse(c, folders.map((folder) => presentFolder(store, folder)), { ...QUERY_RULES.outlook, defaultOrderBy: "displayName" });
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
    return listResponse(c, children.map((child) => presentFolder(store, child)), { ...QUERY_RULES.outlook, defaultOrderBy: "displayName" });
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
    if (input.attachments) return graphError(400, "RequestBodyRead", "The property 'attachments' cannot be updated with PATCH; use the attachments collection.");
    const draftOnly = DRAFT_ONLY_FIELDS.find((field) => input[field] !== undefined);
    if (draftOnly && !message.isDraft) {
      return graphError(400, "ErrorInvalidPropertyUpdateSentMessage", `Update operation is not supported for '${draftOnly}' on a message that is not a draft.`);
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
    return listResponse(c, message.attachments.map((attachment) => presentAttachment(attachment, true)), { ...QUERY_RULES.outlook, defaultTop: 1000, maxTop: 1000 });
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
