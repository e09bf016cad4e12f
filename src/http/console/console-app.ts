import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { html } from "hono/html";
import { z } from "zod";
import { toolsUnderPolicy } from "../../agent/register-tools";
import { checkClientCredentials } from "../../entra/token";
import { delegatedPermissions } from "../../graph/tool-groups";
import { canonicalOrigin } from "../../oauth/provider-env";
import { openTenantSecret } from "../../oauth/tenant-secret";
import { daysUntil } from "../../tenancy/maintenance";
import { adminConsentUrl } from "../../tenancy/onboarding";
import { ClientSecretSchema, SecretExpirySchema } from "../../tenancy/inputs";
import { TenantPolicyPatchSchema } from "../../tenancy/policy";
import type { TenantEnv } from "../context";
import { ApiError } from "../errors";
import { consolePage, type ConsoleSection } from "../pages/console/layout";
import { adminKeyBody, alertsBody, credentialsBody, goodbyeBody, settingsBody, type SettingsInput } from "../pages/console/admin-pages";
import { flashNote } from "../pages/console/parts";
import { policyBody } from "../pages/console/policy-page";
import { setupBody, type SetupFacts } from "../pages/console/setup-page";
import { page } from "../pages/layout";
import {
  changePolicy,
  changeStatus,
  deleteTenant,
  rotateAdminKey,
  rotateClientSecret,
  type AdminActionDeps,
} from "../tenant-admin-actions";
import type { ConsoleEnv } from "./context";
import { requireConsoleSession, requireCsrfToken, sameOrigin } from "./guard";
import { consolePageHeaders } from "./respond";
import { deleteSession, SESSION_COOKIE } from "./session";
import { startConsoleSignIn } from "./sign-in";
import { signedOutPage } from "../pages/console/sign-in-pages";

/**
 * @module The org's admin console at `/admin` on its own host: sign-in, then
 * Setup, Policy, Credentials, Alerts and Organization. Plain HTML forms
 * (POST, then redirect to a page with a fixed note); every change goes
 * through the same actions as the admin API.
 */

/** Notes after a change, chosen by a fixed key: the query never puts text on the page. */
const FLASH = {
  "policy-saved": "Policy saved. Users' AI clients see the change on their next tools list.",
  "expiry-saved": "Expiry date saved. The gateway warns you 30 days before it.",
  "secret-saved": "Microsoft accepted the new client secret; it replaces the previous one.",
  "admin-added": "Console admin added. They can sign in now.",
  "admin-removed": "Console admin removed.",
  "roles-on": "Entra administrators are admitted now.",
  "roles-off": "Entra administrators are no longer admitted (unless listed).",
  suspended: "The organization is suspended.",
  resumed: "The organization is active again.",
} as const;

function flashOf(c: Context<ConsoleEnv>) {
  const key = c.req.query("done");
  return flashNote(key && Object.hasOwn(FLASH, key) ? FLASH[key as keyof typeof FLASH] : undefined);
}

function render(
  c: Context<ConsoleEnv>,
  current: ConsoleSection,
  title: string,
  body: Parameters<typeof consolePage>[1],
  status: 200 | 400 | 403 | 404 | 422 | 502 = 200,
) {
  const admin = c.get("consoleAdmin");
  const context = { orgName: c.get("tenant").displayName, adminName: admin.name || admin.upn, csrfToken: c.get("csrfToken"), current };
  return c.html(consolePage(title, body, context), status, consolePageHeaders());
}

function deps(c: Context<ConsoleEnv>): AdminActionDeps {
  return { config: c.get("config"), registry: c.get("registry"), tenantCache: c.get("tenantCache"), env: c.env, tenant: c.get("tenant") };
}

async function form(c: Context<ConsoleEnv>) {
  return c.req.parseBody({ all: true });
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return typeof value === "string" ? [value] : [];
}

async function setupFacts(c: Context<ConsoleEnv>, credentialCheck?: SetupFacts["credentialCheck"]): Promise<SetupFacts> {
  const tenant = c.get("tenant");
  const config = c.get("config");
  const origin = canonicalOrigin(config, tenant);
  const permissions = delegatedPermissions(tenant.policy.enabledGroups, tenant.policy.readOnly);
  const [counts, alerts] = await Promise.all([c.get("registry").signInCounts(tenant.id), c.get("registry").alerts(tenant.id)]);
  return {
    csrfToken: c.get("csrfToken"),
    redirectUri: `${origin}/callback`,
    mcpUrl: `${origin}/mcp`,
    adminConsentUrl: adminConsentUrl({
      loginBase: config.LOGIN_BASE,
      entraTenantId: tenant.entraTenantId,
      clientId: tenant.clientId,
      redirectUri: `${origin}/callback`,
      permissions,
    }),
    permissions,
    credentialCheck,
    secretDaysLeft: tenant.secretExpiresAt ? daysUntil(tenant.secretExpiresAt) : undefined,
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
  const check = await checkClientCredentials({
    loginBase: config.LOGIN_BASE,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    clientSecret: await openTenantSecret(tenant, config),
  });
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

const EmailForm = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "expected a sign-in name such as alex@contoso.com" }).max(254, "a sign-in name is at most 254 characters")),
});

function credentialsPage(
  c: Context<ConsoleEnv>,
  errors: { clientSecret?: string; clientSecretExpiresAt?: string } = {},
  status: 200 | 422 | 502 = 200,
) {
  const tenant = c.get("tenant");
  return render(
    c,
    "credentials",
    "Credentials",
    credentialsBody({
      csrfToken: c.get("csrfToken"),
      secretHint: tenant.secretHint,
      expiresAt: tenant.secretExpiresAt,
      errors,
      flash: flashOf(c),
    }),
    status,
  );
}

