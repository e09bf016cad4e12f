/**
 * @module When to retry a Graph call: 429 always (Graph's throttling), 503/504 only
 * for idempotent calls (a POST that timed out may have happened), within a
 * bounded number of attempts and total wait. Retry-After is waited in full,
 * never shortened: Microsoft asks clients to wait that long, and a retry
 * sent early is throttled again and counts against the user's quota. A wait
 * longer than the agent holds a call open is not waited at all: the call
 * fails at once and says when to retry.
 * Source: https://learn.microsoft.com/graph/throttling
 */

export const MAX_ATTEMPTS = 4;
export const MAX_TOTAL_WAIT_MS = 20_000;
export const MAX_SINGLE_WAIT_MS = 10_000;
const BASE_BACKOFF_MS = 500;

export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryInput {
  status: number;
  attempt: number;
  idempotent: boolean;
  retryAfter: string | null | undefined;
  waitedMs: number;
}

export function retryDelay({ status, attempt, idempotent, retryAfter, waitedMs }: RetryInput): number | undefined {
  const retryable = status === 429 || ((status === 503 || status === 504) && idempotent);
  if (!retryable || attempt + 1 >= MAX_ATTEMPTS) return undefined;
  const wait = retryAfterMs(retryAfter) ?? BASE_BACKOFF_MS * 2 ** attempt;
  return wait > MAX_SINGLE_WAIT_MS || waitedMs + wait > MAX_TOTAL_WAIT_MS ? undefined : wait;
}

export function isIdempotent(method: string): boolean {
  return method === "GET" || method === "PUT" || method === "DELETE";
}
