import { Hono } from "hono";
import { z } from "zod";
import { EMULATED_CLOUDS, GRAPH_RESOURCES } from "./clouds";
import type { EmulatorEnv } from "./context";
import type { EmulatedCertificate } from "./state";
import { parseCertificate } from "./entra/client-assertion";
import { mintGraphToken } from "./graph/auth";
import { FAULT_STATUSES } from "./graph/faults";
import { formatSeedDate } from "./graph/day";

/**
 * The emulator's own control API, under /_emulator: not part of Microsoft's
 * surface. Tests and `npm run dev` use it to register tenants, apps and users.
 */
const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "expected a GUID");

export const TenantSchema = z.strictObject({
  tenantId: Guid,
  displayName: z.string().min(1).default("Contoso"),
  // The Microsoft cloud the tenant exists in; the other clouds' Entra ID and Graph do not know it.
  cloud: z.enum(EMULATED_CLOUDS).default("global"),
});
// Entra's "User consent for applications": "disabled" is "Do not allow user consent".
export const TenantSettingsSchema = z.strictObject({ userConsent: z.enum(["allowed", "disabled"]) });
export const AppSchema = z.strictObject({
  clientId: Guid,
  displayName: z.string().min(1).default("MCP gateway"),
  secrets: z.array(z.strictObject({ value: z.string().min(1), expiresAt: z.iso.datetime().optional() })).default([]),
  redirectUris: z.array(z.string().min(1)).default([]),
  accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
  // The app manifest's groupMembershipClaims; left out, the manifest's null (no memberships in tokens).
  groupMembershipClaims: z.enum(["None", "SecurityGroup", "DirectoryRole", "ApplicationGroup", "All"]).optional(),
});
export const UserSchema = z.strictObject({
  oid: Guid,
  userPrincipalName: z.string().min(3),
  displayName: z.string().min(1),
  mail: z.string().min(3).optional(),
  jobTitle: z.string().optional(),
  timeZone: z.string().optional(),
  // Template IDs of the built-in directory roles assigned to the user.
  directoryRoles: z.array(Guid).max(50).optional(),
  sharedMailbox: z.boolean().optional(),
  // Who may open this mailbox (FullAccess) or send from it (SendAs, SendOnBehalf), as Exchange grants it.
  mailboxDelegates: z
    .array(
      z.strictObject({
        oid: Guid,
        rights: z
          .array(z.enum(["FullAccess", "SendAs", "SendOnBehalf"]))
          .min(1)
          .max(3),
      }),
    )
    .max(50)
    .optional(),
});

// Like the portal's Upload: a certificate's public part, PEM or base64 DER (a .cer file's content).
export const CertificateSchema = z.strictObject({ certificate: z.string().min(1).max(20_000) });

export const MintTokenSchema = z.strictObject({
  tenantId: Guid,
  oid: Guid,
  scopes: z.array(z.string().min(1)),
  clientId: Guid.optional(),
  expiresInSeconds: z.number().int().min(-3600).max(86_400).default(3600),
});
export const FaultSchema = z.strictObject({
  status: z.literal(FAULT_STATUSES),
  count: z.number().int().min(1).max(1000).default(1),
  // Real Retry-After values run from seconds to minutes; left out, the fault carries none.
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  pathContains: z.string().optional(),
  method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]).optional(),
  userKey: z.string().optional(),
});

/** A certificate as the control API shows it: thumbprints and validity, never more. */
function certificateView(certificate: EmulatedCertificate) {
  return {
    thumbprint: certificate.thumbprint,
    x5t: certificate.x5t,
    x5tS256: certificate.x5tS256,
    notBefore: new Date(certificate.notBefore).toISOString(),
    notAfter: new Date(certificate.notAfter).toISOString(),
  };
}

async function parse<S extends z.ZodType>(request: Request, schema: S) {
  const result = schema.safeParse(await request.json().catch(() => undefined));
  return result;
}

function invalid(error: z.ZodError): Response {
  return Response.json(
    { error: "invalid_request", issues: error.issues.map((i) => ({ field: i.path.join("."), message: i.message })) },
    { status: 400 },
  );
}

