/**
 * Faults a test or developer injects through the control API: the next N
 * Graph calls (optionally only those whose path contains a string) answer
 * 403 access denied, 429 with Retry-After, or 503.
 */
export type FaultStatus = 403 | 429 | 503;

export interface FaultRule {
  status: FaultStatus;
  remaining: number;
  retryAfterSeconds: number;
  pathContains?: string;
  /** Only calls made with this user's token (tenantId.oid); any user if unset. */
  userKey?: string;
}

export class FaultInjector {
  #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push(rule);
  }

  /** Drops every rule, or only one user's. */
  clear(userKey?: string): void {
    this.#rules = userKey === undefined ? [] : this.#rules.filter((rule) => rule.userKey !== userKey);
  }

  /** Rules not yet used up, optionally only one user's (copies, for the control API). */
  pending(userKey?: string): FaultRule[] {
    return this.#rules.filter((rule) => userKey === undefined || rule.userKey === userKey).map((rule) => ({ ...rule }));
  }

  /** Consumes and returns the first rule matching this call, if any. */
  take(path: string, userKey: string): FaultRule | undefined {
    const rule = this.#rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.pathContains || path.includes(candidate.pathContains)) &&
        (!candidate.userKey || candidate.userKey === userKey),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.#rules = this.#rules.filter((candidate) => candidate.remaining > 0);
    return rule;
  }
}
