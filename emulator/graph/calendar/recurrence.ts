import { DAY_MS, formatWall, fromWall, parseWall } from "../timezones";
import { DAYS, type EventRecord, occurrenceICalUId, occurrenceId, parseOccurrenceId, type RecurrenceRecord, spanOf, zoneOf } from "./model";

/**
 * @module
 * Expands a series master into occurrences, as Outlook does: dates follow
 * the pattern from range.startDate in the series' own zone, each occurrence
 * keeps the master's wall-clock time there (so 09:00 Berlin stays 09:00
 * Berlin across DST), and exceptions or deleted dates replace occurrences.
 */
const ORDINALS = { first: 0, second: 1, third: 2, fourth: 3, last: -1 } as const;
/** Never walk a series further than this (a noEnd series is otherwise unbounded). */
const MAX_SPAN_DAYS = 366 * 30;

export const dayNumber = (date: string): number => Math.floor((parseWall(date) ?? 0) / DAY_MS);
export const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

function parts(day: number) {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), dom: date.getUTCDate() };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The days of one month that are the `index`-th of the pattern's weekdays. */
function relativeDay(year: number, month: number, pattern: RecurrenceRecord["pattern"]): number | undefined {
  const wanted = new Set(pattern.daysOfWeek.map((d) => DAYS.indexOf(d)));
  const first = Math.floor(Date.UTC(year, month, 1) / DAY_MS);
  const matching: number[] = [];
  for (let day = first; day < first + daysInMonth(year, month); day++) if (wanted.has(weekday(day))) matching.push(day);
  const ordinal = ORDINALS[pattern.index];
  return ordinal < 0 ? matching[matching.length - 1] : matching[ordinal];
}

function matches(pattern: RecurrenceRecord["pattern"], day: number, startDay: number): boolean {
  const interval = Math.max(1, pattern.interval);
  const at = parts(day);
  const from = parts(startDay);
  const months = (at.year - from.year) * 12 + at.month - from.month;
  switch (pattern.type) {
    case "daily":
      return (day - startDay) % interval === 0;
    case "weekly": {
      if (!pattern.daysOfWeek.map((d) => DAYS.indexOf(d)).includes(weekday(day))) return false;
      const firstDow = DAYS.indexOf(pattern.firstDayOfWeek);
      const weekStart = (d: number) => d - ((weekday(d) - firstDow + 7) % 7);
      return ((weekStart(day) - weekStart(startDay)) / 7) % interval === 0;
    }
    case "absoluteMonthly":
      return months % interval === 0 && at.dom === Math.min(pattern.dayOfMonth, daysInMonth(at.year, at.month));
    case "relativeMonthly":
      return months % interval === 0 && relativeDay(at.year, at.month, pattern) === day;
    case "absoluteYearly":
      return (
        (at.year - from.year) % interval === 0 &&
        at.month === pattern.month - 1 &&
        at.dom === Math.min(pattern.dayOfMonth, daysInMonth(at.year, at.month))
      );
    case "relativeYearly":
      return (at.year - from.year) % interval === 0 && at.month === pattern.month - 1 && relativeDay(at.year, at.month, pattern) === day;
  }
}

/** Series dates (day numbers) in order, honouring the range; the caller stops iterating. */
export function* seriesDays(recurrence: RecurrenceRecord): Generator<number> {
  const startDay = dayNumber(recurrence.range.startDate);
  const endDay = recurrence.range.type === "endDate" ? dayNumber(recurrence.range.endDate) : startDay + MAX_SPAN_DAYS;
  const limit = recurrence.range.type === "numbered" ? recurrence.range.numberOfOccurrences : Number.POSITIVE_INFINITY;
  let count = 0;
  for (let day = startDay; day <= Math.min(endDay, startDay + MAX_SPAN_DAYS) && count < limit; day++) {
    if (!matches(recurrence.pattern, day, startDay)) continue;
    count++;
    yield day;
  }
}

