import { z } from "zod";
import type { Config } from "../config";
import { checkClientCredentials, type CredentialCheck } from "../entra/token";
import { logEvent } from "../lib/log";
import type { CertificateRow } from "../tenancy/certificate-store";
import {
  CERTIFICATE_VALIDITY_MONTHS,
  certificateDerBytes,
  certificatePem,
  DEFAULT_CERTIFICATE_VALIDITY,
  generateCertificate,
  openCertificateKey,
  type CertificateValidity,
  type StoredCertificate,
} from "../tenancy/certificates";
import { cloudEndpoints, type Cloud } from "../tenancy/clouds";
import type { SecretEnvelope } from "../tenancy/secret-envelope";
import { ApiError } from "./errors";
import { PRODUCT_NAME } from "./pages/layout";

/**
 * @module What signup, the admin API and the console share about certificate
 * credentials: the validity an admin may choose, a new certificate for a
 * tenant, the app-only token request that proves one, and the certificate as
 * admins see it (public part only: id, status, thumbprint, validity, the PEM
 * and download links, never the key).
 */

export const CertificateValiditySchema = z.coerce
  .number({ error: `one of ${CERTIFICATE_VALIDITY_MONTHS.join(", ")} (months)` })
  .refine((months): months is CertificateValidity => (CERTIFICATE_VALIDITY_MONTHS as readonly number[]).includes(months), {
    error: `one of ${CERTIFICATE_VALIDITY_MONTHS.join(", ")} (months)`,
  })
  .default(DEFAULT_CERTIFICATE_VALIDITY);

