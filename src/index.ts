import { ConfigError, readConfig } from "./config";
import type { Env } from "./env";
import { AUDIT_STREAM_DLQ_NAME, AUDIT_STREAM_QUEUE_NAME, consumeStreamBatch, consumeStreamDeadLetters, streamDeps } from "./audit/stream";
import { gatewayApp } from "./http/gateway-app";
import { logError } from "./lib/log";
import { runMaintenance } from "./tenancy/maintenance";
import { tenantRegistry } from "./tenancy/registry";
import { sharedTenantCache } from "./tenancy/tenant-cache";

/** @module Worker entry: requests go to the gateway app (host → tenant → route), the cron to maintenance, queue batches to their consumers. */
export { UserGraphAgent } from "./agent/user-agent";
export { TenantQuotaCounter } from "./agent/quota-counter";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => gatewayApp.fetch(request, env, ctx),

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    let config;
    try {
      config = readConfig(env);
    } catch (error) {
      // As for requests: a bad setting is logged by name, and the run is skipped.
      if (!(error instanceof ConfigError)) throw error;
      logError("config_invalid", error);
      return;
    }
    ctx.waitUntil(
      runMaintenance({
        config,
        registry: tenantRegistry(env.DB),
        kv: env.OAUTH_KV,
        agents: env.USER_AGENT,
        tenantCache: sharedTenantCache(config.TENANT_CACHE_TTL_SECONDS),
      }),
    );
  },

  /** Each queue's consumer, by queue name. */
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    switch (batch.queue) {
      case AUDIT_STREAM_QUEUE_NAME:
      case AUDIT_STREAM_DLQ_NAME: {
        const deps = streamDeps(env, readConfig(env));
        return batch.queue === AUDIT_STREAM_QUEUE_NAME ? consumeStreamBatch(batch, deps) : consumeStreamDeadLetters(batch, deps);
      }
      default:
        logError("queue_unknown", new Error(`no consumer for queue ${batch.queue}`));
        batch.retryAll();
    }
  },
} satisfies ExportedHandler<Env>;
