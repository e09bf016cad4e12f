import type { TenantEnv, TenantVariables } from "../context";

/**
 * @module What every admin console route can rely on once the console's
 * session middleware let the request through: who is signed in, and the
 * CSRF token every form of the console must send back in its `csrf` field.
 */

/** A person signed in to the org's admin console. */
export interface ConsoleAdmin {
  /** `<entra tid>.<oid>` from the verified id_token. */
  userId: string;
  /** The id_token's `preferred_username`. */
  upn: string;
  name: string;
  /** Why they may enter: listed as a console admin, or holding an Entra administrator role the org admits. */
  via: "listed" | "entra-role";
}

export interface ConsoleVariables extends TenantVariables {
  consoleAdmin: ConsoleAdmin;
  /** Sent back by every console form as the hidden field `csrf`; checked before any POST handler runs. */
  csrfToken: string;
}

export type ConsoleEnv = { Bindings: TenantEnv["Bindings"]; Variables: ConsoleVariables };

/** The field name of the CSRF token in every console form. */
export const CSRF_FIELD = "csrf";
