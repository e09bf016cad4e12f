/** @module The browser tests' own footing: Chromium runs, a page renders, the keyboard reaches the signup form. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { connectBrowser, openContext, VIEWPORTS } from "./pages";

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser.close();
});

const [desktop] = VIEWPORTS;

it("the apex landing page renders with its title and heading", async () => {
  if (!desktop) throw new Error("no desktop viewport");
  const context = await openContext(browser, desktop);
  try {
    const page = await context.newPage();
    const response = await page.goto(`${inject("apexOrigin")}/`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toMatch(/MCP gateway/);
    expect(await page.locator("h1").first().isVisible()).toBe(true);
  } finally {
    await context.close();
  }
});

it("Tab reaches the signup form's first field", async () => {
  if (!desktop) throw new Error("no desktop viewport");
  const context = await openContext(browser, desktop);
  try {
    const page = await context.newPage();
    await page.goto(`${inject("apexOrigin")}/signup`);
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
