import type { Context, MiddlewareHandler } from "hono";
import type { GraphEnv } from "../context";
import type { EmulatedUser, MailboxRight } from "../state";
import { missingScope } from "./auth";
import { GRAPH_ERRORS, graphError } from "./errors";

/**
 * @module Whose mailbox or calendar a request reaches. Mail and calendar routes are
 * mounted at `/me` and at `/users/{id | userPrincipalName}`; the second form
 * reaches another user's or a shared mailbox, which Graph allows a delegated
 * token only with the `.Shared` permissions and only where Exchange gave the
 * signed-in user rights on that mailbox: Full Access to read and change it,
 * Send As or Send on Behalf to send from it. Anything else is 403
 * ErrorAccessDenied; an address that names no mailbox is 404 ErrorInvalidUser.
 * Sources: https://learn.microsoft.com/graph/outlook-share-messages-folders,
 * https://learn.microsoft.com/graph/outlook-send-mail-from-other-user,
 * https://learn.microsoft.com/graph/permissions-reference
 */

export type MailboxNeed = "read" | "write" | "send";
type Area = "mail" | "calendar";

/** The delegated permissions Graph requires to reach someone else's mailbox or calendar. */
const SHARED_SCOPES: Record<Area, Record<MailboxNeed, readonly string[]>> = {
  mail: {
    read: ["Mail.Read.Shared", "Mail.ReadWrite.Shared"],
    write: ["Mail.ReadWrite.Shared"],
    send: ["Mail.Send.Shared"],
  },
  calendar: {
    read: ["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"],
    write: ["Calendars.ReadWrite.Shared"],
    send: ["Calendars.ReadWrite.Shared"],
  },
};

/** The Exchange rights that allow each need; sending needs Send As or Send on Behalf, which Full Access does not give. */
const RIGHTS: Record<MailboxNeed, readonly MailboxRight[]> = {
  read: ["FullAccess"],
  write: ["FullAccess"],
  send: ["SendAs", "SendOnBehalf"],
};

function findUser(c: Context<GraphEnv>, key: string): EmulatedUser | undefined {
  const wanted = key.toLowerCase();
  for (const user of c.get("caller").tenant.users.values()) {
    if (user.oid === wanted || user.mail.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted) return user;
  }
  return undefined;
}

/** The owner of the mailbox the request names: the caller for `/me`, else the user named in the path (checked by the guard first). */
export function mailboxOwner(c: Context<GraphEnv>): EmulatedUser {
  const key = c.req.param("mailbox");
  return (key === undefined ? undefined : findUser(c, key)) ?? c.get("caller").user;
}

/** Whether the caller reaches the request's mailbox as someone else's (a shared or delegated one). */
export function isDelegated(c: Context<GraphEnv>): boolean {
  return mailboxOwner(c).oid !== c.get("caller").user.oid;
}

/** The rights the caller holds on `owner`'s mailbox. */
export function rightsOn(owner: EmulatedUser, oid: string): readonly MailboxRight[] {
  return owner.mailboxDelegates?.find((delegate) => delegate.oid === oid)?.rights ?? [];
}

/**
 * Why the caller may not do `need` in the request's mailbox, or undefined:
 * the caller's own mailbox needs `ownScopes`; another one needs the `.Shared`
 * permission and the Exchange right for `need`.
 */
export function mailboxDenied(c: Context<GraphEnv>, area: Area, need: MailboxNeed, ownScopes: readonly string[]): Response | undefined {
  const key = c.req.param("mailbox");
  const caller = c.get("caller").user;
  if (key === undefined) return missingScope(c, ownScopes);
  const owner = findUser(c, key);
  if (!owner) return graphError(404, "ErrorInvalidUser", `The requested user '${key}' is invalid.`);
  if (owner.oid === caller.oid) return missingScope(c, ownScopes);
  const denied = missingScope(c, SHARED_SCOPES[area][need]);
  if (denied) return denied;
  const held = rightsOn(owner, caller.oid);
  return RIGHTS[need].some((right) => held.includes(right)) ? undefined : GRAPH_ERRORS.accessDenied();
}

/** Route guard form of `mailboxDenied`. */
export function mailboxAccess(area: Area, need: MailboxNeed, ownScopes: readonly string[]): MiddlewareHandler<GraphEnv> {
  return async (c, next) => mailboxDenied(c, area, need, ownScopes) ?? next();
}
