import { Hono, type Context } from "hono";
import type { z } from "zod";
import { AUDIT_KINDS } from "../../audit/event";
import { readTrail } from "../../audit/read";
import { TrailCursorError } from "../../audit/read-cursor";
import { MAX_EXPORT_DAYS } from "../../audit/read-export";
import { usageReport } from "../../audit/read-usage";
import { AuditExportQuerySchema, AuditListQuerySchema, OUTCOMES, resolveDays, RetentionSchema, UsageQuerySchema } from "../audit-query";
import { auditBody, usageBody, type AuditFilterValues, type AuditPageInput } from "../pages/console/audit-pages";
import { flashNote } from "../pages/console/parts";
import { auditExportResponse, saveRetention } from "../routes/tenant-admin-audit";
import type { ConsoleEnv } from "./context";
import { deps, form, render, text } from "./view";

/**
 * @module The console's Audit and Usage sections: `GET /admin/audit` (filters,
 * a page of the trail, "Older" with the cursor, export links),
 * `GET /admin/audit/export` (the same download as the admin API's),
 * `POST /admin/audit/retention`, and `GET /admin/usage`. The inputs are
 * checked by the admin API's own schemas; times in the form are UTC.
 */

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
/** The tool list offers what the org's users called in this many recent days. */
const TOOL_CHOICE_DAYS = 90;

const RETENTION_FLASH = { "retention-saved": "Retention saved. Older events are deleted in the next daily cleanup." } as const;

/** A `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS]`) as an ISO time in UTC; anything else is left for the schema to refuse. */
function utcTime(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value;
}

/** A time as a `datetime-local` input shows it, UTC, to the minute. */
function localValue(time: Date): string {
  return time.toISOString().slice(0, 16);
}

/** The form's values with the default range filled in: the last 7 days, up to the next whole minute. */
function filterValues(query: Record<string, string>): AuditFilterValues {
  const to = query.to || localValue(new Date(Math.ceil(Date.now() / 60_000) * 60_000));
  const end = Date.parse(utcTime(to));
  const from = query.from || localValue(new Date((Number.isNaN(end) ? Date.now() : end) - 7 * DAY_MS));
  return { from, to, user: query.user ?? "", tool: query.tool ?? "", outcome: query.outcome ?? "", kind: query.kind ?? "" };
}

function issuesByField(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "from")] ??= issue.message;
  return errors;
}

function withQuery(path: string, values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  return `${path}?${query}`;
}

async function auditPage(c: Context<ConsoleEnv>, retentionError?: string) {
  const raw = c.req.query();
  const filters = filterValues(raw);
  const tenant = c.get("tenant");
  const tools = await c.get("registry").usedTools(tenant.id, new Date(Date.now() - TOOL_CHOICE_DAYS * DAY_MS).toISOString().slice(0, 10));
  const done = raw.done && Object.hasOwn(RETENTION_FLASH, raw.done) ? RETENTION_FLASH[raw.done as keyof typeof RETENTION_FLASH] : undefined;
  const input: AuditPageInput = {
    filters,
    errors: {},
    tools,
    outcomes: OUTCOMES,
    kinds: AUDIT_KINDS,
    events: undefined,
    olderHref: undefined,
    exportHrefs: undefined,
    maxExportDays: MAX_EXPORT_DAYS,
    retentionDays: tenant.audit.retentionDays,
    retentionError,
    csrfToken: c.get("csrfToken"),
    flash: flashNote(done),
  };
  const parsed = AuditListQuerySchema.safeParse({ ...filters, from: utcTime(filters.from), to: utcTime(filters.to), cursor: raw.cursor });
  if (!parsed.success) return render(c, "audit", "Audit", auditBody({ ...input, errors: issuesByField(parsed.error) }), 400);
  const from = new Date(parsed.data.from ?? "");
  const to = new Date(parsed.data.to ?? "");
  try {
    const trail = { bucket: c.env.AUDIT_BUCKET, cursorSecret: c.get("config").CURSOR_SECRET };
    const page = await readTrail(trail, tenant.id, { ...parsed.data, from, to, limit: PAGE_SIZE });
    input.events = page.events;
    input.olderHref = page.nextCursor ? withQuery("/admin/audit", { ...filters, cursor: page.nextCursor }) : undefined;
  } catch (error) {
    if (!(error instanceof TrailCursorError)) throw error;
    return render(
      c,
      "audit",
      "Audit",
      auditBody({ ...input, errors: { cursor: "That page link is not valid here; start again from the newest events." } }),
      400,
    );
  }
  if (to.getTime() - from.getTime() <= MAX_EXPORT_DAYS * DAY_MS) {
    const exportOf = (format: string) => withQuery("/admin/audit/export", { ...filters, format });
    input.exportHrefs = { ndjson: exportOf("ndjson"), csv: exportOf("csv") };
  }
  return render(c, "audit", "Audit", auditBody(input), retentionError ? 400 : 200);
}

async function usagePage(c: Context<ConsoleEnv>) {
  const raw = c.req.query();
  const days = resolveDays({ from: raw.from || undefined, to: raw.to || undefined });
  const values = { from: raw.from || days.from, to: raw.to || days.to, user: raw.user ?? "" };
  const parsed = UsageQuerySchema.safeParse(values);
  if (!parsed.success)
    return render(c, "usage", "Usage", usageBody({ values, errors: issuesByField(parsed.error), report: undefined }), 400);
  const report = await usageReport(c.get("registry"), c.get("tenant").id, values.from, values.to, parsed.data.user);
  return render(c, "usage", "Usage", usageBody({ values, errors: {}, report }));
}

export const consoleAuditRoutes = new Hono<ConsoleEnv>()
  .get("/admin/audit", (c) => auditPage(c))
  .get("/admin/audit/export", async (c) => {
    const filters = filterValues(c.req.query());
    const parsed = AuditExportQuerySchema.safeParse({
      ...filters,
      from: utcTime(filters.from),
      to: utcTime(filters.to),
      format: c.req.query("format"),
    });
    if (!parsed.success) return auditPage(c);
    const query = { ...parsed.data, from: new Date(parsed.data.from ?? ""), to: new Date(parsed.data.to ?? "") };
    return auditExportResponse(c.env.AUDIT_BUCKET, c.get("tenant"), query);
  })
  .post("/admin/audit/retention", async (c) => {
    const raw = text((await form(c)).days).trim();
    const parsed = RetentionSchema.safeParse({ days: raw === "" ? undefined : Number(raw) });
    if (!parsed.success) return auditPage(c, parsed.error.issues[0]?.message ?? "expected a whole number of days from 1 to 365");
    await saveRetention(deps(c), parsed.data.days);
    return c.redirect("/admin/audit?done=retention-saved", 303);
  })
  .get("/admin/usage", (c) => usagePage(c));
