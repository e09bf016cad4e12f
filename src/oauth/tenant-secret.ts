import type { Config } from "../config";
import type { EntraApp, EntraCredential } from "../entra/token";
import type { CertificateRow } from "../tenancy/certificate-store";
import { openCertificateKey } from "../tenancy/certificates";
import { cloudEndpoints } from "../tenancy/clouds";
import type { Registry } from "../tenancy/registry";
import { EnvelopeError, openSecret } from "../tenancy/secret-envelope";
import type { Tenant } from "../tenancy/tenant";

/**
 * @module The tenant's Entra app as token requests need it: its client secret
 * opened with the configured KEKs, or its active certificate's private key
 * opened and imported non-extractable, for one outbound request; never
 * cached or logged.
 */

function keyring(config: Config) {
  return { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
}

/** Decrypts a tenant's Entra client secret for one outbound call. */
function openTenantSecret(tenant: Tenant, config: Config): Promise<string> {
  return openSecret(tenant.envelope, { tenantId: tenant.id, clientId: tenant.clientId }, keyring(config));
}

/** Signs with this certificate of the tenant's: its key opened for one request. */
export async function certificateCredential(tenant: Tenant, config: Config, certificate: CertificateRow): Promise<EntraCredential> {
  return { kind: "certificate", privateKey: await openCertificateKey(certificate, tenant, keyring(config)), x5tS256: certificate.x5tS256 };
}

/**
 * The credential the tenant chose, read fresh: the active certificate is
 * looked up on every token request, so a promotion in one isolate is used
 * by every other at once.
 */
async function tenantCredential(tenant: Tenant, config: Config, registry: Pick<Registry, "certificates">): Promise<EntraCredential> {
  if (tenant.credentialKind === "secret") return { kind: "secret", secret: await openTenantSecret(tenant, config) };
  const active = await registry.certificates.active(tenant.id);
  if (!active) throw new EnvelopeError("the tenant signs with a certificate but has no active certificate");
  return certificateCredential(tenant, config, active);
}

/** The tenant's Entra app on its own cloud, with the given credential. */
export function entraAppWith(tenant: Tenant, config: Config, credential: EntraCredential): EntraApp {
  return {
    loginBase: cloudEndpoints(config, tenant.cloud).loginBase,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    credential,
  };
}

/** The tenant's Entra app on its own cloud, with its credential (secret or active certificate) opened for one outbound token request. */
export async function tenantEntraApp(tenant: Tenant, config: Config, registry: Pick<Registry, "certificates">): Promise<EntraApp> {
  return entraAppWith(tenant, config, await tenantCredential(tenant, config, registry));
}
