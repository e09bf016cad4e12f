/**
 * @module A user who signed in to a tenant, as the org's admins see them: a
 * plain shape with no storage types, so pages (and the tests that render
 * them outside workerd) can name it.
 */

export interface TenantUser {
  /** `<entra tid>.<oid>`. */
  userId: string;
  upn: string | null;
  displayName: string | null;
  firstSignInAt: Date;
  lastSignInAt: Date;
}

/** Where a page of users ends: the last user's sign-in time and id. */
export interface UserPosition {
  lastSignInAt: Date;
  userId: string;
}