async function settingsPage(c: Context<ConsoleEnv>, errors: SettingsInput["errors"] = {}, status: 200 | 400 | 403 = 200) {
  const tenant = c.get("tenant");
  const admins = await c.get("registry").consoleAdmins(tenant.id);
  return render(
    c,
    "settings",
    "Organization",
    settingsBody({
      csrfToken: c.get("csrfToken"),
      slug: tenant.slug,
      host: new URL(canonicalOrigin(c.get("config"), tenant)).host,
      signedInUserId: c.get("consoleAdmin").userId,
      admins,
      consoleAdminRoles: tenant.consoleAdminRoles,
      status: tenant.status,
      suspendedByOperator: tenant.suspendedBy === "operator",
      errors,
      flash: flashOf(c),
    }),
    status,
  );
}

const back = (c: Context<ConsoleEnv>, path: string, done: keyof typeof FLASH) => c.redirect(`${path}?done=${done}`, 303);

export function consoleApp(signInBudget: MiddlewareHandler<TenantEnv>) {
  const session = new Hono<ConsoleEnv>()
    .use("/admin", requireConsoleSession, requireCsrfToken)
    .use("/admin/*", requireConsoleSession, requireCsrfToken)
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
    })
    .get("/admin/alerts", async (c) => render(c, "alerts", "Alerts", alertsBody(await c.get("registry").alerts(c.get("tenant").id))))
    .get("/admin/settings", (c) => settingsPage(c))
    .post("/admin/settings/admins", async (c) => {
      const input = EmailForm.safeParse({ email: text((await form(c)).email) });
      if (!input.success) return settingsPage(c, { email: input.error.issues[0]?.message ?? "expected a sign-in name" }, 400);
      const added = await c
        .get("registry")
        .addConsoleAdmin(c.get("tenant").id, input.data.email, c.get("consoleAdmin").upn || c.get("consoleAdmin").userId);
      if (!added) return settingsPage(c, { email: `${input.data.email} is already a console admin` }, 400);
      return back(c, "/admin/settings", "admin-added");
    })
    .post("/admin/settings/admins/remove", async (c) => {
      const email = text((await form(c)).email).toLowerCase();
      const tenant = c.get("tenant");
      const mine = (await c.get("registry").consoleAdminByUserId(tenant.id, c.get("consoleAdmin").userId))?.email === email;
      const result = await c.get("registry").removeConsoleAdmin(tenant.id, email);
      if (result === "last") return settingsPage(c, { email: "The last console admin cannot be removed; add another first" }, 400);
      if (result === "missing") return settingsPage(c, { email: `${email || "That name"} is not a console admin` }, 400);
      if (mine) return signOut(c);
      return back(c, "/admin/settings", "admin-removed");
    })
    .post("/admin/settings/entra-roles", async (c) => {
      const admit = text((await form(c)).admit) === "on";
      await c.get("registry").setConsoleAdminRoles(c.get("tenant").id, admit);
      c.get("tenantCache").invalidate(c.get("tenant").slug);
      return back(c, "/admin/settings", admit ? "roles-on" : "roles-off");
    })
    .post("/admin/settings/admin-key", async (c) => render(c, "settings", "New admin key", adminKeyBody(await rotateAdminKey(deps(c)))))
    .post("/admin/settings/suspend", (c) => setStatus(c, "suspended"))
    .post("/admin/settings/resume", (c) => setStatus(c, "active"))
    .post("/admin/settings/delete", async (c) => {
      const confirm = text((await form(c)).confirm).trim();
      try {
        const purged = await deleteTenant(deps(c), confirm);
        deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
        const orgName = c.get("tenant").displayName;
        return c.html(page(`${orgName} was deleted`, goodbyeBody(orgName, purged.body.deleted)), 200, consolePageHeaders());
      } catch (error) {
        if (error instanceof ApiError && error.code === "confirmation_mismatch") {
          return settingsPage(c, { confirm: `Type ${c.get("tenant").slug} exactly to delete this organization` }, 400);
        }
        if (error instanceof ApiError && error.code === "suspended_by_operator") return settingsPage(c, { status: error.message }, 403);
        throw error;
      }
    })
    .post("/admin/sign-out", (c) => signOut(c));
  // ── Users (/admin/users) are served by consoleUsersRoutes: `.route("/", consoleUsersRoutes)` goes here, after the
  // session and CSRF middleware above and before the catch-all below.
  session.all("/admin/*", (c) => render(c, "setup", "Not found", notFoundBody(), 404));

  return new Hono<TenantEnv>()
    .use("/admin", noStore)
    .use("/admin/*", noStore)
    .post("/admin/sign-in", sameOrigin, signInBudget, (c) => startConsoleSignIn(c))
    .use("/admin", sameOrigin)
    .use("/admin/*", sameOrigin)
    .route("/", session);
}

const noStore: MiddlewareHandler<TenantEnv> = async (c, next) => {
  await next();
  c.res.headers.set("cache-control", "no-store");
};

function notFoundBody() {
  return html`<h1>Not found</h1>
    <p>There is no such page in the console.</p>`;
}

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

async function setStatus(c: Context<ConsoleEnv>, status: "active" | "suspended") {
  try {
    await changeStatus(deps(c), status);
  } catch (error) {
    if (error instanceof ApiError && error.code === "suspended_by_operator") return settingsPage(c, { status: error.message }, 403);
    throw error;
  }
  return back(c, "/admin/settings", status === "active" ? "resumed" : "suspended");
}

async function signOut(c: Context<ConsoleEnv>) {
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (sessionId) await deleteSession(c.env.OAUTH_KV, c.get("tenant").id, sessionId);
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  return c.html(signedOutPage(c.get("tenant").displayName), 200, consolePageHeaders());
}
