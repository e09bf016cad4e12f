/**
 * @module
 * The org admin console in a real headless Chromium: the signup's admin
 * signs in through the emulator's Entra sign-in page and sees the Setup
 * checklist; another user of the same directory is refused; a policy change
 * made with the keyboard reaches an MCP client's tools/list; and every
 * console page has zero axe-core violations at desktop and mobile width,
 * with a screenshot of each under test-results/browser/.
 */
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { MCP_HEADERS } from "../../bench/sign-in";
import { axeViolations, describeViolations, openContext, screenshot, VIEWPORTS, type Viewport } from "./pages";
import type { World } from "./world";

/** Runs last among the journeys: it changes the world's organization's policy, then deletes the organization. */
export function consoleJourneys(getWorld: () => World): void {
  const admin = { oid: "5b7d9f1a-2c4e-4f6a-8b0d-1e3f5a7c9b2d", userPrincipalName: "", displayName: "Ines Admin" };

  beforeAll(async () => {
    admin.userPrincipalName = `it@${getWorld().org.tenant.marker}.example`;
    await getWorld().org.signIn.emulator.addUser(getWorld().org.tenant.entraTenantId, admin);
  });

  /** From the console's sign-in page through the emulator's account picker, as a person clicks. */
  async function signInAs(page: Page, upn: string): Promise<number | undefined> {
    await page.goto(`${getWorld().tenantOrigin}/admin`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.waitForURL((url) => !url.toString().startsWith(getWorld().tenantOrigin));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${getWorld().tenantOrigin}/callback`)),
      page.getByRole("link", { name: new RegExp(upn.replace(/[.]/g, "\\.")) }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  /** tools/list for the organization's user, over the real OAuth bridge and /mcp. */
  async function toolNames(): Promise<string[]> {
    const { tenant, signIn, http } = getWorld().org;
    const user = tenant.users[0];
    if (!user) throw new Error("the organization has no user");
    const token = await signIn.signIn(tenant, user);
    const response = await http.fetch(`${getWorld().tenantOrigin}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    const payload = response.text.trimStart().startsWith("{")
      ? response.text
      : (response.text
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .pop()
          ?.slice(5) ?? "{}");
    const reply = JSON.parse(payload) as { result?: { tools?: { name: string }[] } };
    return (reply.result?.tools ?? []).map((tool) => tool.name);
  }

  const [desktop] = VIEWPORTS;

  async function withContext<T>(viewport: Viewport | undefined, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    if (!viewport) throw new Error("no viewport");
    const context = await openContext(getWorld().browser, viewport);
    try {
      return await run(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  describe("the admin console", () => {
    it("lets the signup's admin in through Microsoft sign-in, to the Setup checklist", async () => {
      await withContext(desktop, async (page) => {
        expect(await signInAs(page, admin.userPrincipalName)).toBe(302);
        expect(new URL(page.url()).pathname).toBe("/admin");
        expect(await page.getByRole("heading", { level: 1, name: "Setup" }).isVisible()).toBe(true);
        expect(await page.getByRole("navigation", { name: "Admin console" }).isVisible()).toBe(true);
      });
    });

    it("refuses another user of the same directory with the not-an-administrator page", async () => {
      await withContext(desktop, async (page) => {
        const user = getWorld().org.tenant.users[0];
        if (!user) throw new Error("no user");
        expect(await signInAs(page, user.userPrincipalName)).toBe(403);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You are not an administrator of this console");
        await page.goto(`${getWorld().tenantOrigin}/admin`);
        expect(await page.getByRole("button", { name: "Sign in with Microsoft" }).isVisible()).toBe(true);
      });
    });

    it("changes the policy with the keyboard, and the MCP client's tools/list follows", async () => {
      expect(await toolNames()).toContain("send_message");
      await withContext(desktop, async (page) => {
        await signInAs(page, admin.userPrincipalName);
        await page.goto(`${getWorld().tenantOrigin}/admin/policy`);
        const readOnly = page.getByLabel(/^Read-only/);
        let reached = false;
        for (let press = 0; press < 30 && !reached; press += 1) {
          await page.keyboard.press("Tab");
          reached = await readOnly.evaluate((element) => element === document.activeElement);
        }
        expect(reached).toBe(true);
        await page.keyboard.press("Space");
        expect(await readOnly.isChecked()).toBe(true);
        const save = page.getByRole("button", { name: "Save policy" });
        for (let press = 0; press < 30 && !(await save.evaluate((element) => element === document.activeElement)); press += 1) {
          await page.keyboard.press("Tab");
        }
        await Promise.all([page.waitForURL(/done=policy-saved/), page.keyboard.press("Enter")]);
        expect(await page.getByRole("status").first().textContent()).toContain("Policy saved");
      });
      const names = await toolNames();
      expect(names).toContain("list_messages");
      expect(names).not.toContain("send_message");
    });
  });

  describe("the Audit page", () => {
    it("lists what happened (sign-ins, the policy change) once the trail is stored, with no accessibility violations at either width", async () => {
      await withContext(desktop, async (page) => {
        await signInAs(page, admin.userPrincipalName);
        // Events reach the trail through the audit queue and each organization's log, which writes them to R2 within
        // half a minute; the page reads only what is stored, so it is reloaded until the rows are there.
        const table = page.locator("table.audit-table");
        const listed = async () => ((await table.count()) > 0 ? ((await table.first().textContent()) ?? "") : "");
        for (let attempt = 0; attempt < 30 && !(await listed()).includes("policy.update"); attempt += 1) {
          if (attempt > 0) await page.waitForTimeout(2000);
          await page.goto(`${getWorld().tenantOrigin}/admin/audit`);
        }
        expect(await listed()).toContain("policy.update");
        expect(await page.locator("table.audit-table tbody tr").count()).toBeGreaterThan(1);
      });
      const failures: string[] = [];
      for (const viewport of VIEWPORTS) {
        await withContext(viewport, async (page) => {
          await signInAs(page, admin.userPrincipalName);
          await page.goto(`${getWorld().tenantOrigin}/admin/audit`);
          await screenshot(page, "console-audit-filled", viewport);
          const violations = await axeViolations(page);
          if (violations.length > 0) failures.push(`${viewport.name}:\n${describeViolations(violations)}`);
        });
      }
      expect(failures).toEqual([]);
    }, 120_000);
  });

  const CONSOLE_PAGES = [
    { name: "console-setup", path: "/admin" },
    { name: "console-policy", path: "/admin/policy" },
    { name: "console-credentials", path: "/admin/credentials" },
    { name: "console-users", path: "/admin/users" },
    { name: "console-alerts", path: "/admin/alerts" },
    { name: "console-streaming", path: "/admin/streaming" },
    { name: "console-organization", path: "/admin/settings" },
    { name: "console-audit", path: "/admin/audit" },
    { name: "console-usage", path: "/admin/usage" },
    { name: "console-verify-report", path: "/admin/verify" },
  ];

  describe.each(VIEWPORTS)("console pages at $name width ($width×$height)", (viewport) => {
    it("have no accessibility violations, signed out, refused or signed in", async () => {
      const failures: string[] = [];
      const check = async (page: Page, name: string) => {
        await screenshot(page, name, viewport);
        const violations = await axeViolations(page);
        if (violations.length > 0) failures.push(`${name}:\n${describeViolations(violations)}`);
      };
      await withContext(viewport, async (page) => {
        await page.goto(`${getWorld().tenantOrigin}/admin`);
        await check(page, "console-sign-in");
        const user = getWorld().org.tenant.users[0];
        if (!user) throw new Error("no user");
        await signInAs(page, user.userPrincipalName);
        await check(page, "console-not-admin");
      });
      await withContext(viewport, async (page) => {
        await signInAs(page, admin.userPrincipalName);
        for (const { name, path } of CONSOLE_PAGES) {
          const response = await page.goto(`${getWorld().tenantOrigin}${path}`);
          expect(response?.status(), name).toBe(200);
          await check(page, name);
        }
        // A refused secret: the error at its field.
        await page.goto(`${getWorld().tenantOrigin}/admin/credentials`);
        await page.getByLabel("New client secret (Value)").fill("Wrong~secret-value-123");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Check and save" }).click()]);
        await page.waitForSelector("#credentials-secret-error");
        await check(page, "console-credentials-refused");
        // A certificate generated (pending), then verified before it was uploaded: refused at its buttons.
        await page.getByLabel("Valid for").selectOption("6");
        await Promise.all([
          page.waitForURL(/done=certificate-generated/),
          page.getByRole("button", { name: "Generate a certificate" }).click(),
        ]);
        await check(page, "console-credentials-certificate");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Verify with Microsoft" }).first().click()]);
        await page.waitForSelector("[id^='certificate-'][id$='-error']");
        await check(page, "console-credentials-certificate-refused");
        // A refused stream endpoint: the error at its field.
        await page.goto(`${getWorld().tenantOrigin}/admin/streaming`);
        await page.getByLabel("Endpoint URL").fill("https://localhost/audit");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Save and make a secret" }).click()]);
        await page.waitForSelector("#stream-url-error");
        await check(page, "console-streaming-refused");
        // A public endpoint: its secret shown once, then the page with the test, secret and stop forms.
        await page.getByLabel("Endpoint URL").fill("https://siem.contoso.com/audit");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Save and make a secret" }).click()]);
        await page.waitForSelector("#stream-secret");
        await check(page, "console-streaming-secret");
        await page.goto(`${getWorld().tenantOrigin}/admin/streaming`);
        await check(page, "console-streaming-set");
        await Promise.all([page.waitForURL(/done=stream-removed/), page.getByRole("button", { name: "Stop streaming" }).click()]);
        // The Alerts page's notices webhook: a refused URL at its field, the secret once, the section once set.
        await page.goto(`${getWorld().tenantOrigin}/admin/alerts`);
        await page.getByLabel("Webhook URL").fill("https://localhost/alerts");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Save and make a secret" }).click()]);
        await page.waitForSelector("#notices-url-error");
        await check(page, "console-alerts-refused");
        await page.getByLabel("Webhook URL").fill("https://hooks.contoso.com/alerts");
        await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Save and make a secret" }).click()]);
        await page.waitForSelector("#notices-secret");
        await check(page, "console-alerts-secret");
        await page.goto(`${getWorld().tenantOrigin}/admin/alerts`);
        await check(page, "console-alerts-webhook-set");
        await Promise.all([page.waitForURL(/done=notices-removed/), page.getByRole("button", { name: "Remove the webhook" }).click()]);
        // "Check now" on the checklist.
        await page.goto(`${getWorld().tenantOrigin}/admin`);
        await Promise.all([page.waitForURL(/check-credentials/), page.getByRole("button", { name: "Check now" }).click()]);
        await check(page, "console-setup-checked");
        // A policy with no tool group: refused at the group list.
        await page.goto(`${getWorld().tenantOrigin}/admin/policy`);
        for (const box of await page.locator('input[name="enabledGroups"]').all()) await box.uncheck();
        await Promise.all([
          page.waitForResponse((r) => r.url().endsWith("/admin/policy") && r.status() === 400),
          page.getByRole("button", { name: "Save policy" }).click(),
        ]);
        await page.waitForSelector("#policy-groups-error");
        await check(page, "console-policy-refused");
        // A form sent without its CSRF token: refused, nothing changed.
        await page.goto(`${getWorld().tenantOrigin}/admin/policy`);
        await page.evaluate(() => document.querySelector('form[action="/admin/policy"] input[name="csrf"]')?.remove());
        const [refused] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith("/admin/policy") && r.request().method() === "POST"),
          page.getByRole("button", { name: "Save policy" }).click(),
        ]);
        expect(refused.status()).toBe(403);
        await page.waitForLoadState();
        await check(page, "console-form-expired");
        // A new admin key, shown once.
        await page.goto(`${getWorld().tenantOrigin}/admin/settings`);
        await Promise.all([page.waitForURL(/admin-key/), page.getByRole("button", { name: "Issue a new admin key" }).click()]);
        await check(page, "console-admin-key");
        // Signing out, from the navigation.
        await Promise.all([page.waitForURL(/sign-out/), page.getByRole("button", { name: "Sign out" }).click()]);
        expect(await page.getByRole("status").first().textContent()).toContain("You are signed out");
        await check(page, "console-signed-out");
      });
      expect(failures, failures.join("\n\n")).toEqual([]);
    }, 60_000);
  });

  describe("disconnecting a client from the console", () => {
    it("lists the user's connected client, and once disconnected its token is refused at /mcp", async () => {
      const { tenant, signIn, http } = getWorld().org;
      const user = tenant.users[0];
      if (!user) throw new Error("the organization has no user");
      const token = await signIn.signIn(tenant, user);
      const mcp = () =>
        http.fetch(`${getWorld().tenantOrigin}/mcp`, {
          method: "POST",
          headers: { ...MCP_HEADERS, "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
        });
      expect((await mcp()).status).toBe(200);
      await withContext(desktop, async (page) => {
        await signInAs(page, admin.userPrincipalName);
        await page.goto(`${getWorld().tenantOrigin}/admin/users`);
        expect(await page.getByText(user.userPrincipalName).first().isVisible()).toBe(true);
        const violations = await axeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await screenshot(page, "console-users-connected", desktop ?? VIEWPORTS[0]!);
        // Every connection of this user (each sign-in above made one), disconnected one by one, as an admin clicks.
        const disconnect = page.getByRole("button", { name: new RegExp(`^Disconnect .* from `) });
        for (let left = await disconnect.count(); left > 0; left = await disconnect.count()) {
          await Promise.all([page.waitForURL(/done=/), disconnect.first().click()]);
          expect(await disconnect.count()).toBe(left - 1);
        }
      });
      expect((await mcp()).status).toBe(401);
    });
  });

  describe("deleting the organization from the console", () => {
    it("asks for the address typed, then says goodbye, with no accessibility violations at either width", async () => {
      await withContext(desktop, async (page) => {
        await signInAs(page, admin.userPrincipalName);
        await page.goto(`${getWorld().tenantOrigin}/admin/settings`);
        const slug = new URL(getWorld().tenantOrigin).hostname.split(".")[0] ?? "";
        await page.getByLabel(/to confirm/).fill("not-the-address");
        await Promise.all([page.waitForURL(/settings\/delete/), page.getByRole("button", { name: /^Delete / }).click()]);
        expect(await page.locator("#settings-confirm").getAttribute("aria-invalid")).toBe("true");
        const failures: string[] = [];
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await screenshot(page, "console-delete-refused", viewport);
          const violations = await axeViolations(page);
          if (violations.length > 0) failures.push(`console-delete-refused at ${viewport.name}:\n${describeViolations(violations)}`);
        }
        await page.getByLabel(/to confirm/).fill(slug);
        await Promise.all([page.waitForURL(/settings\/delete/), page.getByRole("button", { name: /^Delete / }).click()]);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("was deleted");
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await screenshot(page, "console-deleted", viewport);
          const violations = await axeViolations(page);
          if (violations.length > 0) failures.push(`console-deleted at ${viewport.name}:\n${describeViolations(violations)}`);
        }
        expect(failures, failures.join("\n\n")).toEqual([]);
        expect((await page.goto(`${getWorld().tenantOrigin}/`))?.status()).toBe(404);
      });
    });
  });
}
