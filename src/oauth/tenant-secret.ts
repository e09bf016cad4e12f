import type { Config } from "../config";
import { openSecret } from "../tenancy/secret-envelope";
import type { Tenant } from "../tenancy/tenant";

/** @module Opening a tenant's sealed Entra client secret with the configured KEKs. */

/** Decrypts a tenant's Entra client secret for one outbound call; never cached or logged. */
export function openTenantSecret(tenant: Tenant, config: Config): Promise<string> {
  return openSecret(
    tenant.envelope,
    { tenantId: tenant.id, clientId: tenant.clientId },
    { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID },
  );
}
