import { expect } from "vitest";

/**
 * Sends requests until the limiter answers 429, and checks that it came after
 * one whole budget and that every request before it got `expected`.
 *
 * Workers Rate Limiting counts in fixed windows (60 s here): a run that
 * straddles a window's end starts a new count, so the first 429 comes after
 * at least one budget and within two. Asserting "exactly the (budget+1)th"
 * would fail whenever a slow run crossed a minute boundary.
 */
export async function expectLimitedAfterBudget(budget: number, expected: number, send: () => Promise<Response>): Promise<Response> {
  const before: number[] = [];
  for (let attempt = 0; attempt <= 2 * budget; attempt += 1) {
    const response = await send();
    if (response.status === 429) {
      expect(before.length).toBeGreaterThanOrEqual(budget);
      expect(before.every((status) => status === expected)).toBe(true);
      return response;
    }
    before.push(response.status);
    await response.body?.cancel();
  }
  throw new Error(`no 429 after ${before.length} requests with a budget of ${budget} (statuses: ${before.join(", ")})`);
}
