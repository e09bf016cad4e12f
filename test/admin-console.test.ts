import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  adminBrowser,
  consoleTenant,
  postConsole,
  sessionCookie,
  setGroupMembershipClaims,
  signInToConsole,
  startSignIn,
  submitConsoleForm,
  withOrigin,
} from "./helpers/console";
import { emulator, TEST_OIDS } from "./helpers/emulator";
import { call, json, tenantUrl } from "./helpers/gateway";
import { expectLimitedAfterBudget } from "./helpers/rate-limit";
import { connectedUser } from "./helpers/mcp";
import { Browser } from "./helpers/oauth-flow";
import { formBody } from "./helpers/oauth-browser";
import { adminCall } from "./helpers/tenants";

/** The org admin console: who may enter, its session and CSRF rules, isolation between tenants, and what its forms change. */

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function consoleAdminRow(tenantId: string, email: string) {
  return env.DB.prepare("SELECT user_id, last_sign_in_at FROM tenant_console_admins WHERE tenant_id = ? AND email = ?")
    .bind(tenantId, email)
    .first<{ user_id: string | null; last_sign_in_at: number | null }>();
}

async function policyOf(tenantId: string) {
  const row = await env.DB.prepare("SELECT policy FROM tenants WHERE id = ?").bind(tenantId).first<{ policy: string }>();
  return JSON.parse(row?.policy ?? "{}") as { readOnly: boolean; enabledGroups: string[] };
}

async function isSignedIn(browser: Browser, slug: string): Promise<boolean> {
  const html = await (await browser.fetch(tenantUrl(slug, "/admin"))).text();
  return html.includes("Sign out") && !html.includes("Sign in with Microsoft");
}

