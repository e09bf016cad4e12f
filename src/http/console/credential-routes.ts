import { Hono, type Context } from "hono";
import { ApiError } from "../errors";
import { certificateFile, CertificateValiditySchema } from "../certificate-credentials";
import { credentialsBody } from "../pages/console/admin-pages";
import { certificateSection, type CertificateSectionInput } from "../pages/console/credentials-page";
import {
  deleteClientSecret,
  generateTenantCertificate,
  promoteTenantCertificate,
  tenantCertificate,
  useClientSecret,
  verifyTenantCertificate,
} from "../tenant-admin-actions";
import { cloudEndpoints } from "../../tenancy/clouds";
import { holdsSecret } from "../../tenancy/secret-envelope";
import type { ConsoleEnv } from "./context";
import { back, deps, flashOf, form, render, text } from "./view";

/**
 * @module The console's Credentials page and its certificate actions:
 * generate (with a validity choice), download .cer/.pem, verify, promote,
 * delete the client secret, go back to it. Every action is the shared one in
 * tenant-admin-actions.ts; a refusal is shown at the certificate (or form)
 * it concerns.
 */

type PageErrors = { clientSecret?: string; clientSecretExpiresAt?: string } & CertificateSectionInput["errors"];

/** The app's Certificates & secrets blade in the admin center of the tenant's cloud. */
function appCredentialsUrl(c: Context<ConsoleEnv>): string {
  const tenant = c.get("tenant");
  const portal = cloudEndpoints(c.get("config"), tenant.cloud).portalBase;
  return `${portal}/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${encodeURIComponent(tenant.clientId)}`;
}

/** The Credentials page: the secret's rotation form, then the certificates. */
export async function credentialsPage(c: Context<ConsoleEnv>, errors: PageErrors = {}, status: 200 | 404 | 409 | 422 | 502 = 200) {
  const tenant = c.get("tenant");
  const certificates = await c.get("registry").certificates.list(tenant.id);
  const section = certificateSection({
    csrfToken: c.get("csrfToken"),
    credentialKind: tenant.credentialKind,
    holdsSecret: holdsSecret(tenant.envelope),
    certificates,
    appCredentialsUrl: appCredentialsUrl(c),
    errors,
  });
  const body = credentialsBody({
    csrfToken: c.get("csrfToken"),
    secretHint: tenant.secretHint,
    expiresAt: tenant.secretExpiresAt,
    errors,
    flash: flashOf(c),
    certificates: section,
  });
  // The shell knows 409 as no status of its own: a refused action is shown as 422.
  return render(c, "credentials", "Credentials", body, status === 409 ? 422 : status);
}

/** A refused action, shown at what it concerns; anything else is thrown on. */
function refusal(error: unknown): { status: 404 | 422 | 502; message: string } {
  if (!(error instanceof ApiError)) throw error;
  const status = error.status === 404 ? 404 : error.status === 502 ? 502 : 422;
  return { status, message: error.message };
}

export const consoleCredentialRoutes = new Hono<ConsoleEnv>()
  .post("/admin/credentials/certificates", async (c) => {
    const months = CertificateValiditySchema.safeParse(text((await form(c)).validityMonths) || undefined);
    if (!months.success) return credentialsPage(c, { generate: months.error.issues[0]?.message }, 422);
    await generateTenantCertificate(deps(c), { months: months.data, host: new URL(c.req.url).host });
    return back(c, "/admin/credentials", "certificate-generated");
  })
  .get("/admin/credentials/certificates/:id/:file{certificate\\.(cer|pem)}", async (c) => {
    let row;
    try {
      row = await tenantCertificate(deps(c), c.req.param("id"));
    } catch (error) {
      const { status, message } = refusal(error);
      return credentialsPage(c, { generate: message }, status);
    }
    const file = certificateFile(row, c.get("tenant").slug, c.req.param("file"));
    return c.body(file.body, 200, file.headers);
  })
  .post("/admin/credentials/certificates/:id/verify", async (c) => {
    const id = c.req.param("id");
    try {
      await verifyTenantCertificate(deps(c), id);
    } catch (error) {
      const { status, message } = refusal(error);
      return credentialsPage(c, { certificateId: id, message }, status);
    }
    return back(c, "/admin/credentials", "certificate-verified");
  })
  .post("/admin/credentials/certificates/:id/promote", async (c) => {
    const id = c.req.param("id");
    try {
      await promoteTenantCertificate(deps(c), id);
    } catch (error) {
      const { status, message } = refusal(error);
      return credentialsPage(c, { certificateId: id, message }, status);
    }
    return back(c, "/admin/credentials", "certificate-promoted");
  })
  .post("/admin/credentials/delete-secret", async (c) => {
    try {
      await deleteClientSecret(deps(c));
    } catch (error) {
      const { status, message } = refusal(error);
      return credentialsPage(c, { secret: message }, status);
    }
    return back(c, "/admin/credentials", "secret-deleted");
  })
  .post("/admin/credentials/use-secret", async (c) => {
    try {
      await useClientSecret(deps(c));
    } catch (error) {
      const { status, message } = refusal(error);
      return credentialsPage(c, { secret: message }, status);
    }
    return back(c, "/admin/credentials", "secret-in-use");
  });
