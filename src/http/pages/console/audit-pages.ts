import { html } from "hono/html";
import type { AuditEvent } from "../../../audit/event";
import type { UsageReport } from "../../../audit/read-usage";
import { csrfField } from "./layout";
import { fieldError, invalidAttributes, timeOf } from "./parts";

/**
 * @module The console's Audit and Usage pages. Audit: a filter form (GET),
 * the trail newest first as a table that stacks into labelled rows on a
 * phone, an "Older" link carrying the cursor, export links for the filtered
 * range, and the retention setting (POST). Usage: per-day and per-tool
 * tables for a range of days, and one user's days on request. Pure
 * functions of their input; every value is escaped by hono's `html`.
 */

export interface AuditFilterValues {
  /** As a `datetime-local` input holds it, UTC: `YYYY-MM-DDTHH:MM`. */
  from: string;
  to: string;
  user: string;
  tool: string;
  outcome: string;
  kind: string;
}

export interface AuditPageInput {
  filters: AuditFilterValues;
  errors: Partial<Record<keyof AuditFilterValues | "cursor", string>>;
  tools: readonly string[];
  outcomes: readonly string[];
  kinds: readonly string[];
  events: readonly AuditEvent[] | undefined;
  olderHref: string | undefined;
  exportHrefs: { ndjson: string; csv: string } | undefined;
  maxExportDays: number;
  retentionDays: number;
  retentionError: string | undefined;
  csrfToken: string;
  flash: unknown;
}

const KIND_WORDS: Record<string, string> = {
  tool_call: "Tool call",
  sign_in: "Sign-in",
  consent: "Consent",
  token_refresh_failed: "Refresh failed",
  revocation: "Revocation",
  admin_action: "Admin action",
  operator_action: "Operator action",
};

function options(values: readonly string[], selected: string, words: Record<string, string> = {}) {
  return values.map((value) => html`<option value="${value}" ${value === selected ? "selected" : ""}>${words[value] ?? value}</option>`);
}

function textInput(id: string, name: keyof AuditFilterValues, label: string, value: string, type: string, error: string | undefined) {
  return html`<div>
    <label for="${id}">${label}</label>
    <input type="${type}" id="${id}" name="${name}" value="${value}" ${invalidAttributes(id, error)} />
    ${fieldError(id, error)}
  </div>`;
}

function selectInput(
  id: string,
  name: keyof AuditFilterValues,
  label: string,
  choices: ReturnType<typeof options>,
  error: string | undefined,
) {
  return html`<div>
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}" ${invalidAttributes(id, error)}>
      <option value="">Any</option>
      ${choices}
    </select>
    ${fieldError(id, error)}
  </div>`;
}

function filterForm(input: AuditPageInput) {
  const { filters: f, errors: e } = input;
  const tools = input.tools.includes(f.tool) || !f.tool ? input.tools : [...input.tools, f.tool];
  return html`<form method="get" action="/admin/audit" class="console-form">
    <div class="audit-filters">
      ${textInput("audit-from", "from", "From (UTC)", f.from, "datetime-local", e.from)}
      ${textInput("audit-to", "to", "To (UTC)", f.to, "datetime-local", e.to)}
      ${textInput("audit-user", "user", "User (sign-in name or id)", f.user, "text", e.user)}
      ${selectInput("audit-tool", "tool", "Tool", options(tools, f.tool), e.tool)}
      ${selectInput("audit-outcome", "outcome", "Outcome", options(input.outcomes, f.outcome), e.outcome)}
      ${selectInput("audit-kind", "kind", "Kind", options(input.kinds, f.kind, KIND_WORDS), e.kind)}
    </div>
    <button type="submit">Show</button>
  </form>`;
}

function who(event: AuditEvent): string {
  return event.actor.upn || event.actor.userId || (event.actor.type === "admin_key" ? "admin key" : event.actor.type.replace("_", " "));
}

