import { z } from "zod";
import { AUDIT_KINDS } from "../audit/event";
import { MAX_EXPORT_DAYS } from "../audit/read-export";
import { UserIdSchema } from "../oauth/user-access";

/**
 * @module The audit and usage queries' parameters, shared by the admin API
 * and the console: time ranges (ISO 8601, `from` before `to`, capped),
 * filters, page size and cursor. Each error names its field and says what
 * was expected. An empty value (a form's blank field) counts as absent.
 */

const DAY_MS = 86_400_000;
/** A page of the trail may look back this far: the longest retention and a day. */
export const MAX_LIST_DAYS = 366;
export const MAX_USAGE_DAYS = 366;
export const DEFAULT_LIST_DAYS = 7;
export const DEFAULT_USAGE_DAYS = 30;
export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

const blankIsAbsent = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());

const Time = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date and time, such as 2025-01-31T09:00:00Z" });
const Day = z.iso.date({ error: "expected a UTC day as YYYY-MM-DD" });

export const OUTCOMES = ["ok", "error", "invalid_arguments", "denied", "throttled", "refused", "approved"] as const;

const Filters = {
  user: optional(z.string().trim().max(320, "expected a user id (<tid>.<oid>) or a sign-in name of at most 320 characters")),
  tool: optional(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "expected a tool name such as list_messages")),
  outcome: optional(z.enum(OUTCOMES, { error: `expected one of ${OUTCOMES.join(", ")}` })),
  kind: optional(z.enum(AUDIT_KINDS, { error: `expected one of ${AUDIT_KINDS.join(", ")}` })),
};

/** A range of times: defaults to the last `defaultDays`, and refuses a reversed or over-long one. */
function timeRange(defaultDays: number, maxDays: number, tooLong: string) {
  return {
    shape: { from: optional(Time), to: optional(Time) },
    check(value: { from?: string; to?: string }, ctx: z.RefinementCtx) {
      const { from, to } = resolveRange(value, defaultDays);
      if (from.getTime() >= to.getTime()) ctx.addIssue({ code: "custom", path: ["from"], message: "expected a time before to" });
      else if (to.getTime() - from.getTime() > maxDays * DAY_MS) ctx.addIssue({ code: "custom", path: ["to"], message: tooLong });
    },
  };
}

/** The range a query names, with its defaults filled in: up to now, `defaultDays` back. */
export function resolveRange(value: { from?: string; to?: string }, defaultDays: number): { from: Date; to: Date } {
  const to = value.to ? new Date(value.to) : new Date();
  const from = value.from ? new Date(value.from) : new Date(to.getTime() - defaultDays * DAY_MS);
  return { from, to };
}

const listRange = timeRange(DEFAULT_LIST_DAYS, MAX_LIST_DAYS, `expected at most ${MAX_LIST_DAYS} days after from`);
export const AuditListQuerySchema = z
  .object({
    ...listRange.shape,
    ...Filters,
    cursor: optional(z.string().max(512, "expected the nextCursor of a previous page")),
    limit: optional(
      z.coerce
        .number({ error: `expected a whole number from 1 to ${MAX_PAGE}` })
        .int(`expected a whole number from 1 to ${MAX_PAGE}`)
        .min(1, `expected a whole number from 1 to ${MAX_PAGE}`)
        .max(MAX_PAGE, `expected a whole number from 1 to ${MAX_PAGE}`),
    ),
  })
  .superRefine(listRange.check);

const exportRange = timeRange(
  1,
  MAX_EXPORT_DAYS,
  `an export covers at most ${MAX_EXPORT_DAYS} days after from; export a longer range in parts`,
);
export const AuditExportQuerySchema = z
  .object({
    ...exportRange.shape,
    ...Filters,
    format: z.preprocess(blankIsAbsent, z.enum(["ndjson", "csv"], { error: "expected ndjson or csv" }).default("ndjson")),
  })
  .superRefine(exportRange.check);

/** A range of UTC days, both ends inclusive, as the usage queries take it. */
export const UsageRangeShape = { from: optional(Day), to: optional(Day) };

/** Refuses a reversed range of days, or one longer than `MAX_USAGE_DAYS`. */
export function checkUsageRange(value: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const { from, to } = resolveDays(value);
  if (from > to) ctx.addIssue({ code: "custom", path: ["from"], message: "expected a day on or before to" });
  else if (Date.parse(to) - Date.parse(from) >= MAX_USAGE_DAYS * DAY_MS)
    ctx.addIssue({ code: "custom", path: ["to"], message: `expected at most ${MAX_USAGE_DAYS} days from from` });
}

export const UsageQuerySchema = z.object({ ...UsageRangeShape, user: optional(UserIdSchema) }).superRefine(checkUsageRange);

/** The days a usage query names, with its defaults filled in: the last `DEFAULT_USAGE_DAYS` days up to today (UTC). */
export function resolveDays(value: { from?: string; to?: string }): { from: string; to: string } {
  const to = value.to ?? new Date().toISOString().slice(0, 10);
  const from = value.from ?? new Date(Date.parse(to) - (DEFAULT_USAGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

export const RetentionSchema = z.strictObject({
  days: z
    .number({ error: "expected a whole number of days from 1 to 365" })
    .int("expected a whole number of days from 1 to 365")
    .min(1, "expected a whole number of days from 1 to 365")
    .max(365, "expected a whole number of days from 1 to 365"),
});
