/**
 * The vocabulary tools share: input fields (ids, email addresses and
 * recipients, text, whole numbers, limits, offsets, cursors), `Page<T>`, and
 * `listPage()`, which turns one page of a Graph collection into one line per
 * item followed by the way on. A tool file holds only what is unique to it.
 *
 * Every field is checked in full by zod, and its message says what was
 * expected, so a bad call is answered "Invalid arguments: <field>: expected …".
 * Bounds cost nothing in the advertised schema unless they are numeric: the
 * JSON Schema clients see (src/agent/lean-schema.ts) drops string lengths,
 * item counts and patterns, and keeps integer bounds, types and defaults.
 *
 * @module
 */
import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath, isPathSafe, UNSAFE_ID_MESSAGE } from "../path";
import { expectOk, type ToolContext, ToolError } from "./types";

/** One page of a Graph collection. */
export interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

/**
 * An id from a previous answer, which becomes one path segment. "." and ".."
 * are refused here as graphPath refuses them (URL parsing resolves even their
 * encoded forms), so the error names the field. `expected` words the error
 * for a field that takes more than ids (a folder's well-known name).
 */
export function idField(what: string, expected = `the ${what} id from a previous call`) {
  const message = `expected ${expected}`;
  return z
    .string()
    .trim()
    .min(1, message)
    .max(1024, "that id is too long")
    .refine((value) => value !== "." && value !== "..", message)
    .refine(isPathSafe, UNSAFE_ID_MESSAGE);
}

/** Whitespace and the characters that delimit addresses in a list or surround a display name never appear in one. */
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** Whether `value` is a plain email address (`a@b.example`, no display name). */
export const isEmailAddress = (value: string): boolean => value.length <= 320 && ADDRESS.test(value);

export const emailField = z.string().trim().refine(isEmailAddress, "expected an email address");

/** The address inside `Name <address>`, or the entry itself. */
export const addressOf = (entry: string): string => (/<([^>]*)>\s*$/.exec(entry)?.[1] ?? entry).trim();

/** People to write to or invite: addresses or `Name <address>`, at most 100 (tools describe the field where it helps). */
export const recipientsField = z
  .array(
    z.string().refine((value) => value.length <= 320 && isEmailAddress(addressOf(value)), 'expected an email address or "Name <email>"'),
  )
  .max(100, "at most 100 recipients");

interface TextOptions {
  /** Refuses a blank value with "expected <this>", e.g. "a subject". */
  expected?: string;
  /** Keeps leading and trailing whitespace, as a message body needs; other text is trimmed. */
  verbatim?: boolean;
}

/** Text of at most `max` characters. */
export function textField(max: number, { expected, verbatim = false }: TextOptions = {}) {
  const text = (verbatim ? z.string() : z.string().trim()).max(max, `at most ${max} characters`);
  return expected ? text.refine((value) => value.trim().length > 0, `expected ${expected}`) : text;
}

/** A whole number from `min` to `max`, advertised as an integer with those bounds. */
export function integerField(min: number, max: number) {
  const expected = `expected a whole number from ${min} to ${max}`;
  return z.number().int(expected).min(min, expected).max(max, expected);
}

/** How many items a list tool asks Graph for: 1 to `max`. */
export const limitField = (max: number, fallback = Math.min(25, max)) => integerField(1, max).default(fallback);

/** Where to continue reading a long text; answers that stop early say which offset to pass. */
const FROM_A_PREVIOUS_CALL = "expected a whole number from a previous call";
export const offsetField = z.number().int(FROM_A_PREVIOUS_CALL).min(0, FROM_A_PREVIOUS_CALL).default(0);

/** The cursor a list tool's answer ends with; that line says how to pass it, so the field needs no description. */
export const cursorField = z.string().max(4096, "cursor is too long").optional();

/** What an unpaged search says when Graph has more than it showed. */
export const MORE_MATCHES = "More matches exist: raise limit or refine the query.";

/**
 * Names the listing a first page opens: the tool, named by the registration
 * wrapper, and the page's path (the folder, list, chat…). The query is not
 * part of it: a later call may pass only the cursor, and the next link sealed
 * in the cursor already carries the listing's options.
 */
const listingOf = (ctx: ToolContext, first: GraphRequest) => ({ tool: ctx.tool, listing: first.path });

/**
 * The first page's request, or the page a cursor points at. A cursor is
 * opened only by the tool, listing, tenant and user it was issued to; its
 * path and query are Graph's own next link (which may spell the path
 * differently, e.g. a mail folder in key form).
 */
