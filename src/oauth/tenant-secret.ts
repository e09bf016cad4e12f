import type { Config } from "../config";
import type { EntraApp } from "../entra/token";
import { cloudEndpoints } from "../tenancy/clouds";
import { openSecret } from "../tenancy/secret-envelope";
import type { Tenant } from "../tenancy/tenant";

/** @module Opening a tenant's sealed Entra client secret with the configured KEKs, and the tenant's Entra app as token requests need it. */

/** Decrypts a tenant's Entra client secret for one outbound call; never cached or logged. */
function openTenantSecret(tenant: Tenant, config: Config): Promise<string> {
  return openSecret(
    tenant.envelope,
    { tenantId: tenant.id, clientId: tenant.clientId },
    { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID },
  );
}

/** The tenant's Entra app on its own cloud, with its secret opened for one outbound token request. */
export async function tenantEntraApp(tenant: Tenant, config: Config): Promise<EntraApp> {
  return {
    loginBase: cloudEndpoints(config, tenant.cloud).loginBase,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    clientSecret: await openTenantSecret(tenant, config),
  };
}
