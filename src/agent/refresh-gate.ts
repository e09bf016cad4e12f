/**
 * One Entra refresh per refresh token, however many callers bring it.
 *
 * Entra rotates refresh tokens on every use and asks clients to delete the old
 * one ("Refresh tokens in the Microsoft identity platform"); the emulator,
 * stricter, refuses a replaced token after one more use. MCP clients refresh
 * in parallel (several windows, a retry after a timeout), and each of those
 * requests read the grant, so each carries the same Entra refresh token.
 * Redeeming it once per request would use it up and make the later ones look
 * like a revoked sign-in.
 *
 * So, inside the user's Durable Object: concurrent callers with one token share
 * one in-flight redemption, and for a short while after it succeeded, a caller
 * that still holds the replaced token gets the tokens it produced instead of
 * redeeming it again. A caller of the same batch that read the grant just after
 * the first one stored its result brings the token that redemption produced:
 * for a few seconds it gets those same tokens too, so a batch costs one Entra
 * refresh. Failures are never remembered: the next caller asks Entra.
 * Keys are SHA-256 digests of the token, never the token itself.
 *
 * @module
 */
export interface GateTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  scope: string[];
}

/** How long the tokens a redemption produced answer callers holding the replaced token. */
export const RECENT_RESULT_MS = 120_000;
/**
 * How long the refresh token a redemption produced answers with that same
 * redemption's tokens: long enough for the stragglers of one parallel batch,
 * short enough that a sign-in Microsoft revoked is noticed on the next refresh.
 */
export const PRODUCED_RESULT_MS = 5_000;
/** A remembered access token is handed out only while it has at least this long to live. */
const MIN_REMAINING_SECONDS = 120;
const MAX_RECENT = 100;

export async function refreshTokenKey(refreshToken: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(refreshToken));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export class RefreshGate<F> {
  readonly #inFlight = new Map<string, Promise<GateTokens | F>>();
  readonly #recent = new Map<string, { tokens: GateTokens; until: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The tokens `key`'s redemption produced, running `redeem` only when no caller just did or is doing so. */
  run(
    key: string,
    redeem: () => Promise<GateTokens | F>,
    isTokens: (result: GateTokens | F) => result is GateTokens,
  ): Promise<GateTokens | F> {
    const recent = this.#recent.get(key);
    if (recent && recent.until > this.clock()) return Promise.resolve(recent.tokens);
    this.#recent.delete(key);
    let flight = this.#inFlight.get(key);
    if (!flight) {
      flight = redeem()
        .then((result) => {
          if (!isTokens(result)) return result;
          this.#remember(key, result, RECENT_RESULT_MS);
          return refreshTokenKey(result.refreshToken).then((produced): GateTokens | F => {
            this.#remember(produced, result, PRODUCED_RESULT_MS);
            return result;
          });
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, flight);
    }
    return flight;
  }

  #remember(key: string, tokens: GateTokens, forMs: number): void {
    const now = this.clock();
    const until = Math.min(now + forMs, (tokens.expiresAt - MIN_REMAINING_SECONDS) * 1000);
    if (until <= now) return;
    for (const [oldKey, entry] of this.#recent) if (entry.until <= now) this.#recent.delete(oldKey);
    if (this.#recent.size >= MAX_RECENT) {
      const oldest = this.#recent.keys().next();
      if (!oldest.done) this.#recent.delete(oldest.value);
    }
    this.#recent.set(key, { tokens, until });
  }

  /** Forgets every remembered result (the user's grant is gone, or the agent is wiped). */
  clear(): void {
    this.#recent.clear();
  }
}
