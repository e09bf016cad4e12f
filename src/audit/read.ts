import { logError, logEvent } from "../lib/log";
import { AuditEventSchema, type AuditEvent, type AuditKind } from "./event";
import { openTrailCursor, sealTrailCursor, type TrailPosition } from "./read-cursor";

/**
 * @module Reading one tenant's stored audit trail from R2 for its admin: a
 * page of events, newest first, with filters and an opaque cursor. The
 * trail's layout is the writer's contract: objects at
 * `audit/v1/<tenantId>/<YYYY-MM-DD>/<HH>/<firstSeq>-<lastSeq>.ndjson.gz`,
 * gzip NDJSON, one event per line, each object within one UTC hour.
 *
 * Only days and hours inside [from, to] are listed (through R2's delimiter,
 * so empty hours cost nothing) and only their objects are read. A page does
 * bounded work: at most `MAX_LISTS_PER_PAGE` list calls and
 * `MAX_OBJECTS_PER_PAGE` object reads; when either runs out first the page
 * holds fewer events and a cursor to go on. Every line read is checked
 * against the event schema and the tenant id, so a stray line never reaches
 * another tenant's admin.
 */

export const MAX_LISTS_PER_PAGE = 40;
export const MAX_OBJECTS_PER_PAGE = 16;

export interface TrailFilters {
  /** `<tid>.<oid>` or a sign-in name (UPN) of the actor, any case. */
  user?: string;
  /** A tool call's tool. */
  tool?: string;
  /** The event's outcome (tool calls, sign-ins, admin and operator actions). */
  outcome?: string;
  kind?: AuditKind;
}

export interface TrailQuery extends TrailFilters {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  cursor?: string;
  limit: number;
}

export interface TrailDeps {
  bucket: R2Bucket;
  /** CURSOR_SECRET: the key cursors are signed with. */
  cursorSecret: string;
}

export interface TrailPage {
  events: AuditEvent[];
  nextCursor: string | null;
}

/** Every object of a tenant's trail is under this prefix, and nothing of another tenant's is. */
export function tenantTrailPrefix(tenantId: string): string {
  return `audit/v1/${tenantId}/`;
}

/** `YYYY-MM-DD/` of a time, UTC: a day's place in the layout. */
export function dayPath(time: Date): string {
  return `${time.toISOString().slice(0, 10)}/`;
}

