import { X509Certificate } from "@peculiar/x509";
import { compactVerify, decodeProtectedHeader, importX509 } from "jose";
import type { EmulatedApp, EmulatedCertificate } from "../state";
import { AADSTS, type AadstsError } from "./errors";

/**
 * @module Client assertions (private_key_jwt) as Entra checks them: the
 * certificate named by `x5t`/`x5t#S256` must be uploaded to the app and
 * within its validity, the signature must verify, `iss` = `sub` = client ID,
 * `aud` = the tenant's v2.0 token endpoint, now within `nbf`..`exp`, and a
 * `jti` may be used once.
 */

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The signature algorithms Microsoft documents for assertions. */
const ALGORITHMS = new Set(["RS256", "PS256"]);
/** At most this many used `jti` values are remembered per app; expired ones are dropped first. */
const MAX_REMEMBERED_IDS = 10_000;

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads an uploaded certificate (PEM, or base64 DER like a `.cer` file) and
 * keeps only what verification needs; answers why when it is not an X.509
 * certificate with an RSA key.
 */
export async function parseCertificate(input: string): Promise<EmulatedCertificate | { error: string }> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(input.trim());
  } catch {
    return { error: "expected an X.509 certificate, PEM or base64 DER" };
  }
  if (certificate.publicKey.algorithm.name !== "RSASSA-PKCS1-v1_5" && certificate.publicKey.algorithm.name !== "RSA-PSS") {
    return { error: "expected a certificate with an RSA public key" };
  }
  const sha1 = await certificate.getThumbprint("SHA-1");
  const sha256 = await certificate.getThumbprint("SHA-256");
  return {
    thumbprint: hex(sha1).toUpperCase(),
    x5t: base64url(sha1),
    x5tS256: base64url(sha256),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
    pem: certificate.toString("pem"),
  };
}

/** The app's certificate the header names, preferring the SHA-256 thumbprint when both are sent. */
function namedCertificate(app: EmulatedApp, header: { x5t?: unknown; "x5t#S256"?: unknown }): EmulatedCertificate | undefined {
  const certificates = app.certificates ?? [];
  if (typeof header["x5t#S256"] === "string") return certificates.find((cert) => cert.x5tS256 === header["x5t#S256"]);
  if (typeof header.x5t === "string") return certificates.find((cert) => cert.x5t === header.x5t);
  return undefined;
}

function decodeHeader(assertion: string): ReturnType<typeof decodeProtectedHeader> | undefined {
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    return undefined;
  }
}

/** Verifies the signature with the certificate's key; answers the payload, or undefined when it does not verify. */
async function verifiedPayload(
  assertion: string,
  certificate: EmulatedCertificate,
  alg: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const key = await importX509(certificate.pem, alg);
    const { payload } = await compactVerify(assertion, key, { algorithms: [alg] });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/** `iss` = `sub`, then = client ID; `aud`; `nbf`/`exp`; `jti`. */
function checkClaims(claims: Record<string, unknown>, clientId: string, audience: string, nowSeconds: number): AadstsError | undefined {
  const { iss, sub } = claims;
  if (typeof iss !== "string" || typeof sub !== "string") return AADSTS.assertionMalformed("'iss' and 'sub' are required.");
  if (iss !== sub) return AADSTS.assertionSubjectMismatch();
  if (iss.toLowerCase() !== clientId.toLowerCase()) return AADSTS.assertionAppMismatch();
  // One audience, the token endpoint itself; an array or any other URL is refused (stricter than RFC 7523's "contains").
  if (typeof claims.aud !== "string" || claims.aud.toLowerCase() !== audience.toLowerCase()) return AADSTS.assertionAudience(audience);
  const { nbf, exp } = claims;
  if (typeof nbf !== "number" || typeof exp !== "number") return AADSTS.assertionTimeRange("Both 'nbf' and 'exp' are required.");
  if (nowSeconds < nbf) return AADSTS.assertionTimeRange("The assertion is not yet valid ('nbf').");
  if (nowSeconds >= exp) return AADSTS.assertionTimeRange("The assertion has expired ('exp').");
  if (typeof claims.jti !== "string" || claims.jti.length === 0) return AADSTS.assertionMalformed("the 'jti' claim is required.");
  return undefined;
}

/** Remembers a used `jti` until its `exp`; answers false when it was already used. Memory stays bounded. */
function rememberAssertionId(app: EmulatedApp, jti: string, expiresAt: number, now: number): boolean {
  const used = (app.usedAssertionIds ??= new Map());
  const seenUntil = used.get(jti);
  if (seenUntil !== undefined && seenUntil > now) return false;
  if (used.size >= MAX_REMEMBERED_IDS) {
    for (const [id, until] of used) if (until <= now) used.delete(id);
  }
  // Still full: the oldest go first (Map keeps insertion order).
  for (const id of used.keys()) {
    if (used.size < MAX_REMEMBERED_IDS) break;
    used.delete(id);
  }
  used.set(jti, expiresAt);
  return true;
}

/**
 * Checks a client assertion for `app` at the token endpoint `audience`;
 * answers the Entra error for the first check that fails, or undefined when
 * the client is authenticated (and its `jti` is then used up).
 */
export async function verifyClientAssertion(
  app: EmulatedApp,
  assertion: string,
  audience: string,
  now = Date.now(),
): Promise<AadstsError | undefined> {
  const header = decodeHeader(assertion);
  if (!header) return AADSTS.assertionMalformed("the client_assertion is not a signed JWT.");
  if (typeof header.alg !== "string" || !ALGORITHMS.has(header.alg)) return AADSTS.assertionMalformed("'alg' must be RS256 or PS256.");
  if (header.typ !== undefined && header.typ !== "JWT") return AADSTS.assertionMalformed("'typ' must be JWT.");
  const certificate = namedCertificate(app, header);
  if (!certificate)
    return AADSTS.assertionSignature("The key was not found: no certificate with this 'x5t#S256' or 'x5t' is uploaded to the app.");
  if (now >= certificate.notAfter) return AADSTS.assertionSignature("The key used is expired.");
  if (now < certificate.notBefore) return AADSTS.assertionSignature("The key used is not yet valid.");
  const claims = await verifiedPayload(assertion, certificate, header.alg);
  if (!claims) return AADSTS.assertionSignature("The signature does not verify with the certificate's key.");
  const failure = checkClaims(claims, app.clientId, audience, Math.floor(now / 1000));
  if (failure) return failure;
  if (!rememberAssertionId(app, String(claims.jti), Number(claims.exp) * 1000, now)) return AADSTS.assertionReplayed();
  return undefined;
}
