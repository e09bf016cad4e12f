import { inject } from "vitest";

/**
 * Dates for tests, none of them written on a calendar. Windows over seeded
 * content derive from the emulator's seed date (`YYYY-MM-DD`, UTC; moved with
 * `EMULATOR_SEED_DATE`); events a test writes itself go on `writeDay`s.
 */
export const SEED_DATE: string = inject("seedDate");

const DAY_MS = 86_400_000;

/** UTC midnight of the seed date, epoch ms. */
export const SEED_DAY_MS = Date.parse(`${SEED_DATE}T00:00:00Z`);

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date `offsetDays` from the seed date, `YYYY-MM-DD`. */
export function seedDay(offsetDays = 0): string {
  return addDays(SEED_DATE, offsetDays);
}

/** A wall-clock time `offsetDays` from the seed date, `YYYY-MM-DDTHH:MM:SS` (no offset). */
export function seedTime(offsetDays: number, time = "00:00"): string {
  return `${seedDay(offsetDays)}T${time.length === 5 ? `${time}:00` : time}`;
}

/** The same instant in UTC, with a `Z`. */
export function seedInstant(offsetDays: number, time = "00:00"): string {
  return `${seedTime(offsetDays, time)}Z`;
}

function secondMondayOfJanuary(year: number): number {
  const weekday = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  return Date.UTC(year, 0, 1 + ((8 - weekday) % 7) + 7);
}

/**
 * Where tests put the events they create: the second Monday of January two
 * years after the seed date (or today, if later). Always ahead of the real
 * clock, after every seeded event but the open-ended daily stand-up, and in
 * winter time on both sides of the Atlantic (Berlin +01:00, New York -05:00).
 */
const WRITE_BASE = secondMondayOfJanuary(new Date(Math.max(SEED_DAY_MS, Date.now())).getUTCFullYear() + 2);

/** `offset` days from the write base: 0 is a Monday, 1 a Tuesday, … 7 the next Monday. */
export function writeDay(offset = 0): string {
  return new Date(WRITE_BASE + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The last Sunday of October in the write base's year, when Europe leaves summer time (the US follows a week later). */
export function europeFallBack(): string {
  const year = new Date(WRITE_BASE).getUTCFullYear();
  const october31 = Date.UTC(year, 9, 31);
  return new Date(october31 - new Date(october31).getUTCDay() * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM` on the wall clocks of `zone` at `instant`. */
export function wallTime(zone: string, instant: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** A RegExp from a template whose literal parts are written as in a regex literal: pattern`^Created: Wed ${day} 10:00 \+01:00`. */
export function pattern(strings: TemplateStringsArray, ...days: string[]): RegExp {
  return new RegExp(String.raw({ raw: strings.raw }, ...days));
}

/** The date `days` from today (UTC), for what is judged against the real clock, such as a secret's expiry. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date `offsetDays` from where seeded history (mail, posts) ends: the seed date, or today if that is earlier. */
export function historyDay(offsetDays: number): string {
  return addDays(new Date(Math.min(SEED_DAY_MS, Date.now())).toISOString().slice(0, 10), offsetDays);
}