function whatOf(event: AuditEvent): string {
  if (event.kind === "tool_call") return event.detail.tool;
  if (event.kind === "admin_action" || event.kind === "operator_action") return event.detail.action;
  if (event.kind === "sign_in") return event.detail.what === "console_test" ? "console test sign-in" : event.detail.what;
  if (event.kind === "token_refresh_failed") return event.detail.side;
  if (event.kind === "revocation") return `${event.detail.scope} ${event.detail.subject}`;
  return event.detail.redirectHost ?? "";
}

function outcomeOf(event: AuditEvent): string {
  const detail: Record<string, unknown> = event.detail;
  const outcome = typeof detail.outcome === "string" ? detail.outcome : typeof detail.decision === "string" ? detail.decision : "";
  return typeof detail.reason === "string" ? `${outcome} (${detail.reason})` : outcome;
}

function countsOf(event: AuditEvent): string {
  if (event.kind !== "tool_call") return "";
  const targets = event.detail.targets?.length ?? 0;
  const recipients = event.detail.recipients?.length ?? 0;
  return `${targets} / ${recipients}`;
}

function eventRow(event: AuditEvent) {
  return html`<tr>
    <td data-label="Time">${timeOf(new Date(event.time))}</td>
    <td data-label="User">${who(event)}</td>
    <td data-label="Client">${event.client?.name ?? event.client?.id ?? ""}</td>
    <td data-label="Kind">${KIND_WORDS[event.kind] ?? event.kind}</td>
    <td data-label="Tool / action">${whatOf(event)}</td>
    <td data-label="Outcome">${outcomeOf(event)}</td>
    <td data-label="Targets / recipients" class="num">${countsOf(event)}</td>
  </tr>`;
}

function eventsTable(input: AuditPageInput) {
  if (!input.events) return "";
  if (input.events.length === 0) {
    return html`<p>
      ${input.olderHref ? "No matching events in this part of the range; look further back." : "No matching events in this range."}
    </p>`;
  }
  return html`<table class="audit-table">
    <caption class="visually-hidden">
      Audit events, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">Time</th>
        <th scope="col">User</th>
        <th scope="col">Client</th>
        <th scope="col">Kind</th>
        <th scope="col">Tool / action</th>
        <th scope="col">Outcome</th>
        <th scope="col" class="num">Targets / recipients</th>
      </tr>
    </thead>
    <tbody>
      ${input.events.map(eventRow)}
    </tbody>
  </table>`;
}

function retentionForm(input: AuditPageInput) {
  return html`<h2>Retention</h2>
    <form method="post" action="/admin/audit/retention" class="console-form">
      ${csrfField(input.csrfToken)}
      <label for="audit-retention"
        >Keep the audit trail for <span class="hint">(days, 1 to 365; older events are deleted daily)</span></label
      >
      <input
        type="number"
        id="audit-retention"
        name="days"
        min="1"
        max="365"
        step="1"
        required
        value="${input.retentionDays}"
        ${invalidAttributes("audit-retention", input.retentionError)}
      />
      ${fieldError("audit-retention", input.retentionError)}
      <button type="submit">Save retention</button>
    </form>`;
}

export function auditBody(input: AuditPageInput) {
  return html`<h1>Audit</h1>
    ${input.flash}
    <p>What every user's AI client did, and every sign-in and admin change, newest first. Times are UTC.</p>
    ${filterForm(input)} ${input.errors.cursor ? html`<p class="error">${input.errors.cursor}</p>` : ""}
    <div class="audit-actions">
      ${
        input.exportHrefs
          ? html`<a href="${input.exportHrefs.ndjson}" download>Export NDJSON</a>
              <a href="${input.exportHrefs.csv}" download>Export CSV</a>`
          : html`<span class="hint">An export covers at most ${input.maxExportDays} days: narrow the range to export it.</span>`
      }
    </div>
    ${eventsTable(input)}
    ${input.olderHref ? html`<p class="audit-actions"><a href="${input.olderHref}" rel="next">Older events</a></p>` : ""}
    ${retentionForm(input)}`;
}