describe("admin console sign-in", () => {
  it("admits the signup's admin, binds the entry to their account, and sets a short-lived __Host- cookie", async () => {
    const tenant = await consoleTenant();
    const browser = new Browser();
    const first = await browser.fetch(tenantUrl(tenant.slug, "/admin"));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Sign in to the Acme Corporation admin console");
    expect(first.headers.get("cache-control")).toBe("no-store");

    const entra = await startSignIn(browser, tenant.slug);
    expect(entra.searchParams.get("scope")).toBe("openid profile");
    expect(entra.searchParams.get("redirect_uri")).toBe(tenant.redirectUri);
    expect(entra.searchParams.get("code_challenge_method")).toBe("S256");
    expect(entra.searchParams.get("state")).toMatch(/^console\./);

    const callback = await signInToConsole(browser, tenant.slug, tenant.admin.userPrincipalName, "/admin/policy");
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/admin/policy");
    const cookie = callback.headers.getSetCookie().find((line) => line.startsWith("__Host-console-session="));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=3600/);
    expect(cookie).not.toMatch(/Domain=/i);

    const row = await consoleAdminRow(tenant.tenant.id, "it@acme.example");
    expect(row?.user_id).toBe(`${tenant.entraTenantId}.${TEST_OIDS.kai}`);
    expect(row?.last_sign_in_at).not.toBeNull();
    const setup = await browser.fetch(tenantUrl(tenant.slug, "/admin"));
    expect(setup.headers.get("cache-control")).toBe("no-store");
    const html = await setup.text();
    expect(html).toContain("<h1>Setup</h1>");
    expect(html).toContain("Signed in as Kai Admin");
    // The session id itself is never a KV key: only its hash is.
    const id = sessionCookie(browser, tenant.slug) ?? "";
    expect(await env.OAUTH_KV.get(`t:${tenant.tenant.id}:console-session:${id}`)).toBeNull();
    expect(await env.OAUTH_KV.get(`t:${tenant.tenant.id}:console-session:${await sha256Hex(id)}`)).not.toBeNull();
  });

  it("returns only to console paths after sign-in, whatever the form said", async () => {
    const tenant = await consoleTenant();
    for (const returnTo of ["//evil.example/admin", "https://evil.example/admin", "/mcp", "/admin/../authorize", "/administrator"]) {
      const back = await signInToConsole(new Browser(), tenant.slug, tenant.admin.userPrincipalName, returnTo);
      expect(back.status, returnTo).toBe(302);
      expect(back.headers.get("location"), returnTo).toBe("/admin");
    }
  });

  it("says an administrator must consent first when the directory lets users approve no app", async () => {
    const tenant = await consoleTenant({ adminConsent: false });
    await emulator.setTenantSettings(tenant.entraTenantId, { userConsent: "disabled" });
    const stopped = await signInToConsole(new Browser(), tenant.slug, tenant.admin.userPrincipalName);
    expect(stopped.status).toBe(403);
    const html = await stopped.text();
    expect(html).toContain("An administrator must approve the app first");
    expect(html).toContain("AADSTS90093");
    expect(html).toContain(`href="${tenant.adminConsentUrl.replace(/&/g, "&amp;")}"`);
    expect(stopped.headers.getSetCookie().some((line) => line.startsWith("__Host-console-session="))).toBe(false);
  });

  it("refuses a user of the same directory who is not a console admin, with no session", async () => {
    const tenant = await consoleTenant();
    const browser = new Browser();
    const refused = await signInToConsole(browser, tenant.slug, tenant.user.userPrincipalName);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You are not an administrator of this console");
    expect(refused.headers.getSetCookie().some((line) => line.startsWith("__Host-console-session="))).toBe(false);
    expect(await isSignedIn(browser, tenant.slug)).toBe(false);
  });

  it("refuses a later account given the same sign-in name once the entry is bound", async () => {
    const tenant = await consoleTenant();
    await adminBrowser(tenant);
    // The admin's account is renamed and a new account takes the name.
    await emulator.addUser(tenant.entraTenantId, {
      oid: TEST_OIDS.kai,
      userPrincipalName: `kai@${tenant.slug}.example`,
      displayName: "Kai Admin",
    });
    await emulator.addUser(tenant.entraTenantId, { oid: TEST_OIDS.riley, userPrincipalName: "it@acme.example", displayName: "Newcomer" });
    const refused = await signInToConsole(new Browser(), tenant.slug, "it@acme.example");
    expect(refused.status).toBe(403);
    // The bound account still enters under its new name.
    expect((await signInToConsole(new Browser(), tenant.slug, `kai@${tenant.slug}.example`)).status).toBe(302);
  });

  it("admits an Entra administrator only when the org admits roles and the app sends wids", async () => {
    const tenant = await consoleTenant();
    const roleHolder = { oid: TEST_OIDS.riley, userPrincipalName: `gadmin@${tenant.slug}.example`, displayName: "Global Admin" };
    await emulator.addUser(tenant.entraTenantId, { ...roleHolder, directoryRoles: [GLOBAL_ADMINISTRATOR] });
    await setGroupMembershipClaims(tenant, "DirectoryRole");
    // The org has not turned the setting on.
    expect((await signInToConsole(new Browser(), tenant.slug, roleHolder.userPrincipalName)).status).toBe(403);

    const admin = await adminBrowser(tenant);
    const on = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/entra-roles", { admit: "on" });
    expect(on.status).toBe(303);
    const roleBrowser = new Browser();
    expect((await signInToConsole(roleBrowser, tenant.slug, roleHolder.userPrincipalName)).status).toBe(302);
    expect(await isSignedIn(roleBrowser, tenant.slug)).toBe(true);
    // Turning the setting off ends the role holder's session at once.
    expect((await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/entra-roles", { admit: "off" })).status).toBe(
      303,
    );
    expect(await isSignedIn(roleBrowser, tenant.slug)).toBe(false);
    await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/entra-roles", { admit: "on" });

    // Without the manifest setting, Entra sends no wids: refused again.
    await setGroupMembershipClaims(tenant, undefined);
    expect((await signInToConsole(new Browser(), tenant.slug, roleHolder.userPrincipalName)).status).toBe(403);
    // A user without an admitted role is refused even with the claim.
    await setGroupMembershipClaims(tenant, "All");
    expect((await signInToConsole(new Browser(), tenant.slug, tenant.user.userPrincipalName)).status).toBe(403);
  });

  it("ends a session after its hour, at sign-out, and when its admin is removed", async () => {
    const tenant = await consoleTenant();
    const expired = await adminBrowser(tenant);
    const key = `t:${tenant.tenant.id}:console-session:${await sha256Hex(sessionCookie(expired, tenant.slug) ?? "")}`;
    const record = JSON.parse((await env.OAUTH_KV.get(key)) ?? "{}") as { createdAt: number };
    await env.OAUTH_KV.put(key, JSON.stringify({ ...record, createdAt: record.createdAt - 3_601_000 }));
    expect(await isSignedIn(expired, tenant.slug)).toBe(false);

    const signingOut = await adminBrowser(tenant);
    const outKey = `t:${tenant.tenant.id}:console-session:${await sha256Hex(sessionCookie(signingOut, tenant.slug) ?? "")}`;
    expect((await submitConsoleForm(signingOut, tenant.slug, "/admin", "/admin/sign-out")).status).toBe(200);
    expect(await env.OAUTH_KV.get(outKey)).toBeNull();
    expect(await isSignedIn(signingOut, tenant.slug)).toBe(false);

    const admin = await adminBrowser(tenant);
    const colleague = tenant.user.userPrincipalName;
    expect((await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admins", { email: colleague })).status).toBe(
      303,
    );
    const second = new Browser();
    expect((await signInToConsole(second, tenant.slug, colleague)).status).toBe(302);
    expect(await isSignedIn(second, tenant.slug)).toBe(true);
    const removed = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admins/remove", {
      email: colleague.toLowerCase(),
    });
    expect(removed.status).toBe(303);
    expect(await isSignedIn(second, tenant.slug)).toBe(false);
  });

  it("signs out an admin who removes themselves", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admins", { email: tenant.user.userPrincipalName });
    const removed = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admins/remove", {
      email: "it@acme.example",
    });
    expect(removed.status).toBe(200);
    expect(await removed.text()).toContain("You are signed out of the admin console.");
    expect(await isSignedIn(admin, tenant.slug)).toBe(false);
    expect(await consoleAdminRow(tenant.tenant.id, "it@acme.example")).toBeNull();
  });

  it("never removes the last console admin", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const refused = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admins/remove", {
      email: "it@acme.example",
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("The last console admin cannot be removed");
    expect(await consoleAdminRow(tenant.tenant.id, "it@acme.example")).not.toBeNull();
  });
});