/** `YYYY-MM-DD/HH/` of a time, UTC: an hour's place in the layout. */
export function hourPath(time: Date): string {
  const iso = time.toISOString();
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}/`;
}

/** Counts R2 calls against a page's budget. */
export class ReadBudget {
  constructor(
    private lists: number,
    private objects: number,
  ) {}
  list(): boolean {
    return this.lists-- > 0;
  }
  object(): boolean {
    return this.objects-- > 0;
  }
}

/** Common prefixes under `prefix` (relative to `base`), ascending, from `startAfter` on; undefined when the budget ran out. */
export async function listPrefixes(
  bucket: R2Bucket,
  base: string,
  prefix: string,
  budget: ReadBudget,
  startAfter?: string,
): Promise<string[] | undefined> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    if (!budget.list()) return undefined;
    const page = await bucket.list({
      prefix: base + prefix,
      delimiter: "/",
      cursor,
      startAfter: startAfter ? base + startAfter : undefined,
    });
    found.push(...page.delimitedPrefixes.map((full) => full.slice(base.length)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return found.sort();
}

/** Object keys under `prefix` (relative to `base`), ascending; undefined when the budget ran out. */
export async function listObjectKeys(bucket: R2Bucket, base: string, prefix: string, budget: ReadBudget): Promise<string[] | undefined> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    if (!budget.list()) return undefined;
    const page = await bucket.list({ prefix: base + prefix, cursor });
    found.push(...page.objects.map((object) => object.key.slice(base.length)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return found.sort();
}

/**
 * One stored object's events, oldest first (by time, then as written), each
 * valid under the schema and of this tenant; anything else is skipped and
 * counted in a log line. Undefined when the object is gone (purged since it was listed).
 */
export async function objectEvents(bucket: R2Bucket, tenantId: string, relativeKey: string): Promise<AuditEvent[] | undefined> {
  const object = await bucket.get(tenantTrailPrefix(tenantId) + relativeKey);
  if (!object) return undefined;
  let text: string;
  try {
    text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
  } catch (error) {
    // One damaged object must not make the rest of the trail unreadable: it is named in the log instead.
    logError("audit_trail_object_unreadable", error, { tenantId, key: relativeKey });
    return [];
  }
  const events: AuditEvent[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const parsed = AuditEventSchema.safeParse(parseJson(line));
    if (parsed.success && parsed.data.tenantId === tenantId) events.push(parsed.data);
    else skipped++;
  }
  if (skipped > 0) logEvent("audit_trail_lines_skipped", { tenantId, key: relativeKey, skipped });
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.time.localeCompare(b.event.time) || a.index - b.index)
    .map((entry) => entry.event);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The event's outcome in the filter's words: tool calls, sign-ins and actions have one; a consent's decision counts as one. */
export function outcomeOf(event: AuditEvent): string | undefined {
  const detail: Record<string, unknown> = event.detail;
  if (typeof detail.outcome === "string") return detail.outcome;
  return typeof detail.decision === "string" ? detail.decision : undefined;
}

/** Whether an event is inside [from, to) and passes every filter given. */
export function eventMatcher(query: TrailFilters & { from: Date; to: Date }): (event: AuditEvent) => boolean {
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const user = query.user?.toLowerCase();
  return (event) =>
    event.time >= from &&
    event.time < to &&
    (!query.kind || event.kind === query.kind) &&
    (!query.tool || (event.kind === "tool_call" && event.detail.tool === query.tool)) &&
    (!query.outcome || outcomeOf(event) === query.outcome) &&
    (!user || event.actor.userId === user || event.actor.upn?.toLowerCase() === user);
}

/** One page of the trail, newest first. A cursor of another tenant, or a forged one, is a TrailCursorError. */
export async function readTrail(deps: TrailDeps, tenantId: string, query: TrailQuery): Promise<TrailPage> {
  const start: TrailPosition = query.cursor
    ? await openTrailCursor(deps.cursorSecret, tenantId, query.cursor)
    : { at: `${hourPath(query.to)}~`, skip: 0 };
  const events: AuditEvent[] = [];
  const done = async (next?: TrailPosition): Promise<TrailPage> => ({
    events,
    nextCursor: next ? await sealTrailCursor(deps.cursorSecret, tenantId, next) : null,
  });
  const base = tenantTrailPrefix(tenantId);
  const budget = new ReadBudget(MAX_LISTS_PER_PAGE, MAX_OBJECTS_PER_PAGE);
  const matches = eventMatcher(query);
  const firstHour = hourPath(query.from);
  const lastHour = hourPath(query.to);
  // Days sort as `YYYY-MM-DD/`; every day from the range's first on is listed (retention keeps this to one call).
  const days = await listPrefixes(deps.bucket, base, "", budget, dayPath(query.from).slice(0, 10));
  if (!days) return done(start);
  for (const day of days.filter((d) => d < start.at && d >= dayPath(query.from) && d <= lastHour).toReversed()) {
    const hours = await listPrefixes(deps.bucket, base, day, budget);
    if (!hours) return done(lower(start, `${day}~`));
    for (const hour of hours.filter((h) => h < start.at && h >= firstHour && h <= lastHour).toReversed()) {
      const keys = await listObjectKeys(deps.bucket, base, hour, budget);
      if (!keys) return done(lower(start, `${hour}~`));
      for (const key of keys.filter((k) => k <= start.at).toReversed()) {
        if (!budget.object()) return done(key === start.at ? start : { at: key, skip: 0 });
        const newestFirst = ((await objectEvents(deps.bucket, tenantId, key)) ?? []).toReversed();
        for (let index = key === start.at ? start.skip : 0; index < newestFirst.length; index++) {
          const event = newestFirst[index];
          if (event && matches(event)) events.push(event);
          if (events.length >= query.limit) return done({ at: key, skip: index + 1 });
        }
      }
    }
  }
  return done();
}

/** The position further along (lower) of the cursor's start and a boundary. */
function lower(start: TrailPosition, at: string): TrailPosition {
  return at < start.at ? { at, skip: 0 } : start;
}
