import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { countInWindow, dayWindow, type QuotaCheck } from "./quota";

/**
 * @module One Durable Object per organization, named by its tenant id, that
 * counts its tool calls per UTC day for the operator's daily quota. Reached
 * only when that quota is set (quota.ts); it holds one counter and nothing
 * about who called or what. An alarm at the end of each counted day deletes
 * it, so the object keeps nothing once its day is over (nor after the
 * organization is deleted).
 */

const KEY = "tool-calls-day";

export class TenantQuotaCounter extends DurableObject<Env> {
  /** Counts one call today unless `limit` were already counted; the name must be the tenant's. */
  async countToolCall(tenantId: string, limit: number): Promise<QuotaCheck> {
    if (this.ctx.id.name !== tenantId) return { ok: false, resumeAt: Date.now() + 60_000 };
    const window = dayWindow(Date.now());
    const firstToday = this.ctx.storage.kv.get<{ start: number }>(KEY)?.start !== window.start;
    const check = countInWindow(this.ctx.storage.kv, KEY, window, limit);
    if (firstToday) await this.ctx.storage.setAlarm(window.end);
    return check;
  }

  /** The counted day is over: nothing is kept. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
