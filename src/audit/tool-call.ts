import type { GraphTrace } from "../graph/client";
import { addressOf } from "../graph/tools/common";
import type { ToolDefinition } from "../graph/tools/types";
import type { AuditEvent } from "./event";

/**
 * @module The `tool_call` detail, built from what the tool declares about its
 * arguments (`ToolDefinition.audit`): target ids and recipient addresses as
 * given, free text as its length only, plain options left out. An argument
 * a tool did not declare is left out too, so nothing a model wrote reaches
 * the trail unless a tool says it is an id or an address.
 */

export type ToolCallDetail = Extract<AuditEvent, { kind: "tool_call" }>["detail"];
export type ToolCallOutcome = ToolCallDetail["outcome"];

/** The schema's bounds: at most 50 targets of 1,024 characters, 500 recipients of 320. */
const MAX_TARGETS = 50;
const MAX_TARGET_LENGTH = 1024;
const MAX_RECIPIENTS = 500;
const MAX_ADDRESS_LENGTH = 320;
const MAX_REQUEST_ID_LENGTH = 100;

export interface ToolCallFacts {
  tool: Pick<ToolDefinition, "name" | "audit">;
  /** The arguments as validated; undefined when they were refused (nothing of them is recorded then). */
  args: Record<string, unknown> | undefined;
  outcome: ToolCallOutcome;
  graph?: GraphTrace;
  latencyMs: number;
}

/** The strings an argument holds: itself, or the strings of a list. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  // A list of references (attachments: { fileId, driveId } or { messageId, attachmentId }) contributes each id.
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === "string" ? [item] : idsOf(item)));
  return [];
}

/** The string values of one reference object in a list. */
function idsOf(item: unknown): string[] {
  if (item === null || typeof item !== "object") return [];
  return Object.values(item).filter((field): field is string => typeof field === "string");
}

/** Each value once, in first-seen order, at most `max`. */
function unique(values: string[], max: number): string[] {
  return [...new Set(values)].slice(0, max);
}

/** What the call's arguments say, per the tool's declaration. */
function fromArguments(tool: ToolCallFacts["tool"], args: Record<string, unknown>) {
  const pick = (names: readonly string[] | undefined) => (names ?? []).flatMap((name) => stringsOf(args[name]));
  const targets = pick(tool.audit.targets).filter((id) => id.length <= MAX_TARGET_LENGTH);
  const recipients = pick(tool.audit.recipients)
    .map((entry) => addressOf(entry).toLowerCase())
    .filter((address) => address.length <= MAX_ADDRESS_LENGTH);
  const textLengths: Record<string, number> = {};
  for (const name of tool.audit.text ?? []) {
    const strings = stringsOf(args[name]);
    if (args[name] !== undefined) textLengths[name] = strings.reduce((sum, text) => sum + text.length, 0);
  }
  return { targets, recipients, textLengths };
}

/** The `tool_call` detail for one call: free text never appears in it, only `textLengths`. */
export function toolCallDetail(facts: ToolCallFacts): ToolCallDetail {
  const detail: ToolCallDetail = { tool: facts.tool.name, outcome: facts.outcome, latencyMs: Math.max(0, Math.round(facts.latencyMs)) };
  if (facts.graph?.status !== undefined) detail.graphStatus = facts.graph.status;
  if (facts.graph?.requestId) detail.graphRequestId = facts.graph.requestId.slice(0, MAX_REQUEST_ID_LENGTH);
  if (!facts.args) return detail;
  const { targets, recipients, textLengths } = fromArguments(facts.tool, facts.args);
  const created = facts.tool.audit.creates && facts.outcome === "ok" ? (facts.graph?.createdIds ?? []) : [];
  const allTargets = unique([...targets, ...created.filter((id) => id.length <= MAX_TARGET_LENGTH)], MAX_TARGETS);
  if (allTargets.length > 0) detail.targets = allTargets;
  if (recipients.length > 0) detail.recipients = unique(recipients, MAX_RECIPIENTS);
  if (Object.keys(textLengths).length > 0) detail.textLengths = textLengths;
  return detail;
}

/**
 * The outcome of a call that failed: Graph throttling (429) and refusals
 * (401/403) are told apart from other errors by the last Graph status.
 */
export function failedOutcome(graph: GraphTrace | undefined, invalidArguments: boolean): ToolCallOutcome {
  if (invalidArguments) return "invalid_arguments";
  if (graph?.status === 429) return "throttled";
  if (graph?.status === 401 || graph?.status === 403) return "denied";
  return "error";
}
