import type { ClientInfo, GrantSummary, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { z } from "zod";
import type { AuditRecorder } from "../audit/record";
import { auditClient, revocationEvent, type EventParty } from "../audit/events";
import { logEvent } from "../lib/log";
import { withCleanClientName } from "../tenancy/names";
import { forgetUser, type UserAgents } from "../tenancy/offboarding";
import type { Registry } from "../tenancy/registry";
import type { TenantUser, UserPosition } from "../tenancy/tenant-user";
import type { ConnectedClient, UserAccess } from "./connected-client";
import { forgetLastUse, readLastUse } from "./last-use";
import { describeRedirect, redirectFacts } from "./redirect-target";

/**
 * @module Who of an org has connected which MCP clients, and taking that
 * access away: one client (its grant and every token of it), or a user
 * (every grant, their agent's storage, their place in the user list). The
 * admin API and the admin console both call these; everything is read
 * through the tenant's own OAuth helpers and KV view, so another tenant's
 * users and grants are simply not there.
 */

export type { ConnectedClient, UserAccess };

/** What these functions need: the tenant's OAuth helpers and KV view, the registry, and the user agents. */
export interface UserAccessDeps {
  tenantId: string;
  registry: Registry;
  oauth: Pick<OAuthHelpers, "listUserGrants" | "revokeGrant" | "lookupClient">;
  /** The tenant-prefixed KV view the helpers use. */
  kv: KVNamespace;
  agents: UserAgents;
  /** Where revocations are audited, and who revokes (an admin key or a console admin) from where. */
  audit?: { recorder: AuditRecorder; party: EventParty };
}

/** Writes the revocation's audit event: whose access, which grants, and (for one client) which client. */
function auditRevocation(deps: UserAccessDeps, subject: string, grantIds: string[], client?: ConnectedClient): void {
  if (!deps.audit) return;
  const scope = client ? "client" : "user";
  const party = client ? { ...deps.audit.party, client: auditClient(client.clientId, client.clientName) } : deps.audit.party;
  deps.audit.recorder.record(revocationEvent(party, { scope, subject, grantIds, agentWiped: !client }));
}

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A user id as the gateway stores it: `<entra tenant id>.<object id>`, lower-case GUIDs. */
export const UserIdSchema = z
  .string()
  .regex(new RegExp(`^${GUID}\\.${GUID}$`), "expected <entra tenant id>.<object id>, two lower-case GUIDs joined by a dot");

/** A grant id as the OAuth provider makes them. */
export const GrantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "expected a grant id as listed under the user's clients");

/** Where the next page of users starts, as `listTenantUsers` hands it out: `<last sign-in ms>_<userId>`. */
export const UsersCursorSchema = z
  .string()
  .regex(new RegExp(`^\\d{1,15}_${GUID}\\.${GUID}$`), "expected the nextCursor of the previous page")
  .transform((cursor): UserPosition => {
    const [ms = "", userId = ""] = cursor.split("_");
    return { lastSignInAt: new Date(Number(ms)), userId };
  });

function cursorAfter(user: TenantUser): string {
  return `${user.lastSignInAt.getTime()}_${user.userId}`;
}

/** At most this many users a page: each costs a KV list, and a read per grant. */
export const USERS_PAGE_SIZE = 25;

/**
 * Pages of 100 grants listed per user. The provider keeps one grant per client
 * and user (signing in again replaces it), so more is a pathological case:
 * those are not listed, and are still revoked with the user.
 */
const GRANT_PAGES = 5;

async function userGrants(deps: UserAccessDeps, userId: string): Promise<GrantSummary[]> {
  const grants: GrantSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < GRANT_PAGES; page++) {
    const listed = await deps.oauth.listUserGrants(userId, { limit: 100, ...(cursor ? { cursor } : {}) });
    grants.push(...listed.items);
    cursor = listed.cursor;
    if (!cursor) break;
  }
  // Newest first; the provider's times are whole seconds, so ties are ordered by id to list the same way every time.
  return grants.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The client behind a grant, looked up once per listing. A metadata-document
 * client whose document cannot be fetched now is shown by its client id.
 */
function clientLookup(deps: UserAccessDeps): (clientId: string) => Promise<ClientInfo | null> {
  const seen = new Map<string, Promise<ClientInfo | null>>();
  return (clientId) => {
    let found = seen.get(clientId);
    if (!found) {
      found = deps.oauth.lookupClient(clientId).catch(() => null);
      seen.set(clientId, found);
    }
    return found;
  };
}

/** The https client id's host, for a metadata-document client (the provider's own test: an https URL with a path). */
function verifiedDomainOf(clientId: string): string | undefined {
  const url = URL.parse(clientId);
  return url?.protocol === "https:" && url.pathname !== "/" ? url.hostname : undefined;
}

