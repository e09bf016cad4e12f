/**
 * @module Faults a test or developer injects through the control API: the next N
 * Graph calls (optionally only those whose path contains a string, or of one
 * method) answer 401 with an expired token (as if Graph's clock were past the
 * token's expiry before the gateway's is), 403 access denied, 412
 * precondition failed (as if the item changed meanwhile), 429 or 503, with exactly the Retry-After asked for, or
 * none when none is asked for (Microsoft may leave it out: clients then back
 * off on their own).
 */

export const FAULT_STATUSES = [401, 403, 412, 429, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export interface FaultRule {
  status: FaultStatus;
  remaining: number;
  /** Sent as Retry-After on 429 and 503; no header when unset. */
  retryAfterSeconds?: number;
  pathContains?: string;
  /** Only calls with this HTTP method (e.g. a PATCH after its GET); any method if unset. */
  method?: string;
  /** Only calls made with this user's token (tenantId.oid); any user if unset. */
  userKey?: string;
}

/** Every rule when no user is named, else only that user's. */
function belongsTo(rule: FaultRule, userKey: string | undefined): boolean {
  return userKey === undefined || rule.userKey === userKey;
}

export class FaultInjector {
  #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push(rule);
  }

  /** Drops every rule, or only one user's. */
  clear(userKey?: string): void {
    this.#rules = this.#rules.filter((rule) => !belongsTo(rule, userKey));
  }

  /** Rules not yet used up, optionally only one user's (copies, for the control API). */
  pending(userKey?: string): FaultRule[] {
    return this.#rules.filter((rule) => belongsTo(rule, userKey)).map((rule) => ({ ...rule }));
  }

  /** Consumes and returns the first rule matching this call, if any. */
  take(path: string, userKey: string, method?: string): FaultRule | undefined {
    const rule = this.#rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.pathContains || path.includes(candidate.pathContains)) &&
        (!candidate.method || candidate.method === method) &&
        (!candidate.userKey || candidate.userKey === userKey),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.#rules = this.#rules.filter((candidate) => candidate.remaining > 0);
    return rule;
  }
}
