import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { AuditEventSchema, type AuditEvent } from "../src/audit/event";
import { delegatedPermissions, graphScope, TOOL_GROUPS } from "../src/graph/tool-groups";
import { adminBrowser, consoleTenant, postConsole, submitConsoleForm } from "./helpers/console";
import { emulator } from "./helpers/emulator";
import { json, tenantUrl } from "./helpers/gateway";
import type { Browser } from "./helpers/oauth-flow";
import { missingPermissions } from "../src/http/tenant-admin-verify";
import { DEFAULT_GROUPS } from "../src/tenancy/policy";
import { auditLog, storedTrail } from "./helpers/audit";
import { adminCall, kvNamesWithPrefix } from "./helpers/tenants";

/** "Verify setup": the report, item by item, from the admin API and the console's Setup page alike. */

interface VerifyItem {
  id: string;
  status: "ok" | "problem" | "unknown";
  summary: string;
  fix?: string;
}

async function apiReport(slug: string, adminKey: string): Promise<VerifyItem[]> {
  const response = await adminCall(slug, "/verify", adminKey, { method: "POST" });
  expect(response.status).toBe(200);
  return (await json<{ items: VerifyItem[] }>(response)).items;
}

type ConsoleTenant = Awaited<ReturnType<typeof consoleTenant>>;

/** "Test sign-in with the users' permissions" from the Setup page, through the emulator's Entra: Microsoft's answer at /callback. */
async function testSignIn(browser: Browser, tenant: ConsoleTenant, upn = tenant.admin.userPrincipalName): Promise<Response> {
  const start = await submitConsoleForm(browser, tenant.slug, "/admin", "/admin/verify/sign-in");
  expect(start.status).toBe(302);
  const entra = new URL(start.headers.get("location") ?? "");
  entra.searchParams.set("login_hint", upn);
  const back = await browser.fetch(entra.toString());
  expect(back.status).toBe(302);
  return browser.fetch(back.headers.get("location") ?? "");
}

/** A test sign-in that Microsoft answered: the report page the gateway then shows. */
async function testedReport(browser: Browser, tenant: ConsoleTenant): Promise<string> {
  const callback = await testSignIn(browser, tenant);
  expect(callback.status).toBe(302);
  expect(callback.headers.get("location")).toBe("/admin/verify");
  return (await browser.fetch(tenantUrl(tenant.slug, "/admin/verify"))).text();
}

type SignInEvent = Extract<AuditEvent, { kind: "sign_in" }>;

/** The tenant's test sign-in audit events, once the queue has stored `count` of them. */
async function testSignInEvents(tenantId: string, count: number): Promise<SignInEvent[]> {
  return vi.waitFor(
    async () => {
      await auditLog(tenantId).flush();
      const events = (await storedTrail(tenantId))
        .flatMap((object) => object.events)
        .map((event) => AuditEventSchema.parse(event))
        .filter((event): event is SignInEvent => event.kind === "sign_in" && event.detail.what === "console_test");
      if (events.length < count) throw new Error(`${events.length} test sign-in events so far`);
      return events;
    },
    { timeout: 30_000, interval: 250 },
  );
}

const itemOf = (items: VerifyItem[], id: string) => items.find((item) => item.id === id);

