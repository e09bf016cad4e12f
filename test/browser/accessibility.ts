/**
 * @module
 * The product in a real headless Chromium: the browser runs and the keyboard
 * reaches the signup form, and every page a person sees has zero axe-core
 * violations of any impact at desktop and mobile width. A screenshot of each
 * page is kept under test-results/browser/ for a reviewer.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, describeViolations, openContext, screenshot, VIEWPORTS } from "./pages";
import type { World } from "./world";

export function accessibilityChecks(getWorld: () => World): void {
  const PAGES = [
    { name: "apex-landing", status: 200, url: () => `${getWorld().apexOrigin}/` },
    { name: "signup", status: 200, url: () => `${getWorld().apexOrigin}/signup` },
    { name: "tenant-landing", status: 200, url: () => `${getWorld().tenantOrigin}/` },
    { name: "consent", status: 200, url: () => getWorld().consentUrl },
    { name: "admin-consent-granted", status: 200, url: () => getWorld().adminConsentResultUrl },
    // A sign-in link used twice, expired or opened in another browser.
    { name: "sign-in-link-expired", status: 400, url: () => `${getWorld().tenantOrigin}/callback?state=not-a-sign-in&code=x` },
    // Error pages a browser gets: the MCP URL opened in a browser, an unknown organization, an unknown page.
    { name: "mcp-in-browser", status: 401, url: () => `${getWorld().tenantOrigin}/mcp` },
    { name: "unknown-organization", status: 404, url: () => getWorld().apexOrigin.replace("://", "://no-such-org.") + "/" },
    { name: "not-found", status: 404, url: () => `${getWorld().apexOrigin}/no-such-page` },
  ];

  const [desktop] = VIEWPORTS;

  describe("the browser", () => {
    it("renders the apex landing page with its title and heading", async () => {
      if (!desktop) throw new Error("no desktop viewport");
      const context = await openContext(getWorld().browser, desktop);
      try {
        const page = await context.newPage();
        const response = await page.goto(`${getWorld().apexOrigin}/`);
        expect(response?.status()).toBe(200);
        expect(await page.title()).toMatch(/MCP gateway/);
        expect(await page.locator("h1").first().isVisible()).toBe(true);
      } finally {
        await context.close();
      }
    });

    it("reaches the signup form's first field with Tab", async () => {
      if (!desktop) throw new Error("no desktop viewport");
      const context = await openContext(getWorld().browser, desktop);
      try {
        const page = await context.newPage();
        await page.goto(`${getWorld().apexOrigin}/signup`);
        const reached: string[] = [];
        for (let press = 0; press < 20; press += 1) {
          await page.keyboard.press("Tab");
          const focused = await page.evaluate(() => document.activeElement?.id ?? "");
          reached.push(focused);
          if (focused === "orgName") break;
        }
        expect(reached.at(-1), `focus went through: ${reached.join(", ")}`).toBe("orgName");
      } finally {
        await context.close();
      }
    });
  });

  describe.each(VIEWPORTS)("at $name width ($width×$height)", (viewport) => {
    // Each page in a context of its own, all at once: the time goes to waiting on the browser.
    // Concurrent tests assert through their own context's expect.
    it.concurrent.for(PAGES)("$name has no accessibility violations", async ({ name, status, url }, { expect: expectHere }) => {
      const context = await openContext(getWorld().browser, viewport);
      try {
        const page = await context.newPage();
        const response = await page.goto(url());
        expectHere(response?.status()).toBe(status);
        await screenshot(page, name, viewport);
        const violations = await axeViolations(page);
        expectHere(violations, `axe violations on ${name} at ${viewport.name} width:\n${describeViolations(violations)}`).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
}
