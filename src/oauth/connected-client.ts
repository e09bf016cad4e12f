import type { TenantUser } from "../tenancy/tenant-user";
import type { RedirectTarget } from "./redirect-target";

/**
 * @module What the admin API and console show of a user's connected
 * clients: plain shapes with no storage types, so pages (and the tests that
 * render them outside workerd) can name them.
 */

/** A client a user connected: one grant of theirs. */
export interface ConnectedClient {
  grantId: string;
  clientId: string;
  /** Cleaned as on the consent page; self-chosen unless `verifiedDomain` is set. */
  clientName: string;
  /** For a client identified by its metadata document's https URL: that URL's host, which the client controls. */
  verifiedDomain: string | undefined;
  /** Where its tokens go, in the consent page's words. */
  redirect: RedirectTarget;
  connectedAt: Date;
  /** To within an hour (see last-use.ts); undefined when not used since this was recorded. */
  lastUsedAt: Date | undefined;
}

export interface UserAccess extends TenantUser {
  clients: ConnectedClient[];
}
