import { z } from "zod";
import type { Config } from "../config";
import { checkClientCredentials } from "../entra/token";
import { delegatedPermissions } from "../graph/tool-groups";
import { canonicalOrigin } from "../oauth/provider-env";
import { normalizeScope } from "../oauth/scopes";
import { tenantEntraApp } from "../oauth/tenant-secret";
import { cloudEndpoints } from "../tenancy/clouds";
import { daysUntil } from "../tenancy/maintenance";
import { tenantAdminConsentUrl } from "../tenancy/admin-consent";
import type { Registry } from "../tenancy/registry";
import type { Tenant } from "../tenancy/tenant";
import { tenantKvView } from "../tenancy/tenant-kv";

/**
 * @module "Verify setup": one report, item by item, that the admin API
 * (`POST /api/admin/verify`) and the console's Setup page both show, so an
 * admin sees the same verdicts and the same fixes whichever way they ask.
 * Each item is "ok", a "problem" with its fix, or "unknown" when the
 * gateway cannot tell yet (with what would tell it).
 */

export type VerifyStatus = "ok" | "problem" | "unknown";

export interface VerifyItem {
  id: "credentials" | "secret_expiry" | "certificate_expiry" | "admin_consent" | "redirect_uri" | "first_user";
  status: VerifyStatus;
  summary: string;
  fix?: string;
}

export interface VerifyDeps {
  config: Config;
  registry: Registry;
  tenant: Tenant;
  kv: KVNamespace;
}

/** The tenant's KV key of its latest test sign-in (inside the tenant's own prefix). */
export const TEST_SIGN_IN_KEY = "verify-test-sign-in";
/** How long a test sign-in's result is kept: a month-old answer says little about today's consent. */
export const TEST_SIGN_IN_SECONDS = 30 * 86_400;

/**
 * What a test sign-in by an admin showed: the permissions the policy needed
 * then, and either the scopes Entra granted (normalized) or the AADSTS code
 * it refused with for missing consent. Never a token.
 */
const TestSignInRecord = z.object({
  at: z.number(),
  by: z.string(),
  required: z.array(z.string()),
  /** After a refusal: what the previous test was granted, if one was. */
  granted: z.array(z.string()),
  refused: z.string().optional(),
});
export type TestSignInRecord = z.infer<typeof TestSignInRecord>;

/** Permissions compared in one spelling (Entra may prefix them with the Graph resource and change case). */
function normalizedSet(scopes: readonly string[]): Set<string> {
  return new Set(scopes.map(normalizeScope));
}

/** The permissions the tenant's enabled tool groups need now. */
function requiredPermissions(tenant: Tenant): string[] {
  return delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly);
}

export async function saveTestSignIn(kv: KVNamespace, tenantId: string, record: TestSignInRecord): Promise<void> {
  await tenantKvView(kv, tenantId).put(TEST_SIGN_IN_KEY, JSON.stringify(record), { expirationTtl: TEST_SIGN_IN_SECONDS });
}

export async function readTestSignIn(kv: KVNamespace, tenantId: string): Promise<TestSignInRecord | undefined> {
  const parsed = TestSignInRecord.safeParse(await tenantKvView(kv, tenantId).get(TEST_SIGN_IN_KEY, "json"));
  return parsed.success ? parsed.data : undefined;
}

/** Days before expiry from which the secret is reported as a problem (the same 30 days as the expiry alerts). */
const EXPIRY_WARNING_DAYS = 30;

/** Runs every check; only the credentials item asks Microsoft, the others read what the gateway recorded. */
export async function verifySetup(deps: VerifyDeps): Promise<{ items: VerifyItem[] }> {
  const { tenant, config, registry } = deps;
  const redirectUri = `${canonicalOrigin(config, tenant)}/callback`;
  const [credentials, counts, testSignIn, active] = await Promise.all([
    credentialsItem(deps),
    registry.signInCounts(tenant.id),
    readTestSignIn(deps.kv, tenant.id),
    tenant.credentialKind === "certificate" ? registry.certificates.active(tenant.id) : undefined,
  ]);
  return {
    items: [
      credentials,
      tenant.credentialKind === "certificate" ? certificateExpiryItem(active?.notAfter) : expiryItem(tenant.secretExpiresAt),
      consentItem(requiredPermissions(tenant), testSignIn, consentLink(deps, redirectUri), `${canonicalOrigin(config, tenant)}/admin`),
      redirectItem(counts.users + counts.consoleAdmins, redirectUri),
      firstUserItem(counts.users),
    ],
  };
}

/**
 * Item 1: Microsoft's answer now to a client-credentials request with the
 * credential the gateway uses: the secret, or an assertion signed with the
 * active certificate.
 */
