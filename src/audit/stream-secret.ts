import type { Config } from "../config";
import { bytesToBase64Url, randomBytes } from "../lib/encoding";
import { openWithDataKey, sealWithDataKey, type SealedValue } from "../tenancy/secret-envelope";
import type { Tenant } from "../tenancy/tenant";

/**
 * @module The stream's signing secret: 32 random bytes (base64url), shown to
 * the org admin once, stored sealed with the tenant's data key and bound to
 * the tenant and the purpose `audit-stream` (so it opens on no other row and
 * as no other value).
 */

const PURPOSE = "audit-stream";

export function generateStreamSecret(): string {
  return bytesToBase64Url(randomBytes(32));
}

function keyring(config: Config) {
  return { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
}

export function sealStreamSecret(tenant: Tenant, secret: string, config: Config): Promise<SealedValue> {
  return sealWithDataKey(secret, tenant.envelope, { tenantId: tenant.id, purpose: PURPOSE }, keyring(config));
}

/** Opened for one delivery; never cached or logged. */
export function openStreamSecret(tenant: Tenant, sealed: SealedValue, config: Config): Promise<string> {
  return openWithDataKey(sealed, tenant.envelope, { tenantId: tenant.id, purpose: PURPOSE }, keyring(config));
}
