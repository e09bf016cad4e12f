/**
 * @module
 * What the browser tests share: a fresh context per page at a given
 * viewport, screenshots under the git-ignored test-results/, and axe-core
 * run inside the page.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

export interface Viewport {
  name: "desktop" | "mobile";
  width: number;
  height: number;
}

export const VIEWPORTS: Viewport[] = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
];

export const SCREENSHOT_DIR = join("test-results", "browser");

/**
 * A context as a person's browser at that size; the run's certificate comes
 * from a CA the browser does not know, so its errors are ignored. The page's
 * own CSP stays in force: axe is evaluated through the DevTools protocol,
 * which the CSP does not govern.
 */
export function openContext(browser: Browser, viewport: Viewport): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.name === "mobile",
    hasTouch: viewport.name === "mobile",
    ignoreHTTPSErrors: true,
  });
}

export async function screenshot(page: Page, name: string, viewport: Viewport): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${viewport.name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every axe-core violation on the page, all rules and impacts, as a short list. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact ?? "none",
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}

/** One line per violation, for a failure message a reader can act on. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`).join("\n");
}