/** The report as the console page shows it: each item's summary and fix, escaped as HTML text. */
function escaped(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

describe("verify setup", () => {
  it("reports every item, and the console shows the same report as the API", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const untested = itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent");
    expect(untested).toMatchObject({ status: "unknown", summary: "No test sign-in is recorded." });
    expect(untested?.fix).toContain(`${tenantUrl(tenant.slug)}/admin`);
    const entra = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/verify/sign-in");
    // Exactly the scopes a user's sign-in asks for, with PKCE, a nonce and the callback's own state prefix.
    const asked = new URL(entra.headers.get("location") ?? "");
    expect(asked.searchParams.get("scope")?.split(" ")).toEqual(
      delegatedPermissions(DEFAULT_GROUPS, false).map((permission) => graphScope(permission, "https://graph.microsoft.com")),
    );
    expect(asked.searchParams.get("code_challenge_method")).toBe("S256");
    expect(asked.searchParams.get("nonce")).toBeTruthy();
    expect(asked.searchParams.get("state")).toMatch(/^console-verify\./);
    await testedReport(admin, tenant);
    const items = await apiReport(tenant.slug, tenant.adminKey);
    expect(items.map((item) => item.id)).toEqual(["credentials", "secret_expiry", "admin_consent", "redirect_uri", "first_user"]);
    expect(itemOf(items, "credentials")?.status).toBe("ok");
    expect(itemOf(items, "admin_consent")?.status).toBe("ok");
    // The console admin's sign-in came back to /callback: Entra knows the redirect URI.
    expect(itemOf(items, "redirect_uri")?.status).toBe("ok");
    expect(itemOf(items, "first_user")).toMatchObject({ status: "unknown", summary: "Nobody has connected yet." });

    const page = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/verify");
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain("Verification report");
    const texts = items.flatMap((item) => [item.summary, item.fix ?? ""]).filter(Boolean);
    expect(texts.filter((text) => !body.includes(escaped(text)))).toEqual([]);
  });

  it("names the secret expiry as unknown until its date is set, then reports the days left", async () => {
    const tenant = await consoleTenant();
    const before = itemOf(await apiReport(tenant.slug, tenant.adminKey), "secret_expiry");
    expect(before?.status).toBe("unknown");
    expect(before?.fix).toContain("expiry date");
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const admin = await adminBrowser(tenant);
    expect((await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/secret-expiry", { clientSecretExpiresAt: soon })).status).toBe(
      303,
    );
    const after = itemOf(await apiReport(tenant.slug, tenant.adminKey), "secret_expiry");
    expect(after?.status).toBe("problem");
    expect(after?.summary).toMatch(/expires in \d+ days/);
  });

  it("reports refused credentials as a problem with Entra's AADSTS7000215 and how to fix them", async () => {
    const tenant = await consoleTenant();
    // The secret the gateway holds is deleted from the Entra app.
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: `Nw8~${crypto.randomUUID().replace(/-/g, "")}` }],
      redirectUris: [tenant.redirectUri],
    });
    const credentials = itemOf(await apiReport(tenant.slug, tenant.adminKey), "credentials");
    expect(credentials?.status).toBe("problem");
    expect(credentials?.summary).toContain("AADSTS7000215");
    expect(credentials?.fix).toContain("New client secret");
    expect(JSON.stringify(credentials)).not.toContain(String(tenant.input.clientSecret));
  });

  it("says how to run the test sign-in before any, and which redirect URI to add before any sign-in", async () => {
    const tenant = await consoleTenant({ adminConsent: false });
    const items = await apiReport(tenant.slug, tenant.adminKey);
    expect(itemOf(items, "admin_consent")).toMatchObject({ status: "unknown", summary: "No test sign-in is recorded." });
    expect(itemOf(items, "admin_consent")?.fix).toContain("Test sign-in with the users' permissions");
    expect(itemOf(items, "redirect_uri")).toMatchObject({ status: "unknown" });
    expect(itemOf(items, "redirect_uri")?.fix).toContain(tenant.redirectUri);
    expect(itemOf(items, "redirect_uri")?.fix).toContain("AADSTS50011");
  });

  it("needs the admin key on the API and the CSRF token in the console", async () => {
    const tenant = await consoleTenant();
    expect((await adminCall(tenant.slug, "/verify", undefined, { method: "POST" })).status).toBe(401);
    const other = await consoleTenant();
    // One org's admin key is useless on another org's host.
    expect((await adminCall(tenant.slug, "/verify", other.adminKey, { method: "POST" })).status).toBe(401);
    const admin = await adminBrowser(tenant);
    const missing = await postConsole(admin, tenant.slug, "/admin/verify", {});
    expect(missing.status).toBe(403);
    expect((await postConsole(admin, tenant.slug, "/admin/verify", { csrf: "not-the-token" })).status).toBe(403);
    expect((await postConsole(admin, tenant.slug, "/admin/verify/sign-in", {})).status).toBe(403);
    expect((await postConsole(admin, tenant.slug, "/admin/verify/sign-in", { csrf: "not-the-token" })).status).toBe(403);
  });

  it("names the permissions a newly enabled tool group needs when Microsoft refuses the test sign-in for missing consent", async () => {
    const tenant = await consoleTenant({ adminConsent: false });
    const withoutTeams = TOOL_GROUPS.filter((group) => group !== "teams");
    const patched = await adminCall(tenant.slug, "/policy", tenant.adminKey, { method: "PATCH", json: { enabledGroups: withoutTeams } });
    expect(patched.status).toBe(200);
    // The admin grants consent for the policy without Teams, through the link the admin API gives now.
    const settings = await json<{ adminConsentUrl: string }>(await adminCall(tenant.slug, "/tenant", tenant.adminKey));
    const admin = await adminBrowser(tenant);
    expect((await admin.fetch(settings.adminConsentUrl)).status).toBe(302);
    await testedReport(admin, tenant);
    expect(itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent")?.status).toBe("ok");

    await adminCall(tenant.slug, "/policy", tenant.adminKey, { method: "PATCH", json: { enabledGroups: [...TOOL_GROUPS] } });
    // The policy changed since the test: the last answer no longer counts.
    const stale = itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent");
    expect(stale).toMatchObject({ status: "unknown", summary: "The permissions needed changed since the last test sign-in." });

    const page = await testedReport(admin, tenant);
    const consent = itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent");
    expect(consent?.status).toBe("problem");
    const before = new Set(delegatedPermissions(withoutTeams, false));
    const missing = delegatedPermissions(TOOL_GROUPS, false).filter((permission) => !before.has(permission));
    expect(missing.length).toBeGreaterThan(0);
    expect(consent?.summary).toContain(`not granted at the previous test: ${missing.join(", ")}.`);
    expect(consent?.summary).toMatch(/missing consent \(AADSTS\d+\)/);
    expect(consent?.fix).toContain("/adminconsent?");
    expect(page).toContain(escaped(consent?.summary ?? "-"));
  });

  it("keeps one org's test sign-in to itself, and never stores the tokens", async () => {
    const a = await consoleTenant();
    const b = await consoleTenant();
    const adminA = await adminBrowser(a);
    await testedReport(adminA, a);
    expect(itemOf(await apiReport(a.slug, a.adminKey), "admin_consent")?.status).toBe("ok");
    expect(itemOf(await apiReport(b.slug, b.adminKey), "admin_consent")?.summary).toBe("No test sign-in is recorded.");

    // A's test sign-in state, brought back to B's /callback, is refused there and records nothing.
    const start = await submitConsoleForm(adminA, a.slug, "/admin", "/admin/verify/sign-in");
    const entra = new URL(start.headers.get("location") ?? "");
    entra.searchParams.set("login_hint", a.admin.userPrincipalName);
    const back = new URL((await adminA.fetch(entra.toString())).headers.get("location") ?? "");
    const adminB = await adminBrowser(b);
    const foreign = await adminB.fetch(tenantUrl(b.slug, `/callback${back.search}`));
    expect(foreign.status).toBe(400);
    expect(itemOf(await apiReport(b.slug, b.adminKey), "admin_consent")?.summary).toBe("No test sign-in is recorded.");

    // Nothing A's KV prefix holds looks like a token Entra issued (JWT access/id tokens, refresh tokens).
    const names = await kvNamesWithPrefix(`t:${a.tenant.id}:`);
    const values = await Promise.all(names.map((name) => env.OAUTH_KV.get(name)));
    expect(values.filter((value) => value && /eyJ[\w-]+\.eyJ|"1\.AR/.test(value))).toEqual([]);
  });

  it("refuses a test sign-in finished by another account than the console's", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const other = await testSignIn(admin, tenant, tenant.user.userPrincipalName);
    expect(other.status).toBe(403);
    expect(itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent")?.summary).toBe("No test sign-in is recorded.");
  });

  // Audit events reach the trail through the queue: allow for a slow machine.
  it(
    "audits each test sign-in once: completed with the scopes granted, or refused for missing consent with Entra's code",
    { timeout: 60_000 },
    async () => {
      const tenant = await consoleTenant({ adminConsent: false });
      const admin = await adminBrowser(tenant);
      const refused = await testSignIn(admin, tenant);
      expect(refused.headers.get("location")).toBe("/admin/verify");
      const settings = await json<{ adminConsentUrl: string }>(await adminCall(tenant.slug, "/tenant", tenant.adminKey));
      expect((await admin.fetch(settings.adminConsentUrl)).status).toBe(302);
      await testedReport(admin, tenant);

      const events = await testSignInEvents(tenant.tenant.id, 2);
      expect(events).toHaveLength(2);
      const [first, second] = events.sort((x, y) => x.time.localeCompare(y.time));
      expect(first).toMatchObject({
        actor: { type: "console_admin", upn: tenant.admin.userPrincipalName },
        detail: { what: "console_test", outcome: "refused", reason: expect.stringMatching(/^AADSTS\d+$/) },
      });
      expect(second?.detail).toMatchObject({ what: "console_test", outcome: "ok" });
      const granted = new Set(second?.detail.grantedScopes);
      expect(delegatedPermissions(DEFAULT_GROUPS, false).filter((permission) => !granted.has(permission.toLowerCase()))).toEqual([]);
      // Nothing the enabled groups need is missing: no list is written.
      expect(second?.detail.missingScopes).toBeUndefined();
    },
  );

  it("names the needed permissions a test sign-in was not granted, whatever their case, leaving OpenID Connect scopes aside", () => {
    expect(missingPermissions(["openid", "offline_access", "Mail.Read", "Mail.Send"], ["mail.read"])).toEqual(["Mail.Send"]);
    expect(missingPermissions(["Mail.Read"], ["https://graph.microsoft.com/Mail.Read"])).toEqual([]);
  });
});