async function pageRequest(ctx: ToolContext, cursor: string | undefined, first: GraphRequest): Promise<GraphRequest> {
  if (!cursor) return first;
  const next = await ctx.cursors.open(listingOf(ctx, first), cursor);
  return { ...first, path: next.path, query: next.query };
}

/** The cursor line a list tool appends when Graph has more. */
async function nextCursorLine(ctx: ToolContext, first: GraphRequest, body: Page<unknown>): Promise<string> {
  const link = body["@odata.nextLink"];
  if (!link) return "";
  const cursor = await ctx.cursors.seal(listingOf(ctx, first), link);
  // The listing is bound to its path, so a call for page 2 repeats the arguments that chose it (folder, list, chat…).
  return cursor ? `\nMore results: call ${ctx.tool} with the same arguments and cursor "${cursor}"` : "";
}

/** A tool with a `cursor` argument pages; one without says `more` when Graph has more than it showed. */
type Continuation = { cursor: string | undefined } | { more: string };
/** One line per item, or one text for the whole page (e.g. messages with their replies). */
type Rendering<T> = { line: (item: T) => string } | { lines: (items: T[]) => string };

export type ListPageOptions<T> = Continuation &
  Rendering<T> & {
    /** Completes "Could not …" when Graph refuses, e.g. "list your contacts". */
    what: string;
    /** The answer when the page shows nothing. */
    empty: string;
  };

/**
 * Reads one page of a collection (the first, or the one the cursor names)
 * and answers with its lines, then a cursor line (or the `more` sentence)
 * when Graph has more. `first` is always the first page's request: the
 * cursor is bound to its path.
 */
export async function listPage<T>(ctx: ToolContext, first: GraphRequest, options: ListPageOptions<T>): Promise<string> {
  const paged = "cursor" in options;
  const request = paged ? await pageRequest(ctx, options.cursor, first) : first;
  const body = expectOk<Page<T>>(await ctx.graph(request), options.what);
  const items = body.value ?? [];
  const text = "line" in options ? items.map((item) => options.line(item)).join("\n") : options.lines(items);
  const more = paged ? await nextCursorLine(ctx, first, body) : body["@odata.nextLink"] ? `\n${options.more}` : "";
  return (text || options.empty) + more;
}

/**
 * A document library or another user's OneDrive, for the file tools: a drive
 * id from a previous answer (SharePoint libraries, search results). Without
 * it the file tools work in the user's own OneDrive.
 */
export const driveIdField = idField("drive");

/** The Graph path of a drive: the user's own OneDrive, or the drive named by id. */
export function driveBase(driveId: string | undefined): string {
  return driveId === undefined ? "/me/drive" : graphPath`/drives/${driveId}`;
}

/**
 * A shared mailbox or another user's mailbox or calendar the user was given
 * access to (its address); without it the tool works in the user's own.
 */
export const mailboxField = emailField;

/** The Graph path of a mailbox owner: `/me`, or `/users/{address}` for a shared or delegated mailbox. */
export function mailboxBase(mailbox: string | undefined): string {
  return mailbox === undefined ? "/me" : graphPath`/users/${mailbox}`;
}

/**
 * The optional `mailbox` argument of every mail and calendar tool. It has no
 * description: its name and "expected an email address" say enough, and a
 * description would cost about 8 tokens on each of 19 tools in every session.
 */
export const mailboxInput = mailboxField.optional();

/** Graph's answers when the signed-in user cannot reach another mailbox (no rights on it, no such mailbox, or not on Exchange Online). */
const NO_MAILBOX_ACCESS = new Set([
  "ErrorAccessDenied",
  "ErrorInvalidUser",
  "MailboxNotEnabledForRESTAPI",
  "MailboxNotSupportedForRESTAPI",
]);

/**
 * The tool's context for `mailbox`: unchanged for the user's own, and for a
 * shared one a Graph that turns "no access to that mailbox" answers into one
 * clear error naming it, instead of a generic 403 or 404.
 */
export function inMailbox(ctx: ToolContext, mailbox: string | undefined): ToolContext {
  if (mailbox === undefined) return ctx;
  return {
    ...ctx,
    async graph(request) {
      const response = await ctx.graph(request);
      if (response.ok || !NO_MAILBOX_ACCESS.has(response.code) || (response.status !== 403 && response.status !== 404)) return response;
      throw new ToolError(
        `No access to the mailbox ${mailbox}: Microsoft Graph answered ${response.status} ${response.code}: ${response.message}`,
        "Check the address; its owner or an Exchange admin must give you Full Access (Send As or Send on Behalf to send from it), and your organization must grant the .Shared permissions.",
      );
    },
  };
}
