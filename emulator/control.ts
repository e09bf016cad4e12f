import { Hono } from "hono";
import { z } from "zod";
import type { EmulatorEnv } from "./context";

/**
 * The emulator's own control API, under /_emulator: not part of Microsoft's
 * surface. Tests and `npm run dev` use it to register tenants, apps and users.
 */
const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "expected a GUID");

const TenantSchema = z.strictObject({ tenantId: Guid, displayName: z.string().min(1).default("Contoso") });
const AppSchema = z.strictObject({
  clientId: Guid,
  displayName: z.string().min(1).default("MCP gateway"),
  secrets: z.array(z.strictObject({ value: z.string().min(1), expiresAt: z.iso.datetime().optional() })).default([]),
  redirectUris: z.array(z.url()).default([]),
});
const UserSchema = z.strictObject({
  oid: Guid,
  userPrincipalName: z.string().min(3),
  displayName: z.string().min(1),
  mail: z.string().min(3).optional(),
});

async function parse<S extends z.ZodType>(request: Request, schema: S) {
  const result = schema.safeParse(await request.json().catch(() => undefined));
  return result;
}

function invalid(error: z.ZodError): Response {
  return Response.json({ error: "invalid_request", issues: error.issues.map((i) => ({ field: i.path.join("."), message: i.message })) }, { status: 400 });
}

export const controlRoutes = new Hono<EmulatorEnv>()
  .post("/_emulator/tenants", async (c) => {
    const input = await parse(c.req.raw, TenantSchema);
    if (!input.success) return invalid(input.error);
    const tenant = c.get("state").upsertTenant(input.data.tenantId, input.data.displayName);
    return c.json({ tenantId: tenant.tenantId, displayName: tenant.displayName }, 201);
  })
  .post("/_emulator/tenants/:tenantId/apps", async (c) => {
    const input = await parse(c.req.raw, AppSchema);
    if (!input.success) return invalid(input.error);
    const app = c.get("state").upsertApp(c.req.param("tenantId"), {
      ...input.data,
      secrets: input.data.secrets.map((s) => ({ value: s.value, expiresAt: s.expiresAt ? Date.parse(s.expiresAt) : undefined })),
    });
    return c.json({ clientId: app.clientId, secrets: app.secrets.length, redirectUris: app.redirectUris }, 201);
  })
  .post("/_emulator/tenants/:tenantId/users", async (c) => {
    const input = await parse(c.req.raw, UserSchema);
    if (!input.success) return invalid(input.error);
    const user = c.get("state").upsertUser(c.req.param("tenantId"), {
      ...input.data,
      mail: input.data.mail ?? input.data.userPrincipalName,
    });
    return c.json(user, 201);
  })
  .post("/_emulator/keys/rotate", async (c) => c.json({ kid: await c.get("keys").rotate() }))
  .get("/_emulator/health", (c) => c.json({ status: "ok", tenants: c.get("state").tenants.size }));
