/**
 * @module
 * Every page a person sees, at desktop and mobile width, with zero axe-core
 * violations of any impact. A screenshot of each is kept under
 * test-results/browser/ for a reviewer.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { axeViolations, connectBrowser, describeViolations, openContext, screenshot, VIEWPORTS } from "./pages";

const PAGES = [
  { name: "apex-landing", url: () => `${inject("apexOrigin")}/` },
  { name: "signup", url: () => `${inject("apexOrigin")}/signup` },
  { name: "tenant-landing", url: () => `${inject("tenantOrigin")}/` },
  { name: "consent", url: () => inject("consentUrl") },
];

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe.each(VIEWPORTS)("at $name width ($width×$height)", (viewport) => {
  // Each page in a context of its own, all at once: the time goes to waiting on the browser.
  it.concurrent.for(PAGES)("$name has no accessibility violations", async ({ name, url }, { expect }) => {
    const context = await openContext(browser, viewport);
    try {
      const page = await context.newPage();
      const response = await page.goto(url());
      expect(response?.status()).toBe(200);
      await screenshot(page, name, viewport);
      const violations = await axeViolations(page);
      expect(violations, `axe violations on ${name} at ${viewport.name} width:\n${describeViolations(violations)}`).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
