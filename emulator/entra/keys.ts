import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

/**
 * @module RS256 signing keys, as Entra publishes them at /discovery/v2.0/keys.
 * `rotate()` adds a new current key and keeps the old one published, which is
 * how Entra rolls keys over.
 */

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export class SigningKeys {
  #keys: SigningKey[] = [];
  /** The published keys as jose verifies with them, built once per rotation so a token check does not import them again. */
  #keySet: ReturnType<typeof createLocalJWKSet> | undefined;

  async current(): Promise<SigningKey> {
    if (this.#keys.length === 0) await this.rotate();
    const key = this.#keys.at(-1);
    if (!key) throw new Error("no signing key");
    return key;
  }

  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = crypto.randomUUID().replace(/-/g, "").slice(0, 20);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
    this.#keys.push({ kid, privateKey, publicJwk });
    this.#keySet = undefined;
    return kid;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    await this.current();
    return { keys: this.#keys.map((key) => key.publicJwk) };
  }

  /** What Graph checks an access token's signature against. */
  async keySet(): Promise<ReturnType<typeof createLocalJWKSet>> {
    this.#keySet ??= createLocalJWKSet(await this.jwks());
    return this.#keySet;
  }

  async sign(payload: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const key = await this.current();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(key.privateKey);
  }
}
