import type { EmulatedUser } from "../state";

/**
 * Graph data held in memory. Each endpoint family owns a named slice, per
 * user (mailbox, calendar, drive, …) or per tenant (teams, chats), seeded on
 * first use by that family's own seed function.
 */
export class GraphStore {
  readonly #perUser = new Map<string, unknown>();
  readonly #perTenant = new Map<string, unknown>();

  forUser<T>(family: string, tenantId: string, user: EmulatedUser, seed: (user: EmulatedUser) => T): T {
    const key = `${family}|${tenantId}|${user.oid}`;
    if (!this.#perUser.has(key)) this.#perUser.set(key, seed(user));
    return this.#perUser.get(key) as T;
  }

  forTenant<T>(family: string, tenantId: string, seed: () => T): T {
    const key = `${family}|${tenantId}`;
    if (!this.#perTenant.has(key)) this.#perTenant.set(key, seed());
    return this.#perTenant.get(key) as T;
  }
}
