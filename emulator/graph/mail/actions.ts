import { mailboxDenied, mailboxOwner, rightsOn } from "../mailbox-access";
import { GRAPH_ERRORS, graphError } from "../errors";
import { AttachmentInput, MoveInput, readBody, ResponseInput } from "./input";
import type { MailStore, MessageRecord } from "./model";
import { findMessage, type MailContext, mailbox, respond, SEND, WRITE } from "./request";
import {
  allRecipients,
  applyFields,
  attachmentRecord,
  composeResponse,
  copyInto,
  deliverWithinTenant,
  markSent,
  moveTo,
  presentAttachment,
  type ReplyKind,
  resolveFolder,
  touch,
} from "./store";

/**
 * @module
 * The actions on one message, `POST …/messages/{id}/{action}`: reply,
 * reply all and forward (sent at once, or left as a draft by their
 * `create…` forms), send, move, copy, permanentDelete and adding an
 * attachment; and the submission checks every sent message goes through.
 */
const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;

/** Why a message cannot be submitted, as Graph answers; undefined when it can. */
function refuseToSend(c: MailContext, message: MessageRecord): Response | undefined {
  const recipients = allRecipients(message);
  if (recipients.length === 0) {
    return graphError(
      400,
      "ErrorInvalidRecipients",
      "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
    );
  }
  const bad = recipients.find((r) => !EMAIL.test(r.emailAddress.address));
  if (bad) {
    return graphError(
      400,
      "ErrorInvalidRecipients",
      `At least one recipient is not valid., Recipient '${bad.emailAddress.address}' is not resolved. All recipients must be resolved before a message can be submitted.`,
    );
  }
  const user = mailboxOwner(c);
  const mine = new Set([user.mail.toLowerCase(), user.userPrincipalName.toLowerCase()]);
  const sendAs = [message.from, message.sender].find((r) => r && !mine.has(r.emailAddress.address.toLowerCase()));
  if (sendAs) {
    return graphError(
      403,
      "ErrorSendAsDenied",
      "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.",
    );
  }
  return undefined;
}

export function submit(c: MailContext, store: MailStore, message: MessageRecord, saveToSentItems: boolean): Response {
  const refusal = refuseToSend(c, message);
  if (refusal) return refusal;
  const sent = markSent(store, message, saveToSentItems);
  // Send on Behalf (without Send As) shows the delegate as the sender: "Sam on behalf of Support".
  const caller = c.get("caller").user;
  const owner = mailboxOwner(c);
  if (owner.oid !== caller.oid && !rightsOn(owner, caller.oid).includes("SendAs")) {
    sent.sender = { emailAddress: { name: caller.displayName, address: caller.mail } };
  }
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
    [
      `create${kind[0]?.toUpperCase()}${kind.slice(1)}`,
      { operation: `create${kind[0]?.toUpperCase()}${kind.slice(1)}`, kind, send: false },
    ],
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

export async function messageAction(c: MailContext, id: string, segment: string): Promise<Response> {
  // Graph matches action names case-insensitively.
  const action = ACTIONS.find((name) => name.toLowerCase() === segment.toLowerCase());
  if (!action) return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${segment}'.`);
  const response = RESPONSE_ACTIONS[action];
  const send = response?.send ?? action === "send";
  const denied = mailboxDenied(c, "mail", send ? "send" : "write", send ? SEND : WRITE);
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
      if (!target || target.wellKnownName === "msgfolderroot")
        return GRAPH_ERRORS.notFound("The specified folder could not be found in the store.");
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