describe("admin console sign-in budget", () => {
  it("spends the tenant's per-address sign-in budget when a console sign-in starts", async () => {
    // The budget is per tenant and address: a fresh tenant's is this test's own.
    const tenant = await consoleTenant();
    const browser = new Browser();
    const limited = await expectLimitedAfterBudget(120, 302, () =>
      browser.fetch(tenantUrl(tenant.slug, "/admin/sign-in"), withOrigin(tenant.slug, formBody({ returnTo: "/admin" }))),
    );
    expect(limited.headers.get("retry-after")).not.toBeNull();
  });
});

describe("admin console CSRF", () => {
  it("refuses a form without the token, with a wrong one, or from another origin, and changes nothing", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const change = { readOnly: "on", enabledGroups: ["mail"] };
    const missing = await postConsole(admin, tenant.slug, "/admin/policy", change);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("This form has expired");
    expect((await postConsole(admin, tenant.slug, "/admin/policy", { ...change, csrf: "not-the-token" })).status).toBe(403);
    const html = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/policy"))).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const crossSite = await admin.fetch(tenantUrl(tenant.slug, "/admin/policy"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ readOnly: "on", enabledGroups: "mail", csrf }),
    });
    expect(crossSite.status).toBe(403);
    expect((await policyOf(tenant.tenant.id)).readOnly).toBe(false);
    // The sign-in start is a POST too: another origin cannot start it.
    const foreignStart = await new Browser().fetch(tenantUrl(tenant.slug, "/admin/sign-in"), {
      ...formBody({ returnTo: "/admin" }),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    });
    expect(foreignStart.status).toBe(403);
  });
});

