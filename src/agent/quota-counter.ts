import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { countInWindow, dayWindow, type QuotaCheck } from "./quota";

/**
 * @module One Durable Object per organization, named by its tenant id, that
 * counts its tool calls per UTC day for the operator's daily quota. Reached
 * only when that quota is set (quota.ts); it holds one counter and nothing
 * about who called or what.
 */
export class TenantQuotaCounter extends DurableObject<Env> {
  /** Counts one call today unless `limit` were already counted; the name must be the tenant's. */
  async countToolCall(tenantId: string, limit: number): Promise<QuotaCheck> {
    if (this.ctx.id.name !== tenantId) return { ok: false, resumeAt: Date.now() + 60_000 };
    return countInWindow(this.ctx.storage.kv, "tool-calls-day", dayWindow(Date.now()), limit);
  }

  /** Offboarding: forget the counter. */
  async forget(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