/** The occurrence of `master` on `date`, as a record of its own (type "occurrence"). */
export function occurrenceOf(master: EventRecord, date: string): EventRecord {
  const startWall = parseWall(master.start.dateTime) ?? 0;
  const endWall = parseWall(master.end.dateTime) ?? startWall;
  const day = dayNumber(date);
  const offset = day * DAY_MS - Math.floor(startWall / DAY_MS) * DAY_MS;
  const occurrenceStart = startWall + offset;
  const endZoneWall = master.isAllDay ? endWall + offset : undefined;
  const startInstant = master.isAllDay ? occurrenceStart : fromWall(zoneOf(master), occurrenceStart);
  const span = spanOf(master, "UTC");
  const end = endZoneWall ?? startWall + offset + (span.end - span.start);
  const { recurrence: _recurrence, cancelledDates: _cancelled, ...rest } = master;
  return {
    ...rest,
    id: occurrenceId(master.id, date),
    iCalUId: occurrenceICalUId(master.iCalUId, date),
    type: "occurrence",
    seriesMasterId: master.id,
    recurrence: null,
    start: { dateTime: formatWall(occurrenceStart), timeZone: master.start.timeZone },
    // The end keeps the start's zone, so a wall duration survives a DST change.
    end: { dateTime: formatWall(end), timeZone: master.start.timeZone },
    originalStart: new Date(startInstant).toISOString().replace(".000Z", "Z"),
    occurrenceDate: date,
  };
}

/** Whether `date` is a live occurrence date of the series (not deleted). */
export function isSeriesDate(master: EventRecord, date: string): boolean {
  if (!master.recurrence || master.cancelledDates?.includes(date)) return false;
  const target = dayNumber(date);
  for (const day of seriesDays(master.recurrence)) {
    if (day === target) return true;
    if (day > target) return false;
  }
  return false;
}

/** Resolves an occurrence id of a series in `events`, if it names a live occurrence. */
export function findOccurrence(events: ReadonlyMap<string, EventRecord>, id: string): EventRecord | undefined {
  const parsed = parseOccurrenceId(id);
  const master = parsed ? events.get(parsed.masterId) : undefined;
  if (!parsed || master?.type !== "seriesMaster" || !isSeriesDate(master, parsed.date)) return undefined;
  return occurrenceOf(master, parsed.date);
}

export interface Instance {
  event: EventRecord;
  start: number;
  end: number;
}

/** Occurrences and exceptions of one series overlapping [from, to). */
export function seriesInstances(
  master: EventRecord,
  exceptions: readonly EventRecord[],
  from: number,
  to: number,
  viewIana: string,
): Instance[] {
  if (!master.recurrence) return [];
  const replaced = new Set([...(master.cancelledDates ?? []), ...exceptions.map((e) => e.occurrenceDate ?? "")]);
  const span = spanOf(master, viewIana);
  const margin = 2 * DAY_MS + (span.end - span.start);
  const firstDay = Math.floor((from - margin) / DAY_MS);
  const lastDay = Math.floor((to + 2 * DAY_MS) / DAY_MS);
  const found: Instance[] = [];
  for (const day of seriesDays(master.recurrence)) {
    if (day > lastDay) break;
    if (day < firstDay || replaced.has(isoDate(day))) continue;
    const occurrence = occurrenceOf(master, isoDate(day));
    const at = spanOf(occurrence, viewIana);
    if (at.start < to && at.end > from) found.push({ event: occurrence, ...at });
  }
  for (const exception of exceptions) {
    const at = spanOf(exception, viewIana);
    if (at.start < to && at.end > from) found.push({ event: exception, ...at });
  }
  return found;
}

/** Every instance in the store overlapping [from, to): single events, occurrences and exceptions, by start. */
export function instancesIn(events: ReadonlyMap<string, EventRecord>, from: number, to: number, viewIana: string): Instance[] {
  const all = [...events.values()];
  const found: Instance[] = [];
  for (const event of all) {
    if (event.type === "seriesMaster") {
      const exceptions = all.filter((e) => e.type === "exception" && e.seriesMasterId === event.id);
      found.push(...seriesInstances(event, exceptions, from, to, viewIana));
    } else if (event.type === "singleInstance") {
      const at = spanOf(event, viewIana);
      if (at.start < to && (at.end > from || (at.start === at.end && at.start >= from))) found.push({ event, ...at });
    }
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end || a.event.subject.localeCompare(b.event.subject));
}