describe("admin console isolation", () => {
  it("does not know tenant A's session on tenant B's host, even when its cookie is sent there by hand", async () => {
    const a = await consoleTenant();
    const b = await consoleTenant();
    const browser = await adminBrowser(a);
    const stolen = sessionCookie(browser, a.slug) ?? "";
    const atB = await call(tenantUrl(b.slug, "/admin"), { headers: { cookie: `__Host-console-session=${stolen}` } });
    const html = await atB.text();
    expect(html).toContain("Sign in to the Acme Corporation admin console");
    expect(html).not.toContain("Sign out");
  });

  it("lists, adds and removes console admins of its own tenant only", async () => {
    const a = await consoleTenant();
    const b = await consoleTenant();
    const adminA = await adminBrowser(a);
    expect(
      (await submitConsoleForm(adminA, a.slug, "/admin/settings", "/admin/settings/admins", { email: "only-a@acme.example" })).status,
    ).toBe(303);
    const adminB = await adminBrowser(b);
    expect(await (await adminB.fetch(tenantUrl(b.slug, "/admin/settings"))).text()).not.toContain("only-a@acme.example");
    // B's admin cannot remove A's entry from B's host: it is not B's.
    const refused = await submitConsoleForm(adminB, b.slug, "/admin/settings", "/admin/settings/admins/remove", {
      email: "only-a@acme.example",
    });
    expect(refused.status).toBe(400);
    expect(await consoleAdminRow(a.tenant.id, "only-a@acme.example")).not.toBeNull();
  });

  it("refuses tenant A's pending sign-in at tenant B's /callback", async () => {
    const a = await consoleTenant();
    const b = await consoleTenant();
    const browser = new Browser();
    const entra = await startSignIn(browser, a.slug);
    entra.searchParams.set("login_hint", a.admin.userPrincipalName);
    const back = new URL((await browser.fetch(entra.toString())).headers.get("location") ?? "");
    const atB = await call(tenantUrl(b.slug, `/callback${back.search}`), { headers: { cookie: browser.cookies.header(back.toString()) } });
    expect(atB.status).toBe(400);
    expect(await atB.text()).toContain("This sign-in link has expired");
    expect(atB.headers.getSetCookie().some((line) => line.startsWith("__Host-console-session="))).toBe(false);
  });
});

