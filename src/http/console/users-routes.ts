import { Hono, type Context } from "hono";
import { z } from "zod";
import { canonicalOrigin } from "../../oauth/provider-env";
import {
  GrantIdSchema,
  listTenantUsers,
  revokeClient,
  revokeUser,
  tenantUser,
  UserIdSchema,
  UsersCursorSchema,
} from "../../oauth/user-access";
import { pageResponse } from "../pages/sign-in-pages";
import { USERS_FLASH, usersPage, type UsersFlash, type UsersPageView } from "../pages/console/users-page";
import { userAccessDeps } from "../user-access-deps";
import type { ConsoleEnv } from "./context";
import { consoleParty } from "./view";

/**
 * @module The admin console's Users section: `GET /admin/users` lists who
 * connected which clients, `GET /admin/users/:userId` shows one of them;
 * `POST …/clients/:grantId/disconnect` and
 * `POST /admin/users/:userId/revoke` take access away and redirect back
 * (POST-redirect-GET) with a fixed message picked by `?done=`. The console's
 * session and CSRF checks run before these handlers.
 */

const ListQuerySchema = z.object({
  cursor: UsersCursorSchema.optional().catch(undefined),
  done: z
    .enum(Object.keys(USERS_FLASH) as [UsersFlash, ...UsersFlash[]])
    .optional()
    .catch(undefined),
});

const ClientParamsSchema = z.object({ userId: UserIdSchema, grantId: GrantIdSchema });
const UserParamsSchema = z.object({ userId: UserIdSchema });

/** The Users page for this request's org and signed-in admin. */
function usersResponse(c: Context<ConsoleEnv>, view: Omit<UsersPageView, "mcpUrl">): Promise<Response> {
  const tenant = c.get("tenant");
  const context = { orgName: tenant.displayName, adminName: c.get("consoleAdmin").name, csrfToken: c.get("csrfToken") };
  return pageResponse(200, usersPage({ ...view, mcpUrl: `${canonicalOrigin(c.get("config"), tenant)}/mcp` }, context));
}

function backToList(c: Context<ConsoleEnv>, query: string): Response {
  return c.redirect(`/admin/users?${query}`, 303);
}

export const consoleUsersRoutes = new Hono<ConsoleEnv>()
  .get("/admin/users", async (c) => {
    const query = ListQuerySchema.parse(c.req.query());
    const listed = await listTenantUsers(userAccessDeps(c), { after: query.cursor });
    return usersResponse(c, { users: listed.users, nextCursor: listed.nextCursor, flash: query.done });
  })
  .get("/admin/users/:userId", async (c) => {
    const params = UserParamsSchema.safeParse(c.req.param());
    const user = params.success ? await tenantUser(userAccessDeps(c), params.data.userId) : undefined;
    if (!user) return backToList(c, "done=gone");
    const confirmMissingFor = c.req.query("confirm") === "missing" ? user.userId : undefined;
    return usersResponse(c, { users: [user], nextCursor: undefined, confirmMissingFor, single: true });
  })
  .post("/admin/users/:userId/clients/:grantId/disconnect", async (c) => {
    const params = ClientParamsSchema.safeParse(c.req.param());
    const revoked = params.success
      ? await revokeClient(userAccessDeps(c, consoleParty(c)), params.data.userId, params.data.grantId)
      : undefined;
    return backToList(c, `done=${revoked ? "disconnected" : "gone"}`);
  })
  .post("/admin/users/:userId/revoke", async (c) => {
    const params = UserParamsSchema.safeParse(c.req.param());
    if (!params.success) return backToList(c, "done=gone");
    const form = await c.req.parseBody();
    // Back to this user's own page, wherever they were listed, with the refusal at the checkbox.
    if (form.confirm !== "yes") return c.redirect(`/admin/users/${encodeURIComponent(params.data.userId)}?confirm=missing#revoke-0`, 303);
    const revoked = await revokeUser(userAccessDeps(c, consoleParty(c)), params.data.userId);
    return backToList(c, `done=${revoked ? "revoked" : "gone"}`);
  });
