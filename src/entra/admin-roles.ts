/**
 * @module Which Entra built-in roles admit a user to the org's admin console
 * when the org turned that on: the roles that can already grant this app its
 * permissions or change it, read from the id_token's `wids` claim.
 *
 * Template IDs from "Microsoft Entra built-in roles"
 * (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
 * `wids` lists the template IDs of the user's tenant-wide roles, and Entra
 * sends it only when the app's manifest sets `groupMembershipClaims` to
 * "DirectoryRole" or "All" ("Access token claims reference", `wids`).
 */

export const CONSOLE_ADMIN_ROLES = [
  { id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
  { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", name: "Privileged Role Administrator" },
  { id: "158c047a-c907-4556-b7ef-446551a6b5f7", name: "Cloud Application Administrator" },
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", name: "Application Administrator" },
] as const;

/** Whether any of the id_token's role template IDs is one of the roles above. */
export function holdsConsoleAdminRole(wids: readonly string[]): boolean {
  return wids.some((role) => CONSOLE_ADMIN_ROLES.some((admitted) => admitted.id === role.toLowerCase()));
}
