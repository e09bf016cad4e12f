import type { Config } from "../config";
import { bytesToBase64Url, randomBytes } from "../lib/encoding";
import { openWithDataKey, sealWithDataKey, type SealedValue } from "../tenancy/secret-envelope";
import type { Tenant } from "../tenancy/tenant";

/**
 * @module The signing secrets of what the gateway sends to an organization's
 * own endpoints (the audit stream, the alert notices): 32 random bytes
 * (base64url), shown to the org admin once, stored sealed with the tenant's
 * data key and bound to the tenant and a purpose (`audit-stream`,
 * `alert-notices`), so one opens on no other row and as no other value.
 */

export type SigningPurpose = "audit-stream" | "alert-notices";

export function generateSigningSecret(): string {
  return bytesToBase64Url(randomBytes(32));
}

function keyring(config: Config) {
  return { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
}

export function sealSigningSecret(tenant: Tenant, purpose: SigningPurpose, secret: string, config: Config): Promise<SealedValue> {
  return sealWithDataKey(secret, tenant.envelope, { tenantId: tenant.id, purpose }, keyring(config));
}

/** Opened for one delivery; never cached or logged. */
export function openSigningSecret(tenant: Tenant, purpose: SigningPurpose, sealed: SealedValue, config: Config): Promise<string> {
  return openWithDataKey(sealed, tenant.envelope, { tenantId: tenant.id, purpose }, keyring(config));
}

export const generateStreamSecret = generateSigningSecret;

export function sealStreamSecret(tenant: Tenant, secret: string, config: Config): Promise<SealedValue> {
  return sealSigningSecret(tenant, "audit-stream", secret, config);
}

/** Opened for one delivery; never cached or logged. */
export function openStreamSecret(tenant: Tenant, sealed: SealedValue, config: Config): Promise<string> {
  return openSigningSecret(tenant, "audit-stream", sealed, config);
}