export const controlRoutes = new Hono<EmulatorEnv>()
  .post("/_emulator/tenants", async (c) => {
    const input = await parse(c.req.raw, TenantSchema);
    if (!input.success) return invalid(input.error);
    const tenant = c.get("state").upsertTenant(input.data.tenantId, input.data.displayName, input.data.cloud);
    return c.json({ tenantId: tenant.tenantId, displayName: tenant.displayName, cloud: tenant.cloud }, 201);
  })
  .patch("/_emulator/tenants/:tenantId", async (c) => {
    const input = await parse(c.req.raw, TenantSettingsSchema);
    if (!input.success) return invalid(input.error);
    const tenant = c.get("state").tenant(c.req.param("tenantId"));
    if (!tenant) return c.json({ error: "not_found", message: "unknown tenant" }, 404);
    tenant.userConsent = input.data.userConsent;
    return c.json({ tenantId: tenant.tenantId, userConsent: tenant.userConsent });
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
  // Certificates & secrets → Certificates → Upload: the same certificate twice is kept once.
  .post("/_emulator/tenants/:tenantId/apps/:clientId/certificates", async (c) => {
    const input = await parse(c.req.raw, CertificateSchema);
    if (!input.success) return invalid(input.error);
    const app = c.get("state").tenant(c.req.param("tenantId"))?.apps.get(c.req.param("clientId").toLowerCase());
    if (!app) return c.json({ error: "not_found", message: "unknown tenant or app" }, 404);
    const certificate = await parseCertificate(input.data.certificate);
    if ("error" in certificate) {
      return c.json({ error: "invalid_request", issues: [{ field: "certificate", message: certificate.error }] }, 400);
    }
    app.certificates = [...(app.certificates ?? []).filter((known) => known.thumbprint !== certificate.thumbprint), certificate];
    return c.json(certificateView(certificate), 201);
  })
  .get("/_emulator/tenants/:tenantId/apps/:clientId/certificates", (c) => {
    const app = c.get("state").tenant(c.req.param("tenantId"))?.apps.get(c.req.param("clientId").toLowerCase());
    if (!app) return c.json({ error: "not_found", message: "unknown tenant or app" }, 404);
    return c.json({ certificates: (app.certificates ?? []).map(certificateView) });
  })
  // Removing a certificate: assertions it signs stop working at once.
  .delete("/_emulator/tenants/:tenantId/apps/:clientId/certificates/:thumbprint", (c) => {
    const app = c.get("state").tenant(c.req.param("tenantId"))?.apps.get(c.req.param("clientId").toLowerCase());
    const thumbprint = c.req.param("thumbprint").toUpperCase();
    if (!app?.certificates?.some((known) => known.thumbprint === thumbprint)) {
      return c.json({ error: "not_found", message: "unknown tenant, app or certificate" }, 404);
    }
    app.certificates = app.certificates.filter((known) => known.thumbprint !== thumbprint);
    return c.body(null, 204);
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
  // A Graph token for a user without the sign-in dance, for Graph-only tests.
  .post("/_emulator/tokens", async (c) => {
    const input = await parse(c.req.raw, MintTokenSchema);
    if (!input.success) return invalid(input.error);
    const tenant = c.get("state").tenant(input.data.tenantId);
    const user = tenant?.users.get(input.data.oid);
    const keys = tenant && c.get("keysByCloud").get(tenant.cloud);
    if (!tenant || !user || !keys) return c.json({ error: "not_found", message: "unknown tenant or user" }, 404);
    // Signed and addressed as the tenant's own cloud would issue it.
    const accessToken = await mintGraphToken(keys, {
      audience: GRAPH_RESOURCES[tenant.cloud],
      tenantId: input.data.tenantId.toLowerCase(),
      user,
      clientId: input.data.clientId ?? "00000000-0000-0000-0000-000000000000",
      scopes: input.data.scopes,
      lifetimeSeconds: input.data.expiresInSeconds,
      generation: c.get("state").tokenGeneration(input.data.tenantId.toLowerCase(), user.oid),
    });
    return c.json({ access_token: accessToken, expires_in: input.data.expiresInSeconds });
  })
  .post("/_emulator/faults", async (c) => {
    const input = await parse(c.req.raw, FaultSchema);
    if (!input.success) return invalid(input.error);
    const { count, ...rule } = input.data;
    c.get("faults").add({ ...rule, remaining: count });
    return c.json({ queued: count }, 201);
  })
  // Faults queued and not yet served (all, or one user's): lets a load test see how many fired.
  .get("/_emulator/faults", (c) => c.json({ pending: c.get("faults").pending(c.req.query("userKey")) }))
  // All queued faults, or (with ?userKey=) only one user's, so parallel tests do not clear each other's.
  .delete("/_emulator/faults", (c) => {
    c.get("faults").clear(c.req.query("userKey"));
    return c.body(null, 204);
  })
  // Revokes every access and refresh token of a user (sign-out everywhere).
  .post("/_emulator/tenants/:tenantId/users/:oid/revoke", (c) => {
    c.get("state").revokeUserTokens(c.req.param("tenantId").toLowerCase(), c.req.param("oid"));
    return c.body(null, 204);
  })
  // The next id_token issued to this app is broken in the given way.
  .post("/_emulator/tenants/:tenantId/apps/:clientId/id-token-fault", async (c) => {
    const input = await parse(
      c.req.raw,
      z.strictObject({
        fault: z.enum(["wrong-issuer", "wrong-audience", "wrong-nonce", "foreign-tid", "alg-none", "unknown-key", "expired"]),
      }),
    );
    if (!input.success) return invalid(input.error);
    const app = c.get("state").tenant(c.req.param("tenantId"))?.apps.get(c.req.param("clientId").toLowerCase());
    if (!app) return c.json({ error: "not_found", message: "unknown tenant or app" }, 404);
    app.idTokenFault = input.data.fault;
    return c.body(null, 204);
  })
  // How many refresh_token requests for this user's tokens issued tokens or were refused.
  .get("/_emulator/tenants/:tenantId/users/:oid/refreshes", (c) =>
    c.json(c.get("state").grants.refreshCount(c.req.param("tenantId"), c.req.param("oid"))),
  )
  // Makes matching authorization codes and/or refresh tokens expired.
  .post("/_emulator/grants/expire", async (c) => {
    const input = await parse(
      c.req.raw,
      z.strictObject({ kind: z.enum(["code", "refresh_token", "all"]), tenantId: Guid.optional(), oid: Guid.optional() }),
    );
    if (!input.success) return invalid(input.error);
    return c.json({ expired: c.get("state").grants.expire(input.data) });
  })
  .post("/_emulator/keys/rotate", async (c) => c.json({ kid: await c.get("keys").rotate() }))
  // The day seeded content is laid out around, so tests derive their windows from it.
  .get("/_emulator/seed", (c) => c.json({ seedDate: formatSeedDate(c.get("graph").seedDay) }))
  .get("/_emulator/health", (c) => c.json({ status: "ok", tenants: c.get("state").tenants.size }));
