import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64, randomBytes } from "../src/lib/encoding";
import { tenantRegistry } from "../src/tenancy/registry";
import { EnvelopeError, openSecret, rewrapEnvelope, sealSecret, type Keyring, type SecretEnvelope } from "../src/tenancy/secret-envelope";
import { createTenant } from "./helpers/gateway";
import { gatewayKeyring, tenantRow } from "./helpers/tenants";

/** Envelope encryption of client secrets, with real WebCrypto. */
const KEK_A = randomBytes(32);
const KEK_B = randomBytes(32);
const keyringA: Keyring = { keks: new Map([["a", KEK_A]]), activeKekId: "a" };
const keyringBoth: Keyring = {
  keks: new Map([
    ["a", KEK_A],
    ["b", KEK_B],
  ]),
  activeKekId: "b",
};
const keyringOnlyB: Keyring = { keks: new Map([["b", KEK_B]]), activeKekId: "b" };

const SECRET = "Qx8~super.secret-value_0123456789abcdefgh";
const binding = { tenantId: crypto.randomUUID(), clientId: crypto.randomUUID() };

/** Flips one bit in the middle of a base64 field, so the decoded bytes really change. */
function flipBit(base64: string): string {
  const bytes = base64ToBytes(base64);
  const index = Math.floor(bytes.length / 2);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytesToBase64(bytes);
}

async function expectEnvelopeError(promise: Promise<unknown>, message?: string | RegExp): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(EnvelopeError);
  await expect(promise).rejects.toThrow(message);
}

describe("sealSecret / openSecret", () => {
  it("round-trips a secret and never stores it in clear", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    expect(envelope.kekId).toBe("a");
    expect(JSON.stringify(envelope)).not.toContain(SECRET);
    expect(base64ToBytes(envelope.iv)).toHaveLength(12);
    expect(base64ToBytes(envelope.dataKeyIv)).toHaveLength(12);
    expect(await openSecret(envelope, binding, keyringA)).toBe(SECRET);
  });

  it("uses a fresh data key and IVs for every seal of the same secret", async () => {
    const first = await sealSecret(SECRET, binding, keyringA);
    const second = await sealSecret(SECRET, binding, keyringA);
    expect(second.ciphertext).not.toBe(first.ciphertext);
    expect(second.iv).not.toBe(first.iv);
    expect(second.wrappedDataKey).not.toBe(first.wrappedDataKey);
  });

  it.each(["ciphertext", "iv", "wrappedDataKey", "dataKeyIv"] as const)("refuses an envelope whose %s was tampered with", async (field) => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    const tampered: SecretEnvelope = { ...envelope, [field]: flipBit(envelope[field]) };
    await expectEnvelopeError(openSecret(tampered, binding, keyringA), "failed authentication");
  });

  it("refuses a ciphertext that is not base64 at all", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(openSecret({ ...envelope, ciphertext: "%%%not base64%%%" }, binding, keyringA));
  });

  it("refuses an envelope moved to another tenant", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(openSecret(envelope, { ...binding, tenantId: crypto.randomUUID() }, keyringA));
  });

  it("refuses an envelope moved to another client ID of the same tenant", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(openSecret(envelope, { ...binding, clientId: crypto.randomUUID() }, keyringA));
  });

  it("refuses an envelope naming a KEK that is not configured, saying which", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(openSecret({ ...envelope, kekId: "zz" }, binding, keyringBoth), "key-encryption key zz is not configured");
    await expectEnvelopeError(openSecret(envelope, binding, keyringOnlyB), "key-encryption key a is not configured");
  });

  it("refuses an envelope relabelled with another configured KEK id", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(openSecret({ ...envelope, kekId: "b" }, binding, keyringBoth), "failed authentication");
  });

  it("refuses to seal when the active KEK is not configured", async () => {
    await expectEnvelopeError(sealSecret(SECRET, binding, { keks: new Map(), activeKekId: "a" }), "not configured");
  });
});

describe("rewrapEnvelope", () => {
  it("moves the data key to the active KEK, leaving the sealed secret untouched", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    const rewrapped = await rewrapEnvelope(envelope, binding.tenantId, keyringBoth);
    expect(rewrapped.kekId).toBe("b");
    expect(rewrapped.ciphertext).toBe(envelope.ciphertext);
    expect(rewrapped.iv).toBe(envelope.iv);
    expect(rewrapped.wrappedDataKey).not.toBe(envelope.wrappedDataKey);
    expect(await openSecret(rewrapped, binding, keyringBoth)).toBe(SECRET);
    // The old KEK can be retired once every envelope is re-wrapped.
    expect(await openSecret(rewrapped, binding, keyringOnlyB)).toBe(SECRET);
  });

  it("refuses to re-wrap an envelope for another tenant", async () => {
    const envelope = await sealSecret(SECRET, binding, keyringA);
    await expectEnvelopeError(rewrapEnvelope(envelope, crypto.randomUUID(), keyringBoth));
  });
});

describe("secret columns copied between tenants in D1", () => {
  it("cannot be decrypted with the receiving tenant's binding", async () => {
    const source = await createTenant();
    const target = await createTenant();
    const from = await tenantRow(source.tenant.id);
    if (!from) throw new Error("source row missing");
    await env.DB.prepare(
      `UPDATE tenants SET secret_ciphertext = ?, secret_iv = ?, wrapped_data_key = ?, data_key_iv = ?, kek_id = ?
       WHERE id = ?`,
    )
      .bind(from.secret_ciphertext, from.secret_iv, from.wrapped_data_key, from.data_key_iv, from.kek_id, target.tenant.id)
      .run();

    const registry = tenantRegistry(env.DB);
    const victim = await registry.findById(target.tenant.id);
    if (!victim) throw new Error("target row missing");
    expect(victim.envelope.ciphertext).toBe(from.secret_ciphertext);
    await expectEnvelopeError(
      openSecret(victim.envelope, { tenantId: victim.id, clientId: victim.clientId }, gatewayKeyring()),
      "failed authentication",
    );
    // Even with the source's client ID the copied envelope stays bound to the source tenant.
    await expectEnvelopeError(openSecret(victim.envelope, { tenantId: victim.id, clientId: source.input.clientId }, gatewayKeyring()));
    // The same columns still open for the tenant they belong to.
    const owner = { tenantId: source.tenant.id, clientId: source.input.clientId };
    expect(await openSecret(victim.envelope, owner, gatewayKeyring())).toBe(source.input.clientSecret);
  });
});
