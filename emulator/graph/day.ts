/**
 * @module
 * The seed date: the day seeded content is laid out around. What is
 * scheduled (events and their series, task due dates) sits around the seed
 * date; what has happened (received and sent mail, Teams posts, created and
 * modified stamps, responses) ends at the seed date's UTC midnight, or today's
 * if that is earlier, since Graph never reports history after the present.
 * What happens during a run (sent mail, new events, modification stamps,
 * token lifetimes) keeps the real clock.
 */
import { DAY_MS } from "./timezones";

/** UTC midnight of the day `at` (epoch ms) falls on. */
export function utcMidnight(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** Where seeded history ends: the seed day, or today's UTC midnight if that is earlier. */
export function historyEnd(seedDay: number, now = Date.now()): number {
  return Math.min(seedDay, utcMidnight(now));
}

/** `YYYY-MM-DD` → its UTC midnight (epoch ms); undefined unless it is a real calendar date. */
export function parseSeedDate(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value ? undefined : at;
}

/** UTC midnight (epoch ms) → `YYYY-MM-DD`. */
export function formatSeedDate(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}
