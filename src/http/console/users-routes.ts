import { Hono, type Context } from "hono";
import { z } from "zod";
import { canonicalOrigin } from "../../oauth/provider-env";
import { GrantIdSchema, listTenantUsers, revokeClient, revokeUser, UserIdSchema, UsersCursorSchema } from "../../oauth/user-access";
import { pageResponse } from "../pages/sign-in-pages";
import { USERS_FLASH, usersPage, type UsersFlash } from "../pages/console/users-page";
import { userAccessDeps } from "../user-access-deps";
import type { ConsoleEnv } from "./context";

/**
 * @module The admin console's Users section: `GET /admin/users` lists who
 * connected which clients; `POST …/clients/:grantId/disconnect` and
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
  confirm: UserIdSchema.optional().catch(undefined),
});

const ClientParamsSchema = z.object({ userId: UserIdSchema, grantId: GrantIdSchema });
const UserParamsSchema = z.object({ userId: UserIdSchema });

function backToList(c: Context<ConsoleEnv>, query: string): Response {
  return c.redirect(`/admin/users?${query}`, 303);
}

export const consoleUsersRoutes = new Hono<ConsoleEnv>()
  .get("/admin/users", async (c) => {
    const query = ListQuerySchema.parse(c.req.query());
    const tenant = c.get("tenant");
    const listed = await listTenantUsers(userAccessDeps(c), { after: query.cursor });
    const view = usersPage(
      {
        users: listed.users,
        nextCursor: listed.nextCursor,
        mcpUrl: `${canonicalOrigin(c.get("config"), tenant)}/mcp`,
        flash: query.done,
        confirmMissingFor: query.confirm,
      },
      { orgName: tenant.displayName, adminName: c.get("consoleAdmin").name, csrfToken: c.get("csrfToken") },
    );
    return pageResponse(200, view);
  })
  .post("/admin/users/:userId/clients/:grantId/disconnect", async (c) => {
    const params = ClientParamsSchema.safeParse(c.req.param());
    const revoked = params.success ? await revokeClient(userAccessDeps(c), params.data.userId, params.data.grantId) : undefined;
    return backToList(c, `done=${revoked ? "disconnected" : "gone"}`);
  })
  .post("/admin/users/:userId/revoke", async (c) => {
    const params = UserParamsSchema.safeParse(c.req.param());
    if (!params.success) return backToList(c, "done=gone");
    const form = await c.req.parseBody();
    if (form.confirm !== "yes") return backToList(c, `confirm=${encodeURIComponent(params.data.userId)}`);
    const revoked = await revokeUser(userAccessDeps(c), params.data.userId);
    return backToList(c, `done=${revoked ? "revoked" : "gone"}`);
  });
