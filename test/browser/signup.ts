/**
 * @module
 * The signup wizard in a real headless Chromium: the address preview and
 * availability check as the address is typed, browser-side checks on an
 * empty submit, each refusal Entra can give landing at its field with focus
 * on the summary, and the happy path to the result checklist (copy buttons,
 * the admin key once and as a download, the leave-page warning). Every state
 * is checked with axe-core at desktop and mobile width, in the light and the
 * dark theme, and kept as a screenshot. Called from browser.test.ts, which
 * starts the world.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { controlClient } from "../../emulator/control-client";
import { axeViolations, describeViolations, openContext, screenshot, VIEWPORTS, type Viewport } from "./pages";
import type { World } from "./world";

interface EntraApp {
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
}

/** A fresh Entra directory with one app and one secret, as an org admin registers it. */
async function entraApp(world: World, options: { secretExpiresAt?: string } = {}): Promise<EntraApp> {
  const control = controlClient(world.emulatorUrl);
  const app = { entraTenantId: randomUUID(), clientId: randomUUID(), clientSecret: `Wz9~${randomBytes(16).toString("hex")}` };
  await control.createTenant({ tenantId: app.entraTenantId, displayName: "Browser signup org" });
  await control.registerApp(app.entraTenantId, {
    clientId: app.clientId,
    secrets: [{ value: app.clientSecret, expiresAt: options.secretExpiresAt }],
    redirectUris: [],
  });
  return app;
}

function newSlug(): string {
  return `wiz-${randomBytes(3).toString("hex")}`;
}

async function fillForm(page: Page, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) await page.locator(`#${field}`).fill(value);
}

async function completeForm(page: Page, slug: string, app: EntraApp): Promise<void> {
  await fillForm(page, { orgName: "Wizard Org", slug, adminEmail: "it@wizard.example", ...app });
}

/** Submits the form and waits for the page the server answers with; its status. */
async function submit(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => new URL(candidate.url()).pathname === "/signup" && candidate.request().method() === "POST"),
    page.getByRole("button", { name: "Create my gateway" }).click(),
  ]);
  await page.waitForLoadState("load");
  return response.status();
}

/** axe in the light theme and in the dark one; a screenshot of each. */
async function expectNoViolations(page: Page, name: string, viewport: Viewport): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, colorScheme === "light" ? name : `${name}-dark`, viewport);
    const violations = await axeViolations(page);
    expect(violations, `axe violations on ${name} (${colorScheme}) at ${viewport.name} width:\n${describeViolations(violations)}`).toEqual(
      [],
    );
  }
  await page.emulateMedia({ colorScheme: "light" });
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

async function withContext<T>(world: World, viewport: Viewport, run: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const context = await openContext(world.browser, viewport);
  try {
    return await run(context, await context.newPage());
  } finally {
    await context.close();
  }
}

