import type { AuditEvent } from "./event";
import {
  dayPath,
  eventMatcher,
  hourPath,
  listObjectKeys,
  listPrefixes,
  objectEvents,
  outcomeOf,
  ReadBudget,
  tenantTrailPrefix,
} from "./read";
import type { TrailFilters } from "./read";

/**
 * @module Exporting a time range of one tenant's audit trail, oldest first,
 * as NDJSON (each line one event exactly as stored, schema version 1) or CSV
 * (the columns of `CSV_COLUMNS`, nested fields flattened). The body is a
 * stream pulled one stored object at a time, so a month of events is never
 * held in memory; the range is capped at `MAX_EXPORT_DAYS`.
 *
 * CSV cells are quoted when they hold a comma, quote or line break, and a
 * text cell that a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
 */

export const MAX_EXPORT_DAYS = 31;
export type ExportFormat = "ndjson" | "csv";

/** Listing calls an export may make: every non-empty hour of the longest range, with room for paged listings. */
const EXPORT_LIST_BUDGET = MAX_EXPORT_DAYS * 25 * 2;

type Cell = string | number | boolean | undefined;

const list = (values: readonly string[] | undefined) => values?.join(" ");
const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

/** The CSV's columns, in order: the header names and how each is read from an event. */
export const CSV_COLUMNS: readonly { name: string; cell: (event: AuditEvent) => Cell }[] = [
  { name: "id", cell: (e) => e.id },
  { name: "time", cell: (e) => e.time },
  { name: "kind", cell: (e) => e.kind },
  { name: "tenant_id", cell: (e) => e.tenantId },
  { name: "actor_type", cell: (e) => e.actor.type },
  { name: "actor_user_id", cell: (e) => e.actor.userId },
  { name: "actor_upn", cell: (e) => e.actor.upn },
  { name: "client_id", cell: (e) => e.client?.id },
  { name: "client_name", cell: (e) => e.client?.name },
  { name: "source_ip", cell: (e) => e.source?.ip },
  { name: "source_user_agent", cell: (e) => e.source?.userAgent },
  { name: "tool", cell: (e) => (e.kind === "tool_call" ? e.detail.tool : undefined) },
  { name: "action", cell: (e) => (e.kind === "admin_action" || e.kind === "operator_action" ? e.detail.action : undefined) },
  { name: "outcome", cell: (e) => outcomeOf(e) },
  { name: "graph_status", cell: (e) => (e.kind === "tool_call" ? e.detail.graphStatus : undefined) },
  { name: "graph_request_id", cell: (e) => (e.kind === "tool_call" ? e.detail.graphRequestId : undefined) },
  { name: "latency_ms", cell: (e) => (e.kind === "tool_call" ? e.detail.latencyMs : undefined) },
  { name: "targets", cell: (e) => (e.kind === "tool_call" ? list(e.detail.targets) : undefined) },
  { name: "recipients", cell: (e) => (e.kind === "tool_call" ? list(e.detail.recipients) : undefined) },
  { name: "text_lengths", cell: (e) => (e.kind === "tool_call" ? json(e.detail.textLengths) : undefined) },
  { name: "reason", cell: (e) => ("reason" in e.detail ? e.detail.reason : undefined) },
  { name: "redirect_host", cell: (e) => ("redirectHost" in e.detail ? e.detail.redirectHost : undefined) },
  {
    name: "scopes",
    cell: (e) => list(e.kind === "sign_in" ? e.detail.grantedScopes : e.kind === "consent" ? e.detail.requestedScopes : undefined),
  },
  { name: "sign_in_what", cell: (e) => (e.kind === "sign_in" ? e.detail.what : undefined) },
  { name: "refresh_side", cell: (e) => (e.kind === "token_refresh_failed" ? e.detail.side : undefined) },
  { name: "revocation_scope", cell: (e) => (e.kind === "revocation" ? e.detail.scope : undefined) },
  { name: "revocation_subject", cell: (e) => (e.kind === "revocation" ? e.detail.subject : undefined) },
  { name: "revocation_grant_ids", cell: (e) => (e.kind === "revocation" ? list(e.detail.grantIds) : undefined) },
  { name: "revocation_agent_wiped", cell: (e) => (e.kind === "revocation" ? e.detail.agentWiped : undefined) },
  { name: "before", cell: (e) => (e.kind === "admin_action" || e.kind === "operator_action" ? json(e.detail.before) : undefined) },
  { name: "after", cell: (e) => (e.kind === "admin_action" || e.kind === "operator_action" ? json(e.detail.after) : undefined) },
];

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-safe text, quoted when needed; numbers and booleans as written. */
export function csvCell(value: Cell): string {
  if (value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(event: AuditEvent): string {
  return `${CSV_COLUMNS.map((column) => csvCell(column.cell(event))).join(",")}\r\n`;
}

export const CSV_HEADER = `${CSV_COLUMNS.map((column) => column.name).join(",")}\r\n`;

/** Relative keys of the tenant's objects in [from, to), oldest first, listed one hour at a time as they are needed. */
async function* objectKeysOldestFirst(bucket: R2Bucket, tenantId: string, from: Date, to: Date): AsyncGenerator<string> {
  const base = tenantTrailPrefix(tenantId);
  const budget = new ReadBudget(EXPORT_LIST_BUDGET, Number.POSITIVE_INFINITY);
  const firstHour = hourPath(from);
  const lastHour = hourPath(to);
  const days = (await listPrefixes(bucket, base, "", budget, dayPath(from).slice(0, 10))) ?? [];
  for (const day of days.filter((d) => d >= dayPath(from) && d <= lastHour)) {
    const hours = (await listPrefixes(bucket, base, day, budget)) ?? [];
    for (const hour of hours.filter((h) => h >= firstHour && h <= lastHour)) {
      yield* (await listObjectKeys(bucket, base, hour, budget)) ?? [];
    }
  }
}

/** The export's body: a stream that reads the next stored object each time the reader wants more. */
export function exportTrail(bucket: R2Bucket, tenantId: string, query: TrailFilters & { from: Date; to: Date }, format: ExportFormat) {
  const keys = objectKeysOldestFirst(bucket, tenantId, query.from, query.to);
  const matches = eventMatcher(query);
  const encoder = new TextEncoder();
  const line = format === "csv" ? csvRow : (event: AuditEvent) => `${JSON.stringify(event)}\n`;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(CSV_HEADER));
    },
    async pull(controller) {
      // Objects whose events all fall outside the filters add nothing: read on until one does, or the range ends.
      for (;;) {
        const next = await keys.next();
        if (next.done) return controller.close();
        const text = ((await objectEvents(bucket, tenantId, next.value)) ?? []).filter(matches).map(line).join("");
        if (text) return controller.enqueue(encoder.encode(text));
      }
    },
    async cancel() {
      await keys.return(undefined);
    },
  });
}
