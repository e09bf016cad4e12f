import { AUDIT_DEAD_LETTER_QUEUE_NAME, AUDIT_QUEUE_NAME, consumeAuditEvents } from "./audit/consumer";
import { ConfigError, readConfig } from "./config";
import type { Env } from "./env";
import { AUDIT_STREAM_DLQ_NAME, AUDIT_STREAM_QUEUE_NAME, consumeStreamBatch, consumeStreamDeadLetters, streamDeps } from "./audit/stream";
import { deliverDueNotices, noticeDeps, NOTICES_CRON } from "./audit/notices";
import { gatewayApp } from "./http/gateway-app";
import { logError, logEvent } from "./lib/log";
import { auditTrailOf } from "./tenancy/audit-retention";
import { runMaintenance } from "./tenancy/maintenance";
import { tenantRegistry } from "./tenancy/registry";
import { sharedTenantCache } from "./tenancy/tenant-cache";

/**
 * @module Worker entry: requests go to the gateway app (host → tenant → route),
 * queue batches to their consumer by queue name, each cron to its work: the
 * minute cron delivers alert notices, the 15-minute cron runs maintenance.
 */
export { UserGraphAgent } from "./agent/user-agent";
export { TenantAuditLog } from "./audit/tenant-log";
export { TenantQuotaCounter } from "./agent/quota-counter";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => gatewayApp.fetch(request, env, ctx),

  async queue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
    switch (batch.queue) {
      case AUDIT_QUEUE_NAME:
      case AUDIT_DEAD_LETTER_QUEUE_NAME:
        await consumeAuditEvents(batch, env);
        return;
      case AUDIT_STREAM_QUEUE_NAME:
      case AUDIT_STREAM_DLQ_NAME: {
        const deps = streamDeps(env, readConfig(env));
        await (batch.queue === AUDIT_STREAM_QUEUE_NAME ? consumeStreamBatch(batch, deps) : consumeStreamDeadLetters(batch, deps));
        return;
      }
      default:
        // A queue wired in wrangler.toml without its consumer here: keep its messages for the fix.
        logEvent("queue_without_consumer", { queue: batch.queue });
        batch.retryAll({ delaySeconds: 300 });
    }
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    let config;
    try {
      config = readConfig(env);
    } catch (error) {
      // As for requests: a bad setting is logged by name, and the run is skipped.
      if (!(error instanceof ConfigError)) throw error;
      logError("config_invalid", error);
      return;
    }
    if (controller.cron === NOTICES_CRON) {
      ctx.waitUntil(deliverDueNotices(noticeDeps(env, config)));
      return;
    }
    ctx.waitUntil(
      runMaintenance({
        config,
        registry: tenantRegistry(env.DB),
        kv: env.OAUTH_KV,
        agents: env.USER_AGENT,
        audit: auditTrailOf(env),
        db: env.DB,
        tenantCache: sharedTenantCache(config.TENANT_CACHE_TTL_SECONDS),
      }),
    );
  },
} satisfies ExportedHandler<Env>;