describe("admin console pages", () => {
  it("changes the policy, and a connected user's tools/list follows", async () => {
    const user = await connectedUser();
    const admin = { oid: TEST_OIDS.kai, userPrincipalName: String(user.tenant.input.adminEmail), displayName: "Kai Admin" };
    await emulator.addUser(user.entra.tenantId, admin);
    const browser = new Browser();
    expect((await signInToConsole(browser, user.tenant.slug, admin.userPrincipalName)).status).toBe(302);
    expect((await user.listTools()).some((tool) => tool.name === "send_message")).toBe(true);
    const saved = await submitConsoleForm(browser, user.tenant.slug, "/admin/policy", "/admin/policy", {
      readOnly: "on",
      enabledGroups: ["mail", "calendar"],
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/admin/policy?done=policy-saved");
    const names = (await user.listTools()).map((tool) => tool.name);
    expect(names).toContain("list_messages");
    expect(names).not.toContain("send_message");
    expect(names).not.toContain("list_files");
    const page = await (await browser.fetch(tenantUrl(user.tenant.slug, "/admin/policy?done=policy-saved"))).text();
    expect(page).toContain("Policy saved.");
    expect(page).not.toContain("<code>send_message</code>");
    const none = await submitConsoleForm(browser, user.tenant.slug, "/admin/policy", "/admin/policy", {});
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('aria-invalid="true"');
  });

  it("rotates the client secret only when Entra accepts it; a refused one leaves the old secret working", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const bad = await submitConsoleForm(admin, tenant.slug, "/admin/credentials", "/admin/credentials", {
      clientSecret: "Wrong~secret-value-123",
      clientSecretExpiresAt: "",
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain("AADSTS7000215");
    expect(badHtml).toContain('aria-describedby="credentials-secret-error"');
    const check = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/check-credentials");
    expect(await check.text()).toContain("Microsoft accepted the gateway's client ID and secret just now.");

    const fresh = `Nw8~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: String(tenant.input.clientSecret) }, { value: fresh }],
      redirectUris: [tenant.redirectUri],
    });
    const good = await submitConsoleForm(admin, tenant.slug, "/admin/credentials", "/admin/credentials", {
      clientSecret: fresh,
      clientSecretExpiresAt: "",
    });
    expect(good.status).toBe(303);
    const settings = await json<{ clientSecret: { hint: string } }>(await adminCall(tenant.slug, "/tenant", tenant.adminKey));
    expect(settings.clientSecret.hint).toBe(`${fresh.slice(0, 3)}…`);
  });

  it("keeps the console open while suspended, while /mcp refuses, and resumes", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    expect((await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/suspend")).status).toBe(303);
    expect((await call(tenantUrl(tenant.slug, "/mcp"), { method: "POST", json: {} })).status).toBe(403);
    expect((await call(tenantUrl(tenant.slug, "/"))).status).toBe(403);
    // A user's sign-in coming back is refused too; only the console's own is let through.
    expect((await call(tenantUrl(tenant.slug, "/callback?state=not-the-console&code=x"))).status).toBe(403);
    const page = await (await admin.fetch(tenantUrl(tenant.slug, "/admin/settings"))).text();
    expect(page).toContain("Suspended");
    // A fresh console sign-in works while suspended too.
    expect((await signInToConsole(new Browser(), tenant.slug, tenant.admin.userPrincipalName)).status).toBe(302);
    expect((await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/resume")).status).toBe(303);
    expect((await call(tenantUrl(tenant.slug, "/"))).status).toBe(200);
  });

  it("shows a new admin key once, and the previous one stops working", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const rotated = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/admin-key");
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get("cache-control")).toBe("no-store");
    const key = /<code id="new-admin-key">([^<]+)<\/code>/.exec(await rotated.text())?.[1] ?? "";
    expect(key.length).toBeGreaterThan(20);
    expect((await adminCall(tenant.slug, "/tenant", tenant.adminKey)).status).toBe(401);
    expect((await adminCall(tenant.slug, "/tenant", key)).status).toBe(200);
    expect(await (await admin.fetch(tenantUrl(tenant.slug, "/admin/settings"))).text()).not.toContain(key);
  });

  it("deletes the organization only after its address is typed", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const wrong = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/delete", { confirm: "something-else" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('aria-describedby="settings-confirm-error"');
    expect((await call(tenantUrl(tenant.slug, "/"))).status).toBe(200);
    const right = await submitConsoleForm(admin, tenant.slug, "/admin/settings", "/admin/settings/delete", { confirm: tenant.slug });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("was deleted");
    expect((await call(tenantUrl(tenant.slug, "/"))).status).toBe(404);
  });

  it("records the secret's expiry date from the checklist, refusing a past date at its field", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const past = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/secret-expiry", { clientSecretExpiresAt: day(-2) });
    expect(past.status).toBe(400);
    const html = await past.text();
    expect(html).toContain('aria-describedby="setup-expiry-error"');
    expect(html).toContain("this date is in the past");
    const saved = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/secret-expiry", { clientSecretExpiresAt: day(90) });
    expect(saved.status).toBe(303);
    const setup = await (await admin.fetch(tenantUrl(tenant.slug, "/admin?done=expiry-saved"))).text();
    expect(setup).toMatch(/The client secret expires in (89|90|91) days\./);
    expect(setup).toContain("Expiry date saved.");
  });

  it("turns admin consent red again when a sign-in needed consent after it was granted", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    await admin.follow(tenant.adminConsentUrl, () => false);
    const granted = await env.DB.prepare("SELECT admin_consent_at FROM tenants WHERE id = ?")
      .bind(tenant.tenant.id)
      .first<{ admin_consent_at: number }>();
    await env.DB.prepare("INSERT INTO tenant_alerts (tenant_id, kind, detail, created_at) VALUES (?, 'admin_consent_required', ?, ?)")
      .bind(tenant.tenant.id, "a sign-in needed consent", (granted?.admin_consent_at ?? 0) + 60_000)
      .run();
    const html = await (await admin.fetch(tenantUrl(tenant.slug, "/admin"))).text();
    expect(html).toMatch(/Admin consent granted <span class="console-state console-state-todo">Needs action<\/span>/);
    expect(html).toContain("after consent was last granted");
    expect(html).toContain("Grant admin consent in Microsoft Entra");
  });

  it("records admin consent when Entra's admin-consent answer comes back, for the Setup checklist", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    const before = await (await admin.fetch(tenantUrl(tenant.slug, "/admin"))).text();
    expect(before).toMatch(/Admin consent granted <span class="console-state console-state-todo">Needs action<\/span>/);
    expect(before).toContain("Nobody has connected yet");
    // The admin opens the checklist's consent link; Entra grants and returns to /callback.
    const done = await admin.follow(tenant.adminConsentUrl, () => false);
    expect(done.response?.status).toBe(200);
    const row = await env.DB.prepare("SELECT admin_consent_at FROM tenants WHERE id = ?")
      .bind(tenant.tenant.id)
      .first<{ admin_consent_at: number | null }>();
    expect(row?.admin_consent_at).not.toBeNull();
    const after = await (await admin.fetch(tenantUrl(tenant.slug, "/admin"))).text();
    expect(after).toMatch(/Admin consent granted <span class="console-state console-state-done">Done<\/span>/);
    // The console admin's own sign-in came back to /callback: the redirect URI works.
    expect(after).toMatch(/Redirect URI registered <span class="console-state console-state-done">Done<\/span>/);
  });
});
