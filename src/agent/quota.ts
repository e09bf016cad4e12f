import type { Env } from "../env";
import { logError } from "../lib/log";
import type { Tenant } from "../tenancy/tenant";
import { agentName } from "../tenancy/agent-name";

/**
 * @module The operator's quotas on tool calls, enforced before a tool runs:
 * - per user per minute: a fixed window (the clock's minute, UTC) counted in
 *   the user's own Durable Object, which every Graph call reaches anyway;
 * - per organization per UTC day: counted in the organization's
 *   `TenantQuotaCounter` (quota-counter.ts), named by tenant id.
 * Each counter is consulted only when its quota is set: with no quota, a
 * tool call makes no extra call at all (`toolCallQuota` answers undefined).
 * A refused call is not counted; an over-limit answer is a tool error naming
 * the limit and when calls resume (ISO time and seconds). A counter that
 * cannot be reached refuses the call (fails closed) with a try-again error.
 */

export type QuotaCheck = { ok: true } | { ok: false; resumeAt: number };

/** What the tool wrapper calls before each tool: the refusal text, or undefined to go ahead. */
export type ToolCallQuota = () => Promise<string | undefined>;

interface SyncKv {
  get<T>(key: string): T | undefined;
  put<T>(key: string, value: T): void;
}

interface Window {
  start: number;
  count: number;
}

/**
 * Counts one call in the window `[start, end)` stored at `key`, unless
 * `limit` calls were already counted there. Synchronous storage inside one
 * Durable Object: no two calls interleave.
 */
export function countInWindow(storage: SyncKv, key: string, window: { start: number; end: number }, limit: number): QuotaCheck {
  const stored = storage.get<Window>(key);
  const count = stored?.start === window.start ? stored.count : 0;
  if (count >= limit) return { ok: false, resumeAt: window.end };
  storage.put<Window>(key, { start: window.start, count: count + 1 });
  return { ok: true };
}

/** The UTC minute holding `now` (epoch ms). */
export function minuteWindow(now: number) {
  const start = now - (now % 60_000);
  return { start, end: start + 60_000 };
}

/** The UTC day holding `now` (epoch ms). */
export function dayWindow(now: number) {
  const start = now - (now % 86_400_000);
  return { start, end: start + 86_400_000 };
}

export function quotaRefusal(limit: string, resumeAt: number, now: number): string {
  const seconds = Math.max(1, Math.ceil((resumeAt - now) / 1000));
  return `Quota reached: this organization allows ${limit}. Calls resume at ${new Date(resumeAt).toISOString()} (in ${seconds} s).`;
}

/** The quota check for one user's tool calls, or undefined when the organization has no quota. */
export function toolCallQuota(tenant: Tenant, user: { tid: string; oid: string }, env: Env): ToolCallQuota | undefined {
  const { userPerMinute, tenantPerDay } = tenant.quotas;
  if (userPerMinute === null && tenantPerDay === null) return undefined;
  const check = async (): Promise<string | undefined> => {
    if (userPerMinute !== null) {
      const agent = env.USER_AGENT.getByName(agentName(tenant.id, `${user.tid}.${user.oid}`));
      const counted = await agent.countToolCall({ tenantId: tenant.id, tid: user.tid, oid: user.oid }, userPerMinute);
      if (!counted.ok) return quotaRefusal(`${userPerMinute} tool calls per user per minute`, counted.resumeAt, Date.now());
    }
    if (tenantPerDay !== null) {
      const counted = await env.TENANT_QUOTA.getByName(tenant.id).countToolCall(tenant.id, tenantPerDay);
      if (!counted.ok) return quotaRefusal(`${tenantPerDay} tool calls per day (UTC)`, counted.resumeAt, Date.now());
    }
    return undefined;
  };
  return async () => {
    try {
      return await check();
    } catch (error) {
      // A counter that cannot be reached refuses rather than lets calls past the operator's limit.
      logError("quota_check_failed", error, { tenantId: tenant.id });
      return "The gateway could not check this organization's quota just now; try again in a moment.";
    }
  };
}