function keyring(config: Config) {
  return { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
}

/** A new certificate for the tenant at `host`, its key sealed with the tenant's data key. */
export function newTenantCertificate(
  config: Config,
  tenant: { id: string; envelope: SecretEnvelope },
  host: string,
  months: CertificateValidity,
): Promise<StoredCertificate> {
  return generateCertificate({
    tenantId: tenant.id,
    envelope: tenant.envelope,
    keyring: keyring(config),
    host,
    product: PRODUCT_NAME,
    months,
  });
}

/** An app-only token request signed with this certificate: Entra's answer says whether the app accepts it. */
export async function checkCertificate(
  config: Config,
  tenant: { id: string; envelope: SecretEnvelope; entraTenantId: string; clientId: string; cloud: Cloud },
  certificate: Pick<StoredCertificate, "id" | "privateKeyCiphertext" | "privateKeyIv" | "x5tS256">,
): Promise<CredentialCheck> {
  const endpoints = cloudEndpoints(config, tenant.cloud);
  const privateKey = await openCertificateKey(certificate, tenant, keyring(config));
  const app = {
    loginBase: endpoints.loginBase,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    credential: { kind: "certificate" as const, privateKey, x5tS256: certificate.x5tS256 },
  };
  return checkClientCredentials(app, endpoints.graphResource);
}

/** Entra's code for a certificate that is not (or no longer) uploaded to the app. */
export const CERTIFICATE_NOT_UPLOADED = "AADSTS700027";

/** Where the admin uploads the certificate, in the words of the Entra admin center. */
export const UPLOAD_PATH = "App registrations → your app → Certificates & secrets → Certificates → Upload certificate";

/** A refused check as the ApiError an admin sees, with the fix for a certificate not uploaded yet. */
export function certificateRefusal(check: Exclude<CredentialCheck, { ok: true }>): ApiError {
  if (check.kind === "unreachable") {
    return new ApiError(502, "entra_unreachable", `Could not check the certificate with Entra ID (${check.reason}); try again shortly`);
  }
  const code = check.aadsts ? ` (${check.aadsts})` : "";
  const message =
    check.aadsts === CERTIFICATE_NOT_UPLOADED
      ? `Entra ID does not accept this certificate yet${code}: upload it to the app first (${UPLOAD_PATH}), or upload it again if it was removed`
      : `Entra ID refused the certificate${code}: ${check.reason}`;
  return new ApiError(422, "entra_certificate_rejected", message, { details: check.aadsts ? { aadsts: check.aadsts } : {} });
}

/**
 * The check at signup with a fresh certificate, which cannot be uploaded to
 * the app yet: success, or Entra's 700027 (the certificate is not on the
 * app), proves that the directory and the client ID exist and belong
 * together; any other refusal is the admin's to fix, as for a secret.
 */
export async function probeWithCertificate(
  config: Config,
  tenant: Parameters<typeof checkCertificate>[1],
  certificate: StoredCertificate,
): Promise<{ verified: boolean; accepted: boolean }> {
  if (!config.VERIFY_ENTRA_CREDENTIALS) return { verified: false, accepted: false };
  const check = await checkCertificate(config, tenant, certificate);
  if (check.ok) return { verified: true, accepted: true };
  if (check.kind === "rejected" && check.aadsts === CERTIFICATE_NOT_UPLOADED) return { verified: true, accepted: false };
  logEvent("entra_credentials_check_failed", {
    tenantId: tenant.id,
    kind: check.kind,
    aadsts: check.kind === "rejected" ? check.aadsts : undefined,
  });
  if (check.kind === "unreachable") {
    throw new ApiError(502, "entra_unreachable", `Could not verify the app with Entra ID (${check.reason}); try again shortly`);
  }
  const code = check.aadsts ? ` (${check.aadsts})` : "";
  throw new ApiError(422, "entra_credentials_rejected", `Entra ID rejected this app${code}: ${check.reason}`, {
    details: check.aadsts ? { aadsts: check.aadsts } : {},
  });
}

/** Where a certificate of the tenant at `tenantUrl` is downloaded (admin key required). */
export function certificateDownloads(tenantUrl: string, id: string) {
  const base = `${tenantUrl}/api/admin/credentials/certificates/${encodeURIComponent(id)}`;
  return { cer: `${base}/certificate.cer`, pem: `${base}/certificate.pem` };
}

/** A certificate as admins see it: never the key. */
export function certificateView(row: CertificateRow | (StoredCertificate & { status: "pending" | "active"; verifiedAt: Date | null })) {
  return {
    id: row.id,
    status: row.status,
    thumbprint: row.thumbprint,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
  };
}

/** The steps to put a certificate on the app, in the portal's words. */
export function uploadSteps(portalUrl: string, thumbprint: string): string[] {
  return [
    `Download the certificate (.cer or .pem)`,
    `In the Entra admin center (${portalUrl}), open ${UPLOAD_PATH}, choose the file and add it`,
    `Check that the app lists the thumbprint ${thumbprint}`,
  ];
}

/** The certificate's public part as signup and the admin API answer it. */
export function certificateAnswer(row: Parameters<typeof certificateView>[0], links: { tenantUrl: string; portalUrl: string }) {
  return {
    ...certificateView(row),
    pem: certificatePem(row.certificateDer),
    downloads: certificateDownloads(links.tenantUrl, row.id),
    uploadSteps: uploadSteps(links.portalUrl, row.thumbprint),
  };
}

/** A certificate as a download: `.pem` text or `.cer` DER bytes, named after the org and the thumbprint. */
export function certificateFile(row: Pick<CertificateRow, "thumbprint" | "certificateDer">, slug: string, file: string) {
  const name = `${slug}-${row.thumbprint.slice(0, 8).toLowerCase()}`;
  if (file === "certificate.pem") {
    return {
      body: certificatePem(row.certificateDer),
      headers: { "content-type": "application/x-pem-file", "content-disposition": `attachment; filename="${name}.pem"` },
    };
  }
  return {
    body: certificateDerBytes(row.certificateDer),
    headers: { "content-type": "application/pkix-cert", "content-disposition": `attachment; filename="${name}.cer"` },
  };
}