export function signupJourneys(getWorld: () => World): void {
  const [desktop] = VIEWPORTS;
  if (!desktop) throw new Error("no desktop viewport");

  describe("the signup form in the browser", () => {
    it("previews the address and says whether it is free as it is typed", async () => {
      await withContext(getWorld(), desktop, async (_context, page) => {
        await page.goto(`${getWorld().apexOrigin}/signup`);
        const slug = newSlug();
        await page.locator("#slug").fill(slug);
        await expect.poll(() => page.locator("#mcp-url-preview").textContent()).toContain(`${slug}.localhost`);
        expect(await page.locator("#redirect-uri-preview").textContent()).toContain(`https://${slug}.`);
        await expect.poll(() => page.locator("#slug-availability").textContent()).toBe(`${slug} is available`);
        await page.locator("#slug").fill("www");
        await expect.poll(() => page.locator("#slug-availability").textContent()).toMatch(/reserved/);
      });
    });

    it("checks an empty form in the browser: nothing is posted, each field says what to enter, focus on the summary", async () => {
      await withContext(getWorld(), desktop, async (_context, page) => {
        await page.goto(`${getWorld().apexOrigin}/signup`);
        let posted = false;
        page.on("request", (request) => {
          if (request.method() === "POST") posted = true;
        });
        await page.getByRole("button", { name: "Create my gateway" }).click();
        await expect.poll(() => activeId(page)).toBe("error-summary");
        expect(posted).toBe(false);
        expect(await page.locator("#orgName").getAttribute("aria-invalid")).toBe("true");
        expect(await page.locator("#orgName-error").textContent()).toBe("Enter your organization's name");
        expect(await page.locator("#clientSecret").getAttribute("aria-describedby")).toContain("clientSecret-error");
        expect(await page.locator("#error-summary a").count()).toBe(6);
        // The button is not left busy by a submit that never left the page.
        expect(await page.getByRole("button", { name: "Create my gateway" }).isEnabled()).toBe(true);
        await page.locator('#error-summary a[href="#entraTenantId"]').click();
        expect(await activeId(page)).toBe("entraTenantId");
      });
    });

    const REFUSALS = [
      {
        name: "wrong-secret",
        field: "clientSecret",
        words: /AADSTS7000215/,
        app: async () => ({ ...(await entraApp(getWorld())), clientSecret: "not-the-secret" }),
      },
      {
        name: "expired-secret",
        field: "clientSecret",
        words: /AADSTS7000222/,
        app: () => entraApp(getWorld(), { secretExpiresAt: new Date(Date.now() - 60_000).toISOString() }),
      },
      {
        name: "unknown-client",
        field: "clientId",
        words: /AADSTS700016/,
        app: async () => ({ ...(await entraApp(getWorld())), clientId: randomUUID() }),
      },
      {
        name: "unknown-tenant",
        field: "entraTenantId",
        words: /AADSTS90002/,
        app: async () => ({ ...(await entraApp(getWorld())), entraTenantId: randomUUID() }),
      },
    ];

    it.for(REFUSALS)("lands Entra's refusal ($name) at its field, with focus on the summary", async ({ field, words, app }) => {
      await withContext(getWorld(), desktop, async (_context, page) => {
        await page.goto(`${getWorld().apexOrigin}/signup`);
        const slug = newSlug();
        await completeForm(page, slug, await app());
        expect(await submit(page)).toBe(422);
        await expect.poll(() => activeId(page)).toBe("error-summary");
        expect(await page.locator(`#${field}`).getAttribute("aria-invalid")).toBe("true");
        expect(await page.locator(`#${field}-error`).textContent()).toMatch(words);
        expect(await page.locator("#clientSecret").inputValue()).toBe("");
        expect(await page.locator("#slug").inputValue()).toBe(slug);
        await page.locator(`#error-summary a[href="#${field}"]`).click();
        expect(await activeId(page)).toBe(field);
      });
    });
  });

  describe("the happy path", () => {
    it("goes from the form to the result checklist: copy buttons, the admin key once, a warning before leaving", async () => {
      await withContext(getWorld(), desktop, async (context, page) => {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: getWorld().apexOrigin });
        await page.goto(`${getWorld().apexOrigin}/signup`);
        const slug = newSlug();
        await completeForm(page, slug, await entraApp(getWorld()));
        expect(await submit(page)).toBe(201);
        expect(await page.locator("h1").allTextContents()).toEqual(["Your gateway is ready"]);
        const key = (await page.locator("#admin-key").textContent())?.trim() ?? "";
        expect(key).toMatch(/^m365gw_admin_/);
        expect((await page.locator("main").innerText()).split(key)).toHaveLength(2);

        const mcpUrl = (await page.locator("#mcp-url").textContent())?.trim();
        expect(mcpUrl).toBe(`${getWorld().apexOrigin.replace("://", `://${slug}.`)}/mcp`);
        await page.getByRole("button", { name: "Copy MCP URL" }).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(mcpUrl);
        await page.getByRole("button", { name: "Copy the list" }).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain("Mail.ReadWrite");
        expect(await page.getByRole("link", { name: "Grant admin consent" }).getAttribute("href")).toMatch(/\/v2\.0\/adminconsent\?/);
        expect(await page.getByRole("link", { name: "Open the admin console" }).getAttribute("href")).toMatch(/\/admin$/);

        // Leaving before the key is stored asks first; a reload would lose it.
        const dialogs: string[] = [];
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.type());
          void dialog.dismiss();
        });
        await page.close({ runBeforeUnload: true });
        await expect.poll(() => dialogs).toEqual(["beforeunload"]);
        expect(page.isClosed()).toBe(false);

        await page.getByRole("button", { name: "Copy admin key" }).click();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Download admin key" }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(`${slug}-admin-key.txt`);
        const saved = await download.createReadStream();
        let text = "";
        for await (const chunk of saved) text += String(chunk);
        expect(text.trim()).toBe(key);
        await page.close({ runBeforeUnload: true });
        await expect.poll(() => page.isClosed()).toBe(true);
        expect(dialogs).toEqual(["beforeunload"]);
      });
    });
  });

  describe.each(VIEWPORTS)("axe at $name width ($width×$height)", (viewport) => {
    it("finds no violations on the form refused by the browser, the form refused by Entra, and the result page", async () => {
      await withContext(getWorld(), viewport, async (_context, page) => {
        await page.goto(`${getWorld().apexOrigin}/signup`);
        await page.getByRole("button", { name: "Create my gateway" }).click();
        await expect.poll(() => activeId(page)).toBe("error-summary");
        await expectNoViolations(page, "signup-checked-in-browser", viewport);

        await page.goto(`${getWorld().apexOrigin}/signup`);
        await completeForm(page, newSlug(), { ...(await entraApp(getWorld())), clientSecret: "not-the-secret" });
        expect(await submit(page)).toBe(422);
        await expectNoViolations(page, "signup-refused-by-entra", viewport);

        await completeForm(page, newSlug(), await entraApp(getWorld()));
        expect(await submit(page)).toBe(201);
        await expectNoViolations(page, "signup-result", viewport);

        // With a certificate: no secret typed, and the result leads with the certificate to upload.
        await page.goto(`${getWorld().apexOrigin}/signup`);
        const { clientSecret: _unused, ...ids } = await entraApp(getWorld());
        await fillForm(page, { orgName: "Certificate Org", slug: newSlug(), adminEmail: "it@wizard.example", ...ids });
        await page.getByRole("radio", { name: /Certificate \(no secret\)/ }).check();
        expect(await submit(page)).toBe(201);
        expect(await page.locator("#certificate-pem").textContent()).toContain("-----BEGIN CERTIFICATE-----");
        await expectNoViolations(page, "signup-result-certificate", viewport);
      });
    });
  });
}