async function credentialsItem({ tenant, config, registry }: VerifyDeps): Promise<VerifyItem> {
  const check = await checkClientCredentials(
    await tenantEntraApp(tenant, config, registry),
    cloudEndpoints(config, tenant.cloud).graphResource,
  );
  const certificate = tenant.credentialKind === "certificate";
  if (check.ok) {
    const what = certificate ? "client ID and an assertion signed with its certificate" : "client ID and secret";
    return { id: "credentials", status: "ok", summary: `Microsoft accepted the gateway's ${what} just now.` };
  }
  if (check.kind === "unreachable") {
    return { id: "credentials", status: "unknown", summary: `Microsoft could not be asked (${check.reason}).`, fix: "Try again shortly." };
  }
  return {
    id: "credentials",
    status: "problem",
    summary: `Microsoft refused the ${certificate ? "certificate" : "credentials"}${check.aadsts ? ` (${check.aadsts})` : ""}: ${check.reason}.`,
    fix: certificate
      ? "Upload the gateway's active certificate to the app (Entra admin center: App registrations → your app → Certificates & secrets → Certificates → Upload certificate); download it from GET /api/admin/credentials or the console's Credentials page."
      : "Create a new client secret in the Entra admin center (App registrations → your app → Certificates & secrets → New client secret) and set its Value as the gateway's client secret.",
  };
}

/** Item 2 for a tenant that signs with a certificate: the active certificate's notAfter. */
function certificateExpiryItem(notAfter: Date | undefined): VerifyItem {
  const fix = "Generate a new certificate, upload it to the app, verify and promote it before the current one expires.";
  if (!notAfter) return { id: "certificate_expiry", status: "problem", summary: "The gateway has no active certificate.", fix };
  const days = daysUntil(notAfter);
  if (days < 0) return { id: "certificate_expiry", status: "problem", summary: "The certificate has expired: nobody can sign in.", fix };
  const summary = `The certificate expires in ${days} day${days === 1 ? "" : "s"}.`;
  return days < EXPIRY_WARNING_DAYS
    ? { id: "certificate_expiry", status: "problem", summary, fix }
    : { id: "certificate_expiry", status: "ok", summary };
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
 * Item 3: admin consent, from the latest test sign-in by an admin: the scopes
 * Entra granted compared with what the enabled tool groups need now. A test
 * made under other permissions (the policy changed since) says nothing.
 */
function consentItem(required: string[], test: TestSignInRecord | undefined, link: string, consoleUrl: string): VerifyItem {
  const consentFix = `An administrator grants the permissions once for everyone: ${link}`;
  const testFix = `Sign in to the console at ${consoleUrl} and choose "Test sign-in with the users' permissions" on the Setup page.`;
  if (!test) return { id: "admin_consent", status: "unknown", summary: "No test sign-in is recorded.", fix: testFix };
  const asked = normalizedSet(test.required);
  const now = normalizedSet(required);
  if (asked.size !== now.size || [...now].some((scope) => !asked.has(scope))) {
    return { id: "admin_consent", status: "unknown", summary: "The permissions needed changed since the last test sign-in.", fix: testFix };
  }
  const when = new Date(test.at).toISOString();
  const missing = missingPermissions(required, test.granted);
  if (test.refused) {
    // Entra's refusal names no permission: those the previous test was granted are not the missing ones.
    const named = test.granted.length > 0 ? `; not granted at the previous test: ${missing.join(", ")}` : "";
    return {
      id: "admin_consent",
      status: "problem",
      summary: `Microsoft refused the test sign-in by ${test.by} on ${when} for missing consent (${test.refused})${named}.`,
      fix: consentFix,
    };
  }
  if (missing.length > 0) {
    return {
      id: "admin_consent",
      status: "problem",
      summary: `The test sign-in by ${test.by} on ${when} was not granted: ${missing.join(", ")}.`,
      fix: consentFix,
    };
  }
  return { id: "admin_consent", status: "ok", summary: `The test sign-in by ${test.by} on ${when} was granted every permission needed.` };
}

/** OpenID Connect scopes: asked for at every sign-in, never listed among a token's granted Graph scopes. */
const OIDC_ONLY = new Set(["openid", "profile", "offline_access"]);

/** The required permissions a test sign-in was not granted (OpenID Connect scopes aside): for the report and its audit event. */
export function missingPermissions(required: readonly string[], granted: readonly string[]): string[] {
  const grantedSet = normalizedSet(granted);
  return required.filter((permission) => !OIDC_ONLY.has(permission) && !grantedSet.has(normalizeScope(permission)));
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
  return tenantAdminConsentUrl(tenant, config, redirectUri);
}