export interface UsagePageInput {
  values: { from: string; to: string; user: string };
  errors: Partial<Record<"from" | "to" | "user", string>>;
  report: UsageReport | undefined;
}

function usageForm(input: UsagePageInput) {
  const { values: v, errors: e } = input;
  return html`<form method="get" action="/admin/usage" class="console-form">
    <div class="audit-filters">
      <div>
        <label for="usage-from">From (UTC day)</label>
        <input type="date" id="usage-from" name="from" value="${v.from}" ${invalidAttributes("usage-from", e.from)} />
        ${fieldError("usage-from", e.from)}
      </div>
      <div>
        <label for="usage-to">To (UTC day)</label>
        <input type="date" id="usage-to" name="to" value="${v.to}" ${invalidAttributes("usage-to", e.to)} />
        ${fieldError("usage-to", e.to)}
      </div>
      <div>
        <label for="usage-user">One user <span class="hint">(optional, id as &lt;tid&gt;.&lt;oid&gt;)</span></label>
        <input type="text" id="usage-user" name="user" value="${v.user}" ${invalidAttributes("usage-user", e.user)} />
        ${fieldError("usage-user", e.user)}
      </div>
    </div>
    <button type="submit">Show</button>
  </form>`;
}

function table(caption: string, headings: readonly string[], rows: readonly (readonly (string | number)[])[]) {
  return html`<table class="audit-table">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${headings.map((heading, i) => html`<th scope="col" ${i > 0 ? html`class="num"` : ""}>${heading}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${row.map((cell, i) => html`<td data-label="${headings[i] ?? ""}" ${i > 0 ? html`class="num"` : ""}>${cell}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function usageReportBody(report: UsageReport) {
  if (report.days.length === 0) return html`<p>No tool calls from ${report.from} to ${report.to}.</p>`;
  const { totals } = report;
  return html`<p>
      From ${report.from} to ${report.to}: <strong>${totals.calls}</strong> tool calls, ${totals.errors} errors, ${totals.throttled}
      throttled by Microsoft Graph.
    </p>
    ${table(
      "Per day",
      ["Day", "Calls", "Errors", "Throttled", "Active users"],
      report.days.map((d) => [d.day, d.calls, d.errors, d.throttled, d.activeUsers]),
    )}
    ${table(
      "Per tool",
      ["Tool", "Calls", "Errors", "Throttled", "Average ms"],
      report.tools.map((t) => [t.tool, t.calls, t.errors, t.throttled, t.averageLatencyMs ?? ""]),
    )}`;
}

function usersList(report: UsageReport) {
  if (report.users.length === 0) return "";
  const link = (user: UsageReport["users"][number]) =>
    html`<a href="/admin/usage?${new URLSearchParams({ from: report.from, to: report.to, user: user.userId }).toString()}"
      >${user.upn ?? user.userId}</a
    >`;
  return html`<h2>Most active users</h2>
    <table class="audit-table">
      <caption class="visually-hidden">
        Users with the most calls; open one for their calls per day
      </caption>
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col" class="num">Calls</th>
          <th scope="col" class="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        ${report.users.map(
          (user) =>
            html`<tr>
              <td data-label="User">${link(user)}</td>
              <td data-label="Calls" class="num">${user.calls}</td>
              <td data-label="Errors" class="num">${user.errors}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function userReport(report: UsageReport) {
  if (!report.user) return "";
  const { user } = report;
  return html`<h2>User ${user.userId}</h2>
    ${
      user.days.length === 0
        ? html`<p>This user made no tool calls in this range.</p>`
        : table(
            "This user's calls per day",
            ["Day", "Calls", "Errors"],
            user.days.map((d) => [d.day, d.calls, d.errors]),
          )
    }`;
}

export function usageBody(input: UsagePageInput) {
  return html`<h1>Usage</h1>
    <p>Tool calls per UTC day, by tool, with errors, Microsoft Graph throttling and active users.</p>
    ${usageForm(input)} ${input.report ? html`${userReport(input.report)} ${usageReportBody(input.report)} ${usersList(input.report)}` : ""}`;
}
