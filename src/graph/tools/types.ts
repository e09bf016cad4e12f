import type { z } from "zod";
import type { GraphRequest, GraphResponse } from "../client";
import type { CursorSealer } from "../cursor";
import type { PdfReader } from "../format/documents/pdf";
import type { ToolGroup } from "../tool-groups";

/**
 * A tool is data: its name, group, description, input fields (built from
 * ./common.ts), the Graph permissions it needs, honest annotations, and a
 * `run` that builds Graph requests and formats the answer. Registration,
 * policy, scope checks and error mapping live in one wrapper
 * (src/agent/register-tools.ts). A tool has no title: its name says it, and
 * every token of tools/list is paid for in every session.
 *
 * @module
 */

/** What a tool's `run` gets: Graph, the user, and its own name. */
export interface ToolContext {
  /** Sends one Graph request through the user's agent (token refresh, concurrency cap, retries). */
  graph(request: GraphRequest): Promise<GraphResponse>;
  graphBase: string;
  user: { name: string; upn: string };
  /** The user's mailbox time zone (Windows or IANA name), once known. */
  timeZone(): Promise<string>;
  /** The running tool's name, set by the registration wrapper; cursors are bound to it and answers name it to say how to go on. */
  tool: string;
  /** Seals and opens paging cursors bound to this tenant and user. */
  cursors: CursorSealer;
  /** The PDF reader Worker (the PDF_READER service binding), which reads PDFs' text for get_file and get_attachment. */
  pdfReader: PdfReader;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * What a call's audit event may say about its arguments, by argument name.
 * Every argument that takes a free-form string is named in exactly one list
 * (a test walks the catalogue), so a new tool cannot put text a user or model
 * wrote into the trail by default: only `text` arguments' lengths are kept.
 */
export interface ToolAudit<Name extends string = string> {
  /** Ids of items the call names (message, event, file, chat, folder…), or addresses whose data it reads. */
  targets?: readonly Name[];
  /** Addresses the call sends mail, invitations or links to (`Name <address>` is kept as the address). */
  recipients?: readonly Name[];
  /** Free text (bodies, comments, subjects, search text, contact details): only its length is recorded. */
  text?: readonly Name[];
  /** Plain options (dates, zones, cursors, filters): left out of the event. */
  options?: readonly Name[];
  /** The call creates an item: the id Graph answers a successful write with is recorded as a target. */
  creates?: boolean;
}

export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  group: ToolGroup | "profile";
  description: string;
  input: Shape;
  /** Delegated Graph permissions of which the user's token needs at least one. */
  scopes: readonly string[];
  annotations: ToolAnnotations;
  /** What its audit event carries (see ToolAudit). */
  audit: ToolAudit<Extract<keyof Shape, string>>;
  run(ctx: ToolContext, input: z.infer<z.ZodObject<Shape>>): Promise<string>;
}

/** Keeps each definition's input type while collecting them in one list. */
export function defineTool<Shape extends z.ZodRawShape>(tool: ToolDefinition<Shape>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Creates something new (a draft, an event): not destructive, not idempotent. */
export const CREATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Sends to other people: reaches outside the user's own data. */
export const SEND: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
/** Changes an existing item in place; repeating it has the same effect. */
export const UPDATE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

/** A failure the user or model can act on; becomes an `isError` tool result. */
export class ToolError extends Error {
  override name = "ToolError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const GRAPH_HINTS: Record<number, string> = {
  400: "Check the arguments; Microsoft Graph refused them as sent.",
  401: "Your Microsoft sign-in expired; reconnect this server in your client.",
  403: "Your organization has not granted the permission this needs, or the item is not shared with you.",
  404: "The item does not exist or is not visible to you; list again to get current ids.",
  409: "The item changed meanwhile; read it again and retry.",
  429: "Microsoft Graph is throttling this mailbox; wait a moment and retry.",
};

/** Unwraps a Graph response or throws a ToolError carrying Graph's code and a hint. */
export function expectOk<T = Record<string, unknown>>(response: GraphResponse, what: string): T {
  if (response.ok) return response.body as T;
  const hint = GRAPH_HINTS[response.status] ?? (response.status >= 500 ? "Microsoft Graph had a problem; retry shortly." : undefined);
  const retry = response.retryAt
    ? ` Microsoft Graph asked to wait ${response.retryAfterSeconds ?? 0} s; retry after ${response.retryAt.slice(11, 19)} UTC.`
    : "";
  throw new ToolError(`Could not ${what}: Microsoft Graph answered ${response.status} ${response.code}: ${response.message}${retry}`, hint);
}
