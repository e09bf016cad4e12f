import type { Context } from "hono";
import type { GraphEnv } from "../../context";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import type { MailStore, MessageRecord } from "./model";
import { messageMatcher } from "./search";
import { mailboxAccess, mailboxOwner } from "../mailbox-access";
import { mailboxOf, type MessageView, presentAttachment, presentMessage } from "./store";

/**
 * @module
 * What every mail route needs from the request: the permissions, the
 * caller's own mailbox, a message looked up in it, the view the token and
 * `Prefer` header ask for, and the answer for one message or a list.
 */
export const READ_BASIC = ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"];
export const READ = ["Mail.Read", "Mail.ReadWrite"];
export const WRITE = ["Mail.ReadWrite"];
export const SEND = ["Mail.Send"];
/** Scopes that see message bodies, in the caller's own mailbox or (with .Shared) in a shared one the guard let through. */
const BODY_SCOPES = [...READ, "Mail.Read.Shared", "Mail.ReadWrite.Shared"];

export const canRead = mailboxAccess("mail", "read", READ_BASIC);
export const canReadBodies = mailboxAccess("mail", "read", READ);
export const canWrite = mailboxAccess("mail", "write", WRITE);
export const canSend = mailboxAccess("mail", "send", SEND);

/** Graph REST ids are URL-safe base64; anything else is malformed, never a path. */
const ID = /^[A-Za-z0-9_=+-]{1,512}$/;

export type MailContext = Context<GraphEnv>;

/** The mailbox the request addresses: the caller's own (`/me`), or a shared one the route's guard let through. */
export function mailbox(c: MailContext): MailStore {
  return mailboxOf(c.get("graph"), c.get("caller").tenant.tenantId, mailboxOwner(c));
}

/** How the request named the mailbox, for next links: `/me` or `/users/{key}`. */
export function mailboxPath(c: MailContext): string {
  const key = c.req.param("mailbox");
  return key === undefined ? "/me" : `/users/${encodeURIComponent(key)}`;
}

export const query = (c: MailContext, name: string) => c.req.query(name) ?? c.req.query(name.slice(1));

export function findMessage(store: MailStore, id: string): MessageRecord | Response {
  if (!ID.test(id)) return graphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
  return store.messages.get(id) ?? GRAPH_ERRORS.notFound();
}

function messageView(c: MailContext): MessageView {
  const prefer = /outlook\.body-content-type\s*=\s*"?(text|html)"?/i.exec(c.req.header("prefer") ?? "");
  const bodyType = prefer?.[1]?.toLowerCase() === "text" ? "text" : prefer ? "html" : undefined;
  if (bodyType) c.header("Preference-Applied", `outlook.body-content-type="${bodyType}"`);
  const granted = c.get("caller").scopes;
  return {
    bodyType,
    basic: !BODY_SCOPES.some((scope) => granted.has(scope)),
    uniqueBody: /\buniqueBody\b/i.test(query(c, "$select") ?? ""),
  };
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

export function respond(c: MailContext, message: MessageRecord, status: 200 | 201 = 200): Response {
  const origin = new URL(c.req.url).origin;
  const presented = presenter(c)(message);
  const body = selectFields(presented, query(c, "$select"));
  // An expanded navigation property survives $select, as in Graph.
  if (presented.attachments) body.attachments = presented.attachments;
  return c.json({ "@odata.context": `${origin}/v1.0/$metadata#users('${mailboxOwner(c).oid}')/messages/$entity`, ...body }, status);
}

/** `nextPath`: Graph writes a folder's messages in next links by key, `/me/mailFolders('<id>')/messages`. */
export function listMessages(c: MailContext, messages: Iterable<MessageRecord>, nextPath?: string): Response {
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
