/**
 * Grants whose Entra sign-in Microsoft refused for good, as the user's agent
 * saw it, kept in the agent's own storage (`dead-grant:<grantId>`) for
 * `DEAD_FOR_MS`.
 *
 * Why: the OAuth provider revokes a grant when its refresh answers
 * invalid_grant, deleting the grant and its access tokens. A parallel refresh
 * of the same grant that got its Entra tokens a moment earlier writes its
 * access token and the grant back afterwards, and would keep working. So a
 * dead grant is refused on every later refresh (each such refusal revokes
 * again, taking any such token with it), and the refusal that starts the
 * revocation is held back until the callers given tokens for that grant in
 * the last `SETTLE_MS` have had that long to store them.
 *
 * @module
 */
const PREFIX = "dead-grant:";
/** Longer than any MCP access token lives (an hour at most). */
export const DEAD_FOR_MS = 2 * 60 * 60 * 1000;
/** Ample for a caller to store its access token and grant after getting its Entra tokens. */
export const SETTLE_MS = 3_000;
const MAX_TRACKED = 200;

interface SyncKv {
  get<T>(key: string): T | undefined;
  put<T>(key: string, value: T): void;
  delete(key: string): boolean;
}

export class DeadGrants {
  /** When each grant last got tokens from this agent. */
  readonly #issuedAt = new Map<string, number>();

  constructor(
    private readonly kv: SyncKv,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  isDead(grantId: string): boolean {
    const until = this.kv.get<number>(PREFIX + grantId);
    if (until === undefined) return false;
    if (until > this.clock()) return true;
    this.kv.delete(PREFIX + grantId);
    return false;
  }

  issued(grantId: string): void {
    this.#issuedAt.delete(grantId);
    if (this.#issuedAt.size >= MAX_TRACKED) {
      const oldest = this.#issuedAt.keys().next();
      if (!oldest.done) this.#issuedAt.delete(oldest.value);
    }
    this.#issuedAt.set(grantId, this.clock());
  }

  /** Marks the grant dead, then waits until tokens issued for it just before have settled. */
  async markDead(grantId: string): Promise<void> {
    this.kv.put(PREFIX + grantId, this.clock() + DEAD_FOR_MS);
    const issuedAt = this.#issuedAt.get(grantId);
    this.#issuedAt.delete(grantId);
    if (issuedAt === undefined) return;
    const wait = issuedAt + SETTLE_MS - this.clock();
    if (wait > 0) await this.sleep(wait);
  }

  clear(): void {
    this.#issuedAt.clear();
  }
}
