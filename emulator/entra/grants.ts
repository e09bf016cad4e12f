/**
 * @module Authorization codes and refresh tokens the emulated Entra ID has issued.
 * Codes live 10 minutes and redeem once; refresh tokens rotate on use, the
 * replaced token stays valid for one more redemption (a retry after a lost
 * response), and a user's revocation invalidates all of theirs. Every
 * refresh_token request for a known token is counted per user, so a test can
 * tell how many refreshes a client really sent.
 */

export interface AuthorizationCode {
  tenantId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge: string;
  oid: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  tenantId: string;
  clientId: string;
  oid: string;
  scopes: string[];
  /** The user's token generation at issue; see EmulatorState.revokeUserTokens. */
  generation: number;
  expiresAt: number;
  /** Set once rotated: how many more times the old token may still be redeemed. */
  remainingAfterRotation?: number;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Entra's refresh tokens expire after 90 days of inactivity. */
const REFRESH_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

function randomToken(prefix: string, bytes = 48): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return (
    prefix +
    btoa(String.fromCharCode(...raw))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")
  );
}

export interface RefreshCount {
  issued: number;
  refused: number;
}

export class GrantStore {
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Keyed `<tenantId>.<oid>`. */
  readonly #refreshCounts = new Map<string, RefreshCount>();

  countRefresh(tenantId: string, oid: string, outcome: keyof RefreshCount): void {
    const key = `${tenantId.toLowerCase()}.${oid}`;
    const count = this.#refreshCounts.get(key) ?? { issued: 0, refused: 0 };
    count[outcome] += 1;
    this.#refreshCounts.set(key, count);
  }

  refreshCount(tenantId: string, oid: string): RefreshCount {
    return { ...(this.#refreshCounts.get(`${tenantId.toLowerCase()}.${oid}`) ?? { issued: 0, refused: 0 }) };
  }

  issueCode(grant: Omit<AuthorizationCode, "expiresAt" | "redeemed">, now = Date.now()): string {
    const code = randomToken("1.A");
    this.codes.set(code, { ...grant, expiresAt: now + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  issueRefreshToken(grant: Omit<RefreshGrant, "expiresAt">, now = Date.now()): string {
    const token = randomToken("1.AR", 96);
    this.refreshTokens.set(token, { ...grant, expiresAt: now + REFRESH_LIFETIME_MS });
    return token;
  }

  /** Control API: make matching codes and refresh tokens expired. */
  expire(filter: { tenantId?: string; oid?: string; kind: "code" | "refresh_token" | "all" }): number {
    const matches = (grant: { tenantId: string; oid: string }) =>
      (!filter.tenantId || grant.tenantId === filter.tenantId.toLowerCase()) && (!filter.oid || grant.oid === filter.oid);
    const expired = [
      ...(filter.kind === "refresh_token" ? [] : this.codes.values()),
      ...(filter.kind === "code" ? [] : this.refreshTokens.values()),
    ].filter(matches);
    for (const grant of expired) grant.expiresAt = 0;
    return expired.length;
  }
}
