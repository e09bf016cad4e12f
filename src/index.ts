import { ConfigError, readConfig } from "./config";
import type { Env } from "./env";
import { gatewayApp } from "./http/gateway-app";
import { logError } from "./lib/log";
import { runMaintenance } from "./tenancy/maintenance";
import { tenantRegistry } from "./tenancy/registry";
import { sharedTenantCache } from "./tenancy/tenant-cache";

/** @module Worker entry: requests go to the gateway app (host → tenant → route), the cron to maintenance. */
export { UserGraphAgent } from "./agent/user-agent";

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
} satisfies ExportedHandler<Env>;
