import { Hono, type Context } from "hono";
import { z } from "zod";
import type { TenantEnv } from "../context";
import { ApiError, validationError } from "../errors";
import { userAccessDeps } from "../user-access-deps";
import { ADMIN_KEY_ACTOR } from "../../audit/events";
import { partyOf } from "../audit";
import {
  GrantIdSchema,
  listTenantUsers,
  revokeClient,
  revokeUser,
  tenantUser,
  USERS_PAGE_SIZE,
  UserIdSchema,
  UsersCursorSchema,
  type ConnectedClient,
  type UserAccess,
} from "../../oauth/user-access";

/**
 * @module The org's users and their connected MCP clients on the tenant admin
 * API (mounted under tenant-admin.ts, behind its admin-key check):
 * `GET /api/admin/users`, `GET /api/admin/users/:userId`,
 * `DELETE /api/admin/users/:userId/clients/:grantId` and
 * `DELETE /api/admin/users/:userId`. A user or grant of another org answers
 * 404, as one that never existed.
 */

const ListQuerySchema = z.object({
  // `?cursor=` with nothing after it asks for the first page, as leaving it out does.
  cursor: z.preprocess((value) => (value === "" ? undefined : value), UsersCursorSchema.optional()),
  limit: z.coerce
    .number({ error: `expected a whole number from 1 to ${USERS_PAGE_SIZE}` })
    .int(`expected a whole number from 1 to ${USERS_PAGE_SIZE}`)
    .min(1, `expected a whole number from 1 to ${USERS_PAGE_SIZE}`)
    .max(USERS_PAGE_SIZE, `at most ${USERS_PAGE_SIZE}`)
    .optional(),
});

const UserParamsSchema = z.object({ userId: UserIdSchema });
const ClientParamsSchema = z.object({ userId: UserIdSchema, grantId: GrantIdSchema });

/** Parses path or query values; a failure is a 400 naming each field. */
function parsed<Schema extends z.ZodType>(schema: Schema, values: unknown, what: string): z.infer<Schema> {
  const result = schema.safeParse(values);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

function clientView(client: ConnectedClient) {
  return {
    grantId: client.grantId,
    clientId: client.clientId,
    clientName: client.clientName,
    nameVerified: client.verifiedDomain !== undefined,
    verifiedDomain: client.verifiedDomain ?? null,
    redirectsTo: client.redirect.label,
    redirectsToThisComputer: client.redirect.local,
    connectedAt: client.connectedAt.toISOString(),
    lastUsedAt: client.lastUsedAt?.toISOString() ?? null,
  };
}

function userView(user: UserAccess) {
  return {
    userId: user.userId,
    upn: user.upn,
    displayName: user.displayName,
    firstSignInAt: user.firstSignInAt.toISOString(),
    lastSignInAt: user.lastSignInAt.toISOString(),
    clients: user.clients.map(clientView),
  };
}

/** The admin key as the party of a revocation's audit event. */
const adminKeyParty = (c: Context<TenantEnv>) => partyOf(c, c.get("tenant").id, ADMIN_KEY_ACTOR);

function userNotFound(userId: string): ApiError {
  return new ApiError(404, "user_not_found", `No user ${userId} has signed in to this organization`);
}

export const tenantAdminUsersRoutes = new Hono<TenantEnv>()
  .get("/api/admin/users", async (c) => {
    const query = parsed(ListQuerySchema, c.req.query(), "query");
    const listed = await listTenantUsers(userAccessDeps(c), { after: query.cursor, limit: query.limit });
    return c.json({ users: listed.users.map(userView), nextCursor: listed.nextCursor ?? null });
  })
  .get("/api/admin/users/:userId", async (c) => {
    const { userId } = parsed(UserParamsSchema, c.req.param(), "path");
    const user = await tenantUser(userAccessDeps(c), userId);
    if (!user) throw userNotFound(userId);
    return c.json(userView(user));
  })
  .delete("/api/admin/users/:userId/clients/:grantId", async (c) => {
    const { userId, grantId } = parsed(ClientParamsSchema, c.req.param(), "path");
    const revoked = await revokeClient(userAccessDeps(c, adminKeyParty(c)), userId, grantId);
    if (!revoked) throw new ApiError(404, "client_not_found", `User ${userId} has no connected client with grant ${grantId}`);
    return c.json({
      revoked: clientView(revoked),
      message: "The client is disconnected: its access and refresh tokens no longer work; the user must sign in again from it",
    });
  })
  .delete("/api/admin/users/:userId", async (c) => {
    const { userId } = parsed(UserParamsSchema, c.req.param(), "path");
    const revoked = await revokeUser(userAccessDeps(c, adminKeyParty(c)), userId);
    if (!revoked) throw userNotFound(userId);
    return c.json({
      userId: revoked.userId,
      clientsRevoked: revoked.clientsRevoked.map(clientView),
      agentWiped: revoked.agentWiped,
      message: "Every client of this user is disconnected and the gateway's stored data for them is deleted; they must sign in again",
    });
  });
