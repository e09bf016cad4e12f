import type { Registry } from "../tenancy/registry";

/**
 * @module The org's usage over a range of UTC days, from the per-day roll-ups
 * in D1 that the audit trail's writer keeps (never from the trail itself):
 * calls, errors and Graph throttling per day and per tool, active users per
 * day, the most active users, and one user's calls per day when asked. The admin API and the
 * console's Usage page show the same report.
 */

export const TOP_USERS = 25;

export interface ToolUsage {
  tool: string;
  calls: number;
  errors: number;
  throttled: number;
  /** Mean latency of the tool's calls, whole milliseconds; null without calls. */
  averageLatencyMs: number | null;
}

export interface DayUsage {
  day: string;
  calls: number;
  errors: number;
  throttled: number;
  activeUsers: number;
  tools: ToolUsage[];
}

export interface UsageReport {
  from: string;
  to: string;
  totals: { calls: number; errors: number; throttled: number };
  days: DayUsage[];
  /** Per tool over the whole range, most called first. */
  tools: ToolUsage[];
  /** The users with the most calls over the range (at most `TOP_USERS`), most first. */
  users: { userId: string; upn: string | null; calls: number; errors: number }[];
  user: { userId: string; calls: number; errors: number; days: { day: string; calls: number; errors: number }[] } | null;
}

interface ToolRow {
  tool: string;
  calls: number;
  errors: number;
  throttled: number;
  latencyMsTotal: number;
}

function toolUsage(rows: readonly ToolRow[]): ToolUsage[] {
  const byTool = new Map<string, ToolRow>();
  for (const row of rows) {
    const seen = byTool.get(row.tool) ?? { tool: row.tool, calls: 0, errors: 0, throttled: 0, latencyMsTotal: 0 };
    byTool.set(row.tool, {
      tool: row.tool,
      calls: seen.calls + row.calls,
      errors: seen.errors + row.errors,
      throttled: seen.throttled + row.throttled,
      latencyMsTotal: seen.latencyMsTotal + row.latencyMsTotal,
    });
  }
  return [...byTool.values()]
    .map(({ latencyMsTotal, ...row }) => ({ ...row, averageLatencyMs: row.calls > 0 ? Math.round(latencyMsTotal / row.calls) : null }))
    .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}

const total = (rows: readonly { calls: number; errors: number; throttled?: number }[]) => ({
  calls: rows.reduce((n, row) => n + row.calls, 0),
  errors: rows.reduce((n, row) => n + row.errors, 0),
  throttled: rows.reduce((n, row) => n + (row.throttled ?? 0), 0),
});

/** The usage report of one org over `from`..`to` (inclusive `YYYY-MM-DD`), days with any usage only, oldest first. */
export async function usageReport(registry: Registry, tenantId: string, from: string, to: string, userId?: string): Promise<UsageReport> {
  const [rows, active, users, userDays] = await Promise.all([
    registry.usageByDay(tenantId, from, to),
    registry.activeUsersByDay(tenantId, from, to),
    registry.usersByCalls(tenantId, from, to, TOP_USERS),
    userId ? registry.userUsageByDay(tenantId, userId, from, to) : Promise.resolve(undefined),
  ]);
  const activeByDay = new Map(active.map((row) => [row.day, row.users]));
  const dayNames = [...new Set([...rows.map((row) => row.day), ...activeByDay.keys()])].sort();
  const days = dayNames.map((day) => {
    const ofDay = rows.filter((row) => row.day === day);
    const { calls, errors, throttled } = total(ofDay);
    return { day, calls, errors, throttled, activeUsers: activeByDay.get(day) ?? 0, tools: toolUsage(ofDay) };
  });
  const { calls, errors, throttled } = total(rows);
  return {
    from,
    to,
    totals: { calls, errors, throttled },
    days,
    tools: toolUsage(rows),
    users,
    user: userId && userDays ? { userId, ...pick(total(userDays)), days: userDays } : null,
  };
}

const pick = (sums: { calls: number; errors: number }) => ({ calls: sums.calls, errors: sums.errors });
