import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import { toolsUnderPolicy } from "../../agent/register-tools";
import { checkClientCredentials } from "../../entra/token";
import { delegatedPermissions } from "../../graph/tool-groups";
import { canonicalOrigin } from "../../oauth/provider-env";
import { tenantEntraApp } from "../../oauth/tenant-secret";
import { cloudEndpoints } from "../../tenancy/clouds";
import { ClientSecretSchema, SecretExpirySchema } from "../../tenancy/inputs";
import { daysUntil } from "../../tenancy/maintenance";
import { tenantAdminConsentUrl } from "../../tenancy/admin-consent";
import { TenantPolicyPatchSchema } from "../../tenancy/policy";
import { ApiError } from "../errors";
import { credentialsPage } from "./credential-routes";
import { policyBody } from "../pages/console/policy-page";
import { setupBody, type SetupFacts } from "../pages/console/setup-page";
import { changePolicy, rotateClientSecret } from "../tenant-admin-actions";
import type { ConsoleEnv } from "./context";
import { adminActionEvent } from "../../audit/events";
import { auditOf } from "../audit";
import { back, consoleParty, deps, flashOf, form, list, render, text } from "./view";

/**
 * @module The console's Setup checklist (with "Check now" and the secret's
 * expiry date), Policy and Credentials (Alerts: alerts-routes.ts).
 */

/** What the Setup page shows, as stored now; `credentialCheck` is the answer of "Check now" when it was just asked. */
export async function setupFacts(c: Context<ConsoleEnv>, credentialCheck?: SetupFacts["credentialCheck"]): Promise<SetupFacts> {
  const tenant = c.get("tenant");
  const config = c.get("config");
  const origin = canonicalOrigin(config, tenant);
  const permissions = delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly);
  const [counts, alerts, active] = await Promise.all([
    c.get("registry").signInCounts(tenant.id),
    c.get("registry").alerts(tenant.id),
    tenant.credentialKind === "certificate" ? c.get("registry").certificates.active(tenant.id) : undefined,
  ]);
  return {
    csrfToken: c.get("csrfToken"),
    redirectUri: `${origin}/callback`,
    mcpUrl: `${origin}/mcp`,
    adminConsentUrl: tenantAdminConsentUrl(tenant, config, `${origin}/callback`),
    permissions,
    credentialCheck,
    secretDaysLeft: tenant.secretExpiresAt ? daysUntil(tenant.secretExpiresAt) : undefined,
    credential:
      tenant.credentialKind === "certificate"
        ? { kind: "certificate", daysLeft: active ? daysUntil(active.notAfter) : undefined }
        : { kind: "secret" },
    adminConsentAt: tenant.adminConsentAt,
    consentAlertAt: alerts.find((alert) => alert.kind === "admin_consent_required")?.createdAt,
    signedInUsers: counts.users,
    consoleSignIns: counts.consoleAdmins,
  };
}

/** "Check now": the same client-credentials check as signup, with the secret the gateway holds. */
async function checkCredentials(c: Context<ConsoleEnv>): Promise<SetupFacts["credentialCheck"]> {
  const tenant = c.get("tenant");
  const config = c.get("config");
  const check = await checkClientCredentials(
    await tenantEntraApp(tenant, config, c.get("registry")),
    cloudEndpoints(config, tenant.cloud).graphResource,
  );
  if (check.ok) return { ok: true };
  return {
    ok: false,
    message:
      check.kind === "unreachable"
        ? `Microsoft could not be asked (${check.reason}); try again shortly.`
        : `Microsoft refused the credentials${check.aadsts ? ` (${check.aadsts})` : ""}: ${check.reason}.`,
  };
}

const CredentialsForm = z.object({
  clientSecret: ClientSecretSchema,
  clientSecretExpiresAt: z.union([z.literal("").transform(() => undefined), SecretExpirySchema]),
});

async function policyPage(c: Context<ConsoleEnv>, groupsError?: string, status: 200 | 400 = 200) {
  const policy = c.get("tenant").policy;
  return render(
    c,
    "policy",
    "Policy",
    policyBody({ csrfToken: c.get("csrfToken"), policy, tools: toolsUnderPolicy(policy), groupsError, flash: flashOf(c) }),
    status,
  );
}

export const consoleSetupRoutes = new Hono<ConsoleEnv>()
  .get("/admin", async (c) => render(c, "setup", "Setup", setupBody(await setupFacts(c), flashOf(c))))
  .post("/admin/check-credentials", async (c) =>
    render(c, "setup", "Setup", setupBody(await setupFacts(c, await checkCredentials(c)), html``)),
  )
  .post("/admin/secret-expiry", async (c) => {
    const input = SecretExpirySchema.safeParse(text((await form(c)).clientSecretExpiresAt));
    if (!input.success) {
      const facts = { ...(await setupFacts(c)), expiryError: input.error.issues[0]?.message ?? "expected a date" };
      return render(c, "setup", "Setup", setupBody(facts, html``), 400);
    }
    await c.get("registry").setSecretExpiry(c.get("tenant").id, input.data);
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    const before = { clientSecretExpiresAt: c.get("tenant").secretExpiresAt?.toISOString() ?? null };
    const after = { clientSecretExpiresAt: input.data.toISOString() };
    auditOf(c).record(adminActionEvent(consoleParty(c), { action: "client_secret_expiry.set", outcome: "ok", before, after }));
    return back(c, "/admin", "expiry-saved");
  })
  .get("/admin/policy", (c) => policyPage(c))
  .post("/admin/policy", async (c) => {
    const body = await form(c);
    const patch = TenantPolicyPatchSchema.safeParse({
      readOnly: text(body.readOnly) === "on",
      enabledGroups: list(body.enabledGroups),
      allowCustomSchemeRedirects: text(body.allowCustomSchemeRedirects) === "on",
    });
    if (!patch.success) return policyPage(c, "Choose the tool groups from the list", 400);
    try {
      await changePolicy(deps(c), patch.data);
    } catch (error) {
      if (error instanceof z.ZodError) return policyPage(c, "Enable at least one tool group", 400);
      throw error;
    }
    return back(c, "/admin/policy", "policy-saved");
  })
  .get("/admin/credentials", (c) => credentialsPage(c))
  .post("/admin/credentials", async (c) => {
    const body = await form(c);
    const input = CredentialsForm.safeParse({
      clientSecret: text(body.clientSecret),
      clientSecretExpiresAt: text(body.clientSecretExpiresAt),
    });
    if (!input.success) {
      const errors: Record<string, string> = {};
      for (const issue of input.error.issues) errors[String(issue.path[0])] ??= issue.message;
      return credentialsPage(c, errors, 422);
    }
    try {
      await rotateClientSecret(deps(c), input.data);
    } catch (error) {
      if (error instanceof ApiError && (error.code === "entra_credentials_rejected" || error.code === "entra_unreachable")) {
        return credentialsPage(c, { clientSecret: error.message }, error.status === 502 ? 502 : 422);
      }
      throw error;
    }
    return back(c, "/admin/credentials", "secret-saved");
  });
