import { ConfigError, readConfig } from "./config";
import type { Env } from "./env";
import { apexApp } from "./http/apex-app";
import { tenantApp } from "./http/tenant-app";
import { attachContext } from "./http/request-context";
import { logError } from "./lib/log";
import { resolveHost } from "./tenancy/host";
import { tenantRegistry } from "./tenancy/registry";
import { runMaintenance } from "./tenancy/maintenance";
import { sharedTenantCache } from "./tenancy/tenant-cache";

/** Worker entry: host → tenant → route. */
export { UserGraphAgent } from "./agent/user-agent";

function jsonError(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let config;
    try {
      config = readConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      logError("config_invalid", error);
      return jsonError(500, "gateway_misconfigured", "The gateway is misconfigured; the operator has been told");
    }
    const registry = tenantRegistry(env.DB);
    const tenantCache = sharedTenantCache(config.TENANT_CACHE_TTL_SECONDS);
    const shared = { config, registry, tenantCache, workerCtx: ctx };
    const url = new URL(request.url);
    if (url.hostname.endsWith(".")) {
      // One spelling per host: links, redirect URIs and token audiences are built from it.
      url.hostname = url.hostname.replace(/\.+$/, "");
      return Response.redirect(url.toString(), 308);
    }
    const { hostname } = url;
    const target = resolveHost(hostname, config.BASE_DOMAIN);

    switch (target.kind) {
      case "apex":
        return apexApp.fetch(attachContext(request, shared), env, ctx);
      case "tenant": {
        let tenant;
        try {
          tenant = await tenantCache.get(target.slug, (slug) => registry.findBySlug(slug));
        } catch (error) {
          logError("tenant_lookup_failed", error);
          return jsonError(503, "temporarily_unavailable", "The organization directory is unavailable; try again shortly");
        }
        if (!tenant) {
          return jsonError(404, "tenant_not_found", `No organization is registered at ${hostname.toLowerCase()}`);
        }
        return tenantApp.fetch(attachContext(request, { ...shared, tenant }), env, ctx);
      }
      case "invalid-slug":
        return jsonError(404, "tenant_not_found", `"${target.label}" is not a valid organization address`);
      case "foreign":
        return jsonError(404, "unknown_host", `This gateway serves ${config.BASE_DOMAIN} and its subdomains only`);
    }
  },

  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const config = readConfig(env);
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
