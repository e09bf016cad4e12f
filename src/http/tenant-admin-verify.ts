import type { Config } from "../config";
import { checkClientCredentials } from "../entra/token";
import { delegatedPermissions } from "../graph/tool-groups";
import { canonicalOrigin } from "../oauth/provider-env";
import { openTenantSecret } from "../oauth/tenant-secret";
import { cloudEndpoints } from "../tenancy/clouds";
import { daysUntil } from "../tenancy/maintenance";
import { adminConsentUrl } from "../tenancy/onboarding";
import type { Registry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";

/**
 * @module "Verify setup": one report, item by item, that the admin API
 * (`POST /api/admin/verify`) and the console's Setup page both show, so an
 * admin sees the same verdicts and the same fixes whichever way they ask.
 * Each item is "ok", a "problem" with its fix, or "unknown" when the
 * gateway cannot tell yet (with what would tell it).
 */

export type VerifyStatus = "ok" | "problem" | "unknown";

export interface VerifyItem {
  id: "credentials" | "secret_expiry" | "admin_consent" | "redirect_uri" | "first_user";
  status: VerifyStatus;
  summary: string;
  fix?: string;
}

export interface VerifyDeps {
  config: Config;
  registry: Registry;
  tenant: Tenant;
}

/** Days before expiry from which the secret is reported as a problem (the same 30 days as the expiry alerts). */
const EXPIRY_WARNING_DAYS = 30;

/** Runs every check; only the credentials item asks Microsoft, the others read what the gateway recorded. */
export async function verifySetup(deps: VerifyDeps): Promise<{ items: VerifyItem[] }> {
  const { tenant, config, registry } = deps;
  const redirectUri = `${canonicalOrigin(config, tenant)}/callback`;
  const [credentials, counts, alerts] = await Promise.all([
    credentialsItem(deps),
    registry.signInCounts(tenant.id),
    registry.alerts(tenant.id),
  ]);
  const consentAlertAt = alerts.find((alert) => alert.kind === "admin_consent_required")?.createdAt;
  return {
    items: [
      credentials,
      expiryItem(tenant.secretExpiresAt),
      consentItem(tenant.adminConsentAt, consentAlertAt, consentLink(deps, redirectUri)),
      redirectItem(counts.users + counts.consoleAdmins, redirectUri),
      firstUserItem(counts.users),
    ],
  };
}

/** Item 1: Microsoft's answer now to a client-credentials request with the secret the gateway holds. */
async function credentialsItem({ tenant, config }: VerifyDeps): Promise<VerifyItem> {
  const endpoints = cloudEndpoints(config, tenant.cloud);
  const check = await checkClientCredentials(
    {
      loginBase: endpoints.loginBase,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      clientSecret: await openTenantSecret(tenant, config),
    },
    endpoints.graphResource,
  );
  if (check.ok) return { id: "credentials", status: "ok", summary: "Microsoft accepted the gateway's client ID and secret just now." };
  if (check.kind === "unreachable") {
    return { id: "credentials", status: "unknown", summary: `Microsoft could not be asked (${check.reason}).`, fix: "Try again shortly." };
  }
  return {
    id: "credentials",
    status: "problem",
    summary: `Microsoft refused the credentials${check.aadsts ? ` (${check.aadsts})` : ""}: ${check.reason}.`,
    fix: "Create a new client secret in the Entra admin center (App registrations → your app → Certificates & secrets → New client secret) and set its Value as the gateway's client secret.",
  };
}

/** Item 2: the recorded expiry date of the client secret. */
function expiryItem(expiresAt: Date | null): VerifyItem {
  const fix = "Create a new client secret in Entra and set it on the gateway before the current one expires.";
  if (!expiresAt) {
    return {
      id: "secret_expiry",
      status: "unknown",
      summary: "No expiry date is recorded for the client secret.",
      fix: "Set the secret's expiry date (Entra shows it under App registrations → your app → Certificates & secrets → Expires).",
    };
  }
  const days = daysUntil(expiresAt);
  if (days < 0) return { id: "secret_expiry", status: "problem", summary: "The client secret has expired: nobody can sign in.", fix };
  const summary = `The client secret expires in ${days} day${days === 1 ? "" : "s"}.`;
  return days < EXPIRY_WARNING_DAYS
    ? { id: "secret_expiry", status: "problem", summary, fix }
    : { id: "secret_expiry", status: "ok", summary };
}

/**
 * Item 3: admin consent, as the gateway has seen it: granted through its
 * link, and no sign-in refused for missing consent since (a policy that
 * added permissions needs consent again).
 */
function consentItem(consentAt: Date | null, consentAlertAt: Date | undefined, link: string): VerifyItem {
  const fix = `An administrator grants the permissions once for everyone: ${link}`;
  if (consentAt && consentAlertAt && consentAlertAt > consentAt) {
    return {
      id: "admin_consent",
      status: "problem",
      summary: `A sign-in needed an administrator's consent on ${consentAlertAt.toISOString()}, after consent was last granted.`,
      fix,
    };
  }
  if (consentAt) return { id: "admin_consent", status: "ok", summary: `Admin consent was granted on ${consentAt.toISOString()}.` };
  if (consentAlertAt) {
    return { id: "admin_consent", status: "problem", summary: "A sign-in was refused because no administrator has consented.", fix };
  }
  return { id: "admin_consent", status: "unknown", summary: "No administrator has granted consent through the gateway's link yet.", fix };
}

/** Item 4: a sign-in that came back to /callback proves Entra knows the redirect URI. */
function redirectItem(signIns: number, redirectUri: string): VerifyItem {
  if (signIns > 0)
    return { id: "redirect_uri", status: "ok", summary: "Sign-ins come back to the gateway, so Entra knows its redirect URI." };
  return {
    id: "redirect_uri",
    status: "unknown",
    summary: "Nobody has signed in through the gateway yet, so it cannot tell whether Entra knows its redirect URI.",
    fix: `In the Entra admin center, App registrations → your app → Authentication → Web → Redirect URIs, add ${redirectUri} (without it, Microsoft answers AADSTS50011: the redirect URI does not match).`,
  };
}

/** Item 5: how many users have connected an AI client. */
function firstUserItem(users: number): VerifyItem {
  if (users > 0)
    return { id: "first_user", status: "ok", summary: `${users} user${users === 1 ? " has" : "s have"} connected an AI client.` };
  return { id: "first_user", status: "unknown", summary: "Nobody has connected yet.", fix: "Give your users the gateway's MCP URL." };
}

/** The admin-consent link for the permissions the enabled tool groups need, on the tenant's cloud. */
function consentLink({ tenant, config }: VerifyDeps, redirectUri: string): string {
  const endpoints = cloudEndpoints(config, tenant.cloud);
  return adminConsentUrl({
    loginBase: endpoints.loginBase,
    graphResource: endpoints.graphResource,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    redirectUri,
    permissions: delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly),
  });
}
