import { inject } from "vitest";

/**
 * The emulator's seed date (`YYYY-MM-DD`, UTC), which all its seeded content
 * is laid out around; `EMULATOR_SEED_DATE` moves it. Windows over seeded
 * content derive from it, never from a calendar date or from today.
 */
export const SEED_DATE: string = inject("seedDate");

const DAY_MS = 86_400_000;

/** UTC midnight of the seed date, epoch ms. */
export const SEED_DAY_MS = Date.parse(`${SEED_DATE}T00:00:00Z`);

/** The date `offsetDays` from the seed date, `YYYY-MM-DD`. */
export function seedDay(offsetDays = 0): string {
  return new Date(SEED_DAY_MS + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

/** A wall-clock time `offsetDays` from the seed date, `YYYY-MM-DDTHH:MM:SS` (no offset: Graph's dateTimeTimeZone form). */
export function seedTime(offsetDays: number, time = "00:00"): string {
  return `${seedDay(offsetDays)}T${time.length === 5 ? `${time}:00` : time}`;
}

/** The same instant in UTC, with a `Z`. */
export function seedInstant(offsetDays: number, time = "00:00"): string {
  return `${seedTime(offsetDays, time)}Z`;
}