async function describeGrant(deps: UserAccessDeps, grant: GrantSummary, client: ClientInfo | null): Promise<ConnectedClient> {
  // As the consent page names it: the client's name when it gave one, else its id, cleaned.
  const named = withCleanClientName({ clientName: client?.clientName?.trim() ? client.clientName : grant.clientId });
  const redirectUri = grant.redirectUri ?? client?.redirectUris[0];
  return {
    grantId: grant.id,
    clientId: grant.clientId,
    clientName: named.clientName,
    verifiedDomain: verifiedDomainOf(grant.clientId),
    redirect: redirectUri ? describeRedirect(redirectFacts(redirectUri)) : { local: false, label: "unknown" },
    connectedAt: new Date(grant.createdAt * 1000),
    lastUsedAt: await readLastUse(deps.kv, grant.userId, grant.id),
  };
}

async function connectedClients(deps: UserAccessDeps, userId: string, lookup = clientLookup(deps)): Promise<ConnectedClient[]> {
  const grants = await userGrants(deps, userId);
  return Promise.all(grants.map(async (grant) => describeGrant(deps, grant, await lookup(grant.clientId))));
}

/** A page of the tenant's users, latest sign-in first, each with the clients they connected. */
export async function listTenantUsers(
  deps: UserAccessDeps,
  options: { after?: UserPosition; limit?: number } = {},
): Promise<{ users: UserAccess[]; nextCursor: string | undefined }> {
  const limit = Math.min(options.limit ?? USERS_PAGE_SIZE, USERS_PAGE_SIZE);
  // One more than asked says whether there is a next page.
  const rows = await deps.registry.listUsers(deps.tenantId, limit + 1, options.after);
  const page = rows.slice(0, limit);
  const lookup = clientLookup(deps);
  const users = await Promise.all(page.map(async (user) => ({ ...user, clients: await connectedClients(deps, user.userId, lookup) })));
  const last = page.at(-1);
  return { users, nextCursor: rows.length > limit && last ? cursorAfter(last) : undefined };
}

/** One user of the tenant with their clients; undefined for anyone who never signed in here. */
export async function tenantUser(deps: UserAccessDeps, userId: string): Promise<UserAccess | undefined> {
  const user = await deps.registry.findUser(deps.tenantId, userId);
  return user ? { ...user, clients: await connectedClients(deps, userId) } : undefined;
}

/**
 * Revokes one grant: the provider deletes its access and refresh tokens,
 * then the grant. Deleted through the tenant's KV view, which drops this
 * isolate's copies of those token records at once; another isolate's copy
 * lives at most TOKEN_CACHE_TTL_SECONDS. Undefined when the user has no such
 * grant.
 */
export async function revokeClient(deps: UserAccessDeps, userId: string, grantId: string): Promise<ConnectedClient | undefined> {
  const grant = (await userGrants(deps, userId)).find((candidate) => candidate.id === grantId);
  if (!grant) return undefined;
  const described = await describeGrant(deps, grant, await clientLookup(deps)(grant.clientId));
  await revokeGrantAndUse(deps, userId, grantId);
  logEvent("client_revoked_by_admin", { tenantId: deps.tenantId, grantId });
  auditRevocation(deps, userId, [grantId], described);
  return described;
}

async function revokeGrantAndUse(deps: UserAccessDeps, userId: string, grantId: string): Promise<void> {
  await deps.oauth.revokeGrant(grantId, userId);
  await forgetLastUse(deps.kv, deps.tenantId, userId, grantId);
}

export interface RevokedUser {
  userId: string;
  clientsRevoked: ConnectedClient[];
  agentWiped: true;
}

/**
 * Takes all of a user's access away: every grant revoked (so no token can
 * reach their agent again), then their agent's storage wiped (the Graph
 * token it may hold) and their row removed, as offboarding does for every
 * user. Signing in again starts afresh. Undefined for a user with neither a
 * row nor a grant here.
 */
export async function revokeUser(deps: UserAccessDeps, userId: string): Promise<RevokedUser | undefined> {
  const [user, grants] = await Promise.all([deps.registry.findUser(deps.tenantId, userId), userGrants(deps, userId)]);
  if (!user && grants.length === 0) return undefined;
  const lookup = clientLookup(deps);
  const clientsRevoked = await Promise.all(grants.map(async (grant) => describeGrant(deps, grant, await lookup(grant.clientId))));
  await Promise.all(grants.map((grant) => revokeGrantAndUse(deps, userId, grant.id)));
  const grantIds = grants.map((grant) => grant.id);
  // Grants past the listed pages: revoked a page at a time until none is left.
  for (let rest = await userGrants(deps, userId); rest.length > 0; rest = await userGrants(deps, userId)) {
    await Promise.all(rest.map((grant) => revokeGrantAndUse(deps, userId, grant.id)));
    grantIds.push(...rest.map((grant) => grant.id));
  }
  await forgetUser(deps, deps.tenantId, userId);
  logEvent("user_revoked_by_admin", { tenantId: deps.tenantId, grants: grants.length });
  auditRevocation(deps, userId, grantIds);
  return { userId, clientsRevoked, agentWiped: true };
}
