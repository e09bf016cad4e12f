/**
 * Which delegated Microsoft Graph permissions only an administrator can
 * grant, and what a sign-in may be granted in a tenant.
 *
 * Source: "Microsoft Graph permissions reference"
 * (learn.microsoft.com/graph/permissions-reference), column "Admin consent
 * required" of each delegated permission; the same flag is `admin: true`
 * under `DelegatedWork` in microsoftgraph/msgraph-metadata `permissions/*.json`.
 * Every permission the gateway requests is listed. Anything not listed here is
 * treated as admin-only (ChannelMessage.Read.All, People.Read.All,
 * User.Read.All, Group.Read.All and Directory.Read.All are, per the reference),
 * so a permission this table forgets is stricter than Microsoft, never more lenient.
 *
 * @module
 */
import type { EmulatedTenant } from "../state";

/** Delegated permissions a user may consent to for themselves (reference: "Admin consent required: No"). */
const USER_CONSENTABLE = new Set(
  [
    "User.Read",
    "User.ReadBasic.All",
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.Send",
    "Mail.Read.Shared",
    "Mail.ReadWrite.Shared",
    "Mail.Send.Shared",
    "Calendars.Read",
    "Calendars.ReadWrite",
    "Calendars.Read.Shared",
    "Calendars.ReadWrite.Shared",
    "MailboxSettings.Read",
    "MailboxSettings.ReadWrite",
    "Contacts.Read",
    "Contacts.ReadWrite",
    "People.Read",
    "Team.ReadBasic.All",
    "Channel.ReadBasic.All",
    "ChannelMessage.Send",
    "Chat.Read",
    "Chat.ReadWrite",
    "OnlineMeetings.ReadWrite",
    "Files.Read",
    "Files.ReadWrite",
    "Tasks.Read",
    "Tasks.ReadWrite",
    "Files.Read.All",
    "Sites.Read.All",
    "Notes.Read",
    "Notes.Create",
    "Notes.ReadWrite",
    "OnlineMeetings.Read",
    "Presence.Read",
    "Presence.Read.All",
  ].map((scope) => scope.toLowerCase()),
);

/** The OpenID Connect scopes: no Graph data, consentable by any user (permissions and consent overview). */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

function requiresAdminConsent(scope: string): boolean {
  const key = scope.toLowerCase();
  return !OIDC_SCOPES.has(key) && !USER_CONSENTABLE.has(key);
}

/** The scopes the tenant's administrator granted this app for every user (through /adminconsent). */
export function adminGrants(tenant: EmulatedTenant, clientId: string): Set<string> {
  const key = clientId.toLowerCase();
  let granted = tenant.adminConsents.get(key);
  if (!granted) {
    granted = new Set();
    tenant.adminConsents.set(key, granted);
  }
  return granted;
}

export type ConsentCheck =
  | { ok: true }
  /** 90094: an admin-only permission nobody with the right granted. */
  | { ok: false; reason: "admin_only"; scopes: string[] }
  /** 90093: the tenant lets no user consent, and the admin did not grant these. */
  | { ok: false; reason: "user_consent_disabled"; scopes: string[] };

/**
 * Whether a user of the tenant may sign in to the app with these scopes. What
 * the admin granted needs no one's consent; what is left, a user may consent
 * to only when the tenant allows user consent and no scope is admin-only
 * ("Configure how users consent to applications"; "Unexpected error when
 * performing consent to an application").
 */
export function checkConsent(tenant: EmulatedTenant, clientId: string, scopes: readonly string[]): ConsentCheck {
  const granted = adminGrants(tenant, clientId);
  const missing = scopes.filter((scope) => !granted.has(scope.toLowerCase()));
  if (missing.length === 0) return { ok: true };
  if (tenant.userConsent === "disabled") return { ok: false, reason: "user_consent_disabled", scopes: missing };
  const adminOnly = missing.filter(requiresAdminConsent);
  return adminOnly.length === 0 ? { ok: true } : { ok: false, reason: "admin_only", scopes: adminOnly };
}

/**
 * At the token endpoint nobody can be asked: of the scopes requested, those
 * neither in the user's own grant nor granted by the admin (AADSTS65001).
 */
export function unconsentedScopes(
  tenant: EmulatedTenant,
  clientId: string,
  granted: readonly string[],
  requested: readonly string[],
): string[] {
  const consented = new Set([...granted.map((scope) => scope.toLowerCase()), ...adminGrants(tenant, clientId)]);
  return requested.filter((scope) => !OIDC_SCOPES.has(scope.toLowerCase()) && !consented.has(scope.toLowerCase()));
}

/**
 * The user properties a delegated token may read of other users. With only
 * User.ReadBasic.All, Graph returns the basic profile and every other property
 * as null (permissions reference, "User permissions": displayName, givenName,
 * id, mail, photo, surname, userPrincipalName); User.Read.All and the wider
 * permissions read the full profile. The signed-in user's own record is
 * always read in full ("Also allows the app to read the full profile of the
 * signed-in user").
 */
const FULL_DIRECTORY_READ = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const BASIC_PROFILE = new Set(["id", "displayName", "givenName", "surname", "mail", "userPrincipalName"]);

export function directoryUserView(caller: {
  scopes: ReadonlySet<string>;
  user: { oid: string };
}): (user: Record<string, unknown>) => Record<string, unknown> {
  if (FULL_DIRECTORY_READ.some((scope) => caller.scopes.has(scope))) return (user) => user;
  return (user) =>
    user.id === caller.user.oid
      ? user
      : Object.fromEntries(
          Object.entries(user).map(([key, value]) => [key, BASIC_PROFILE.has(key) ? value : Array.isArray(value) ? [] : null]),
        );
}
