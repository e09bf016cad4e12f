/**
 * @module
 * The seed date: the day all seeded content (mail, events, files, tasks,
 * contacts, Teams messages) is laid out around. Seeded history ends at the
 * seed date's UTC midnight; what happens during a run (sent mail, new events,
 * modification stamps, token lifetimes) keeps the real clock.
 */
export const DAY_MS = 86_400_000;

/** UTC midnight of the day `at` (epoch ms) falls on. */
export function utcMidnight(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
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
