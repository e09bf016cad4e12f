import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sql } from "drizzle-orm";
import { usageDaily, usageDailyUsers } from "./schema";

/**
 * @module Writes and retention of the per-day usage roll-ups (`usage_daily`,
 * `usage_daily_users`). Their only writer is the tenant's audit log, which
 * sends ABSOLUTE totals of a day: an upsert sets the counts rather than adding
 * to them, so writing the same totals again (a flush repeated after a crash)
 * changes nothing. Every statement is scoped by tenant id.
 */

export interface ToolDayTotals {
  day: string;
  tool: string;
  calls: number;
  errors: number;
  throttled: number;
  latencyMsTotal: number;
}

export interface UserDayTotals {
  day: string;
  userId: string;
  calls: number;
  errors: number;
}

/** D1 allows 100 bound parameters per statement: rows per insert for each table. */
const TOOL_ROWS_PER_STATEMENT = 14;
const USER_ROWS_PER_STATEMENT = 20;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Sets the tenant's totals for these days, tools and users, in one transaction. */
export async function writeUsageTotals(
  d1: D1Database,
  tenantId: string,
  tools: readonly ToolDayTotals[],
  users: readonly UserDayTotals[],
): Promise<void> {
  const db = drizzle(d1);
  const statements = [
    ...chunks(tools, TOOL_ROWS_PER_STATEMENT).map((rows) =>
      db
        .insert(usageDaily)
        .values(rows.map((row) => ({ tenantId, ...row })))
        .onConflictDoUpdate({
          target: [usageDaily.tenantId, usageDaily.day, usageDaily.tool],
          set: {
            calls: sql`excluded.calls`,
            errors: sql`excluded.errors`,
            throttled: sql`excluded.throttled`,
            latencyMsTotal: sql`excluded.latency_ms_total`,
          },
        }),
    ),
    ...chunks(users, USER_ROWS_PER_STATEMENT).map((rows) =>
      db
        .insert(usageDailyUsers)
        .values(rows.map((row) => ({ tenantId, ...row })))
        .onConflictDoUpdate({
          target: [usageDailyUsers.tenantId, usageDailyUsers.day, usageDailyUsers.userId],
          set: { calls: sql`excluded.calls`, errors: sql`excluded.errors` },
        }),
    ),
  ];
  const [first, ...rest] = statements;
  if (!first) return;
  await db.batch([first, ...rest]);
}

/** Removes the tenant's usage rows of days before `day` (`YYYY-MM-DD`): its retention. */
export async function deleteUsageBefore(d1: D1Database, tenantId: string, day: string): Promise<void> {
  const db = drizzle(d1);
  await db.batch([
    db.delete(usageDaily).where(and(eq(usageDaily.tenantId, tenantId), lt(usageDaily.day, day))),
    db.delete(usageDailyUsers).where(and(eq(usageDailyUsers.tenantId, tenantId), lt(usageDailyUsers.day, day))),
  ]);
}
