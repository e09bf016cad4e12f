import type { EmulatedUser } from "../state";
import { utcMidnight } from "./day";

/** @module The emulator's in-memory Graph data, one slice per endpoint family. */

/**
 * Graph data held in memory. Each endpoint family owns a named slice, per
 * user (mailbox, calendar, drive, …) or per tenant (teams, chats), seeded on
 * first use by that family's own seed function, laid out around `seedDay`
 * (UTC midnight of the seed date; today unless the emulator was given one).
 */
export class GraphStore {
  readonly #perUser = new Map<string, unknown>();
  readonly #perTenant = new Map<string, unknown>();

  constructor(readonly seedDay: number = utcMidnight(Date.now())) {}

  forUser<T>(family: string, tenantId: string, user: EmulatedUser, seed: (user: EmulatedUser, seedDay: number) => T): T {
    const key = `${family}|${tenantId}|${user.oid}`;
    if (!this.#perUser.has(key)) this.#perUser.set(key, seed(user, this.seedDay));
    return this.#perUser.get(key) as T;
  }

  forTenant<T>(family: string, tenantId: string, seed: (seedDay: number) => T): T {
    const key = `${family}|${tenantId}`;
    if (!this.#perTenant.has(key)) this.#perTenant.set(key, seed(this.seedDay));
    return this.#perTenant.get(key) as T;
  }
}
