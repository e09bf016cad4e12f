import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, MAX_SINGLE_WAIT_MS, MAX_TOTAL_WAIT_MS, retryAfterMs, retryDelay } from "../src/graph/retry";
import { connectedUser, injectGraphFault, pendingGraphFaults } from "./helpers/mcp";

/**
 * Retry-After as Microsoft asks: waited in full when short, never cut
 * short; when longer than the agent holds a call open, not retried at all:
 * the tool answers at once with the time to retry.
 */
const input = (retryAfter: string | null, extra: Partial<Parameters<typeof retryDelay>[0]> = {}) => ({
  status: 429,
  attempt: 0,
  idempotent: true,
  retryAfter,
  waitedMs: 0,
  ...extra,
});

/** "retry after HH:MM:SS UTC" in a tool message, as seconds from now (wrapping at midnight). */
function secondsUntil(text: string): number {
  const match = /retry after (\d\d):(\d\d):(\d\d) UTC/.exec(text);
  if (!match) throw new Error(`no retry time in: ${text}`);
  const at = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  const now = new Date();
  const nowSeconds = now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds();
  return (at - nowSeconds + 86_400) % 86_400;
}

describe("retry delay", () => {
  it("waits exactly the Retry-After asked for, up to the longest single wait", () => {
    expect(retryDelay(input("2"))).toBe(2000);
    expect(retryDelay(input("0"))).toBe(0);
    expect(retryDelay(input(String(MAX_SINGLE_WAIT_MS / 1000)))).toBe(MAX_SINGLE_WAIT_MS);
  });

  it("does not retry at all when Retry-After is longer than the agent waits, rather than retrying early", () => {
    expect(retryDelay(input(String(MAX_SINGLE_WAIT_MS / 1000 + 1)))).toBeUndefined();
    expect(retryDelay(input("120"))).toBeUndefined();
    expect(retryDelay(input("120", { status: 503 }))).toBeUndefined();
    // Within the single limit but past the total one: also not waited.
    expect(retryDelay(input("8", { attempt: 2, waitedMs: MAX_TOTAL_WAIT_MS - 5000 }))).toBeUndefined();
  });

  it("reads Retry-After as seconds or as an HTTP date, and backs off when there is none", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryDelay(input(null, { attempt: 1 }))).toBe(1000);
    expect(retryDelay(input("1", { attempt: MAX_ATTEMPTS - 1 }))).toBeUndefined();
  });
});

describe("Retry-After through a tool call", () => {
  it("waits a 429's Retry-After of 2 s in full, then succeeds", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 1, retryAfterSeconds: 2, pathContains: "/me/drive" });
    const started = Date.now();
    const result = await user.callTool("list_files");
    expect(result.isError, result.text).toBe(false);
    expect(result.text).toContain("Welcome.txt");
    // A lower bound only: the wait may be longer on a busy machine, never shorter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(await pendingGraphFaults(user)).toEqual([]);
  });

  it("does not retry a 429 asking for 120 s, and says when to retry", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 120, pathContains: "/me/drive" });
    const result = await user.callTool("list_files");
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/answered 429 TooManyRequests: .* Microsoft Graph asked to wait 120 s; retry after \d\d:\d\d:\d\d UTC\./);
    expect(secondsUntil(result.text)).toBeGreaterThan(60);
    expect(secondsUntil(result.text)).toBeLessThanOrEqual(121);
    // Served once, not retried: the second fault is still queued.
    expect(await pendingGraphFaults(user)).toMatchObject([{ status: 429, remaining: 1 }]);
  });

  it("treats a 503 on a read the same way: 2 s waited, 120 s returned at once", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 503, count: 1, retryAfterSeconds: 2, pathContains: "/me/drive" });
    const started = Date.now();
    expect((await user.callTool("list_files")).isError).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    await injectGraphFault(user, { status: 503, count: 2, retryAfterSeconds: 120, pathContains: "/me/drive" });
    const result = await user.callTool("list_files");
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /answered 503 ServiceUnavailable: .* Microsoft Graph asked to wait 120 s; retry after \d\d:\d\d:\d\d UTC\./,
    );
    expect(await pendingGraphFaults(user)).toMatchObject([{ status: 503, remaining: 1 }]);
  });
});
