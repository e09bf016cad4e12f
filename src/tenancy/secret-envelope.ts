import { base64ToBytes, bytesToBase64, randomBytes, utf8 } from "../lib/encoding";

/**
 * @module Envelope encryption of a tenant's Entra client secret.
 *
 * The secret is sealed with a random per-tenant data key (AES-GCM-256); the
 * data key is sealed with a key-encryption key (KEK) held only in Worker
 * secrets. Both layers carry associated data naming the tenant (and, for the
 * secret, the client ID), so a ciphertext copied onto another tenant's row
 * fails authentication instead of decrypting. WebCrypto's AES-GCM is used
 * directly: no maintained library adds anything over it for this shape, and
 * the code below only composes two standard calls.
 */

export interface SecretEnvelope {
  ciphertext: string;
  iv: string;
  wrappedDataKey: string;
  dataKeyIv: string;
  kekId: string;
}

export interface EnvelopeBinding {
  tenantId: string;
  clientId: string;
}

export interface Keyring {
  keks: ReadonlyMap<string, Uint8Array>;
  activeKekId: string;
}

export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

const FORMAT = "m365-mcp-gateway/v1";
const IV_BYTES = 12;

function secretAad({ tenantId, clientId }: EnvelopeBinding): Uint8Array<ArrayBuffer> {
  return utf8(`${FORMAT}|secret|tenant=${tenantId}|client=${clientId}`);
}

function dataKeyAad(tenantId: string, kekId: string): Uint8Array<ArrayBuffer> {
  return utf8(`${FORMAT}|data-key|tenant=${tenantId}|kek=${kekId}`);
}

async function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new Uint8Array(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array<ArrayBuffer>) {
  const iv = randomBytes(IV_BYTES);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, await aesKey(key), new Uint8Array(plaintext));
  return { ciphertext: bytesToBase64(new Uint8Array(sealed)), iv: bytesToBase64(iv) };
}

async function open(key: Uint8Array, ciphertext: string, iv: string, aad: Uint8Array<ArrayBuffer>) {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: base64ToBytes(iv), additionalData: aad },
      await aesKey(key),
      base64ToBytes(ciphertext),
    );
    return new Uint8Array(plain);
  } catch {
    throw new EnvelopeError("sealed value failed authentication");
  }
}

function kekFor(keyring: Keyring, kekId: string): Uint8Array {
  const kek = keyring.keks.get(kekId);
  if (!kek) throw new EnvelopeError(`key-encryption key ${kekId} is not configured`);
  return kek;
}

async function wrapDataKey(dataKey: Uint8Array, tenantId: string, keyring: Keyring) {
  const kekId = keyring.activeKekId;
  const wrapped = await seal(kekFor(keyring, kekId), dataKey, dataKeyAad(tenantId, kekId));
  return { wrappedDataKey: wrapped.ciphertext, dataKeyIv: wrapped.iv, kekId };
}

async function unwrapDataKey(envelope: SecretEnvelope, tenantId: string, keyring: Keyring) {
  return open(kekFor(keyring, envelope.kekId), envelope.wrappedDataKey, envelope.dataKeyIv, dataKeyAad(tenantId, envelope.kekId));
}

export async function sealSecret(secret: string, binding: EnvelopeBinding, keyring: Keyring): Promise<SecretEnvelope> {
  const dataKey = randomBytes(32);
  const sealed = await seal(dataKey, utf8(secret), secretAad(binding));
  const wrapped = await wrapDataKey(dataKey, binding.tenantId, keyring);
  return { ...sealed, ...wrapped };
}

/**
 * A new secret for a tenant that has a data key already (secret rotation):
 * sealed under that same data key, so every other value sealed with it (the
 * audit stream's key, certificate private keys) still opens afterwards.
 */
export async function resealSecret(
  secret: string,
  binding: EnvelopeBinding,
  current: SecretEnvelope,
  keyring: Keyring,
): Promise<SecretEnvelope> {
  const dataKey = await unwrapDataKey(current, binding.tenantId, keyring);
  return { ...current, ...(await seal(dataKey, utf8(secret), secretAad(binding))) };
}

/**
 * A tenant's envelope with a fresh data key and no secret (an organization
 * that signs up with a certificate): the secret's ciphertext and IV are
 * empty, as after the secret is deleted.
 */
export async function envelopeWithoutSecret(tenantId: string, keyring: Keyring): Promise<SecretEnvelope> {
  return { ciphertext: "", iv: "", ...(await wrapDataKey(randomBytes(32), tenantId, keyring)) };
}

/** Whether the envelope still holds a client secret (empty once deleted, or never set with a certificate). */
export function holdsSecret(envelope: SecretEnvelope): boolean {
  return envelope.ciphertext !== "" && envelope.iv !== "";
}

export async function openSecret(envelope: SecretEnvelope, binding: EnvelopeBinding, keyring: Keyring): Promise<string> {
  const dataKey = await unwrapDataKey(envelope, binding.tenantId, keyring);
  const plain = await open(dataKey, envelope.ciphertext, envelope.iv, secretAad(binding));
  return new TextDecoder().decode(plain);
}

/** Re-wraps the data key under the active KEK; the sealed secret is untouched. */
export async function rewrapEnvelope(envelope: SecretEnvelope, tenantId: string, keyring: Keyring): Promise<SecretEnvelope> {
  const dataKey = await unwrapDataKey(envelope, tenantId, keyring);
  return { ...envelope, ...(await wrapDataKey(dataKey, tenantId, keyring)) };
}

/**
 * A further value sealed with the tenant's data key (the one its client
 * secret uses), bound to the tenant and a purpose such as `audit-stream`, so
 * it cannot be opened on another tenant's row or as another kind of value.
 * Rotating the KEK re-wraps the data key only: these stay valid.
 */
export interface SealedValue {
  ciphertext: string;
  iv: string;
}

function valueAad(tenantId: string, purpose: string): Uint8Array<ArrayBuffer> {
  return utf8(`${FORMAT}|value|tenant=${tenantId}|purpose=${purpose}`);
}

export async function sealWithDataKey(
  value: string,
  envelope: SecretEnvelope,
  binding: { tenantId: string; purpose: string },
  keyring: Keyring,
): Promise<SealedValue> {
  const dataKey = await unwrapDataKey(envelope, binding.tenantId, keyring);
  return seal(dataKey, utf8(value), valueAad(binding.tenantId, binding.purpose));
}

export async function openWithDataKey(
  sealed: SealedValue,
  envelope: SecretEnvelope,
  binding: { tenantId: string; purpose: string },
  keyring: Keyring,
): Promise<string> {
  const dataKey = await unwrapDataKey(envelope, binding.tenantId, keyring);
  return new TextDecoder().decode(await open(dataKey, sealed.ciphertext, sealed.iv, valueAad(binding.tenantId, binding.purpose)));
}
