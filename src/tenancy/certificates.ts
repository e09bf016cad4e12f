import { BasicConstraintsExtension, cryptoProvider, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } from "@peculiar/x509";
import { base64ToBytes, bytesToBase64, bytesToBase64Url, bytesToHex, randomBytes } from "../lib/encoding";
import { openWithDataKey, sealWithDataKey, type Keyring, type SecretEnvelope } from "./secret-envelope";

/**
 * @module The certificates an org's Entra app accepts from the gateway
 * (private_key_jwt): an RSA 2048 key pair made by WebCrypto, a self-signed
 * X.509 certificate made by `@peculiar/x509` (not hand-written ASN.1), and
 * the private key exported once as PKCS#8, sealed with the tenant's data key
 * and bound to the tenant and the certificate's id. The key is opened only to
 * sign one token request, imported non-extractable; it is never shown or
 * logged. The certificate itself is public: the org admin downloads it and
 * uploads it to the app.
 */

/** How long a certificate is valid, as the admin chooses it: months. */
export const CERTIFICATE_VALIDITY_MONTHS = [6, 12, 24] as const;
export type CertificateValidity = (typeof CERTIFICATE_VALIDITY_MONTHS)[number];
export const DEFAULT_CERTIFICATE_VALIDITY: CertificateValidity = 12;

/** What Microsoft accepts for client assertions, and what the assertion's `RS256` means. */
const SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** A certificate as stored: the public part in the clear, the private key sealed. */
export interface StoredCertificate {
  id: string;
  thumbprint: string;
  x5tS256: string;
  certificateDer: string;
  privateKeyCiphertext: string;
  privateKeyIv: string;
  notBefore: Date;
  notAfter: Date;
}

let providerSet = false;

/** `@peculiar/x509` signs and hashes with the runtime's WebCrypto (workerd's `crypto`), set once per isolate. */
function useRuntimeCrypto(): void {
  if (providerSet) return;
  cryptoProvider.set(crypto);
  providerSet = true;
}

/** The sealed key's purpose: bound to the certificate, so one certificate's key never opens as another's. */
function keyPurpose(certificateId: string): string {
  return `certificate-key:${certificateId}`;
}

function addMonths(date: Date, months: number): Date {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

/** A positive serial number of 16 random bytes (RFC 5280 allows up to 20). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytesToHex(bytes);
}

/**
 * A new key pair and self-signed certificate for the tenant's app. The
 * subject names the org's host and the product, so the admin recognises it
 * in the portal's certificate list.
 */
export async function generateCertificate(input: {
  tenantId: string;
  envelope: SecretEnvelope;
  keyring: Keyring;
  host: string;
  product: string;
  months: CertificateValidity;
  now?: Date;
}): Promise<StoredCertificate> {
  useRuntimeCrypto();
  const keys = await crypto.subtle.generateKey({ ...SIGNING, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, [
    "sign",
    "verify",
  ]);
  if (!("privateKey" in keys)) throw new Error("WebCrypto made no RSA key pair");
  const notBefore = input.now ?? new Date();
  const notAfter = addMonths(notBefore, input.months);
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [input.host] }, { O: [input.product] }],
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    keys,
    extensions: [new BasicConstraintsExtension(false, undefined, true), new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true)],
  });
  const id = crypto.randomUUID();
  const exported = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  if (!(exported instanceof ArrayBuffer)) throw new Error("WebCrypto exported no PKCS#8 key");
  const pkcs8 = new Uint8Array(exported);
  const sealed = await sealWithDataKey(
    bytesToBase64(pkcs8),
    input.envelope,
    { tenantId: input.tenantId, purpose: keyPurpose(id) },
    input.keyring,
  );
  pkcs8.fill(0);
  return {
    id,
    thumbprint: bytesToHex(new Uint8Array(await certificate.getThumbprint("SHA-1"))).toUpperCase(),
    x5tS256: bytesToBase64Url(new Uint8Array(await certificate.getThumbprint("SHA-256"))),
    certificateDer: bytesToBase64(new Uint8Array(certificate.rawData)),
    privateKeyCiphertext: sealed.ciphertext,
    privateKeyIv: sealed.iv,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

/** The private key opened and imported non-extractable for one signature; the PKCS#8 bytes are dropped at once. */
export async function openCertificateKey(
  certificate: Pick<StoredCertificate, "id" | "privateKeyCiphertext" | "privateKeyIv">,
  tenant: { id: string; envelope: SecretEnvelope },
  keyring: Keyring,
): Promise<CryptoKey> {
  const pkcs8 = await openWithDataKey(
    { ciphertext: certificate.privateKeyCiphertext, iv: certificate.privateKeyIv },
    tenant.envelope,
    { tenantId: tenant.id, purpose: keyPurpose(certificate.id) },
    keyring,
  );
  return crypto.subtle.importKey("pkcs8", base64ToBytes(pkcs8), SIGNING, false, ["sign"]);
}

/** The certificate as a `.pem` file: base64 DER in 64-character lines. */
export function certificatePem(certificateDer: string): string {
  const lines = certificateDer.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The certificate as a `.cer` file: the DER bytes. */
export function certificateDerBytes(certificateDer: string): Uint8Array<ArrayBuffer> {
  return base64ToBytes(certificateDer);
}
