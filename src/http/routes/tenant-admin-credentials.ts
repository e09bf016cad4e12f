import { Hono, type Context } from "hono";
import { z } from "zod";
import { certificateAnswer, certificateFile, CertificateValiditySchema, certificateView } from "../certificate-credentials";
import type { TenantEnv } from "../context";
import { validationError } from "../errors";
import { readJsonBody } from "../json-body";
import {
  credentialsOverview,
  deleteClientSecret,
  generateTenantCertificate,
  promoteTenantCertificate,
  tenantCertificate,
  useClientSecret,
  verifyTenantCertificate,
} from "../tenant-admin-actions";
import { cloudEndpoints } from "../../tenancy/clouds";
import { actionDeps } from "./admin-deps";

/**
 * @module The app's credentials on the tenant admin API (mounted under
 * tenant-admin.ts, behind its admin-key check): list them, generate a
 * certificate, download it (.cer, .pem), verify it with Entra, promote it,
 * delete the client secret, or go back to the secret. Every action is the
 * shared one in tenant-admin-actions.ts, so the console applies the same
 * rules. A certificate id of another organization is a 404.
 */

const GenerateSchema = z.strictObject({ validityMonths: CertificateValiditySchema });
const CertificateId = z.uuid({ error: "expected a certificate id (a UUID) from GET /api/admin/credentials" });

/** The certificate id in the path, validated. */
function certificateId(c: Context<TenantEnv>): string {
  const parsed = z.object({ id: CertificateId }).safeParse({ id: c.req.param("id") });
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data.id;
}

/** The generate body is optional: no body means the default validity. */
async function generateInput(c: Context<TenantEnv>) {
  const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("content-type") !== undefined;
  return hasBody ? readJsonBody(c, GenerateSchema) : GenerateSchema.parse({});
}

function links(c: Context<TenantEnv>) {
  const url = new URL(c.req.url);
  return { tenantUrl: url.origin, portalUrl: cloudEndpoints(c.get("config"), c.get("tenant").cloud).portalBase };
}

const NO_STORE = { "cache-control": "no-store" };

export const tenantAdminCredentialsRoutes = new Hono<TenantEnv>()
  .get("/api/admin/credentials", async (c) => c.json(await credentialsOverview(actionDeps(c)), 200, NO_STORE))
  .post("/api/admin/credentials/certificates", async (c) => {
    const input = await generateInput(c);
    const row = await generateTenantCertificate(actionDeps(c), { months: input.validityMonths, host: new URL(c.req.url).host });
    return c.json(
      {
        certificate: certificateAnswer(row, links(c)),
        notice: "Upload this certificate to the app, then verify and promote it. Until then the current credential keeps signing.",
      },
      201,
      NO_STORE,
    );
  })
  .get("/api/admin/credentials/certificates/:id/:file{certificate\\.(cer|pem)}", async (c) => {
    const row = await tenantCertificate(actionDeps(c), certificateId(c));
    const file = certificateFile(row, c.get("tenant").slug, c.req.param("file"));
    return c.body(file.body, 200, file.headers);
  })
  .post("/api/admin/credentials/certificates/:id/verify", async (c) => {
    const row = await verifyTenantCertificate(actionDeps(c), certificateId(c));
    return c.json({ certificate: certificateView(row) }, 200, NO_STORE);
  })
  .post("/api/admin/credentials/certificates/:id/promote", async (c) => {
    const { promoted, previous } = await promoteTenantCertificate(actionDeps(c), certificateId(c));
    return c.json(
      {
        credentialKind: "certificate",
        certificate: { ...certificateView(promoted), status: "active" },
        notice: previous
          ? `The gateway now signs with this certificate. Remove the previous certificate (thumbprint ${previous.thumbprint}) from the app in Entra: Certificates & secrets → Certificates.`
          : "The gateway now signs with this certificate. Once it works, you can delete the client secret here and in Entra.",
      },
      200,
      NO_STORE,
    );
  })
  .delete("/api/admin/client-secret", async (c) => {
    await deleteClientSecret(actionDeps(c));
    return c.json({
      clientSecret: null,
      notice:
        "The gateway no longer holds the client secret. Delete it from the app in Entra too: Certificates & secrets → Client secrets.",
    });
  })
  .post("/api/admin/credentials/use-secret", async (c) => {
    await useClientSecret(actionDeps(c));
    return c.json({ credentialKind: "secret" });
  });
