/**
 * @module
 * Connecting a client, in a real headless Chromium: every copy button on the
 * organization's landing page puts its exact text on the clipboard and says
 * so in the page's status region, the page (every client's steps open) has
 * no axe-core violation at desktop or mobile width, and a person goes from
 * the consent page through Allow and the emulator's Entra sign-in back to
 * the client's redirect URI with a code and the client's own state.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CLIENT_REDIRECT } from "../helpers/oauth-browser";
import { axeViolations, describeViolations, openContext, screenshot, VIEWPORTS } from "./pages";
import type { World } from "./world";

export function connectJourneys(getWorld: () => World): void {
  const [desktop] = VIEWPORTS;

  function requireDesktop() {
    if (!desktop) throw new Error("no desktop viewport");
    return desktop;
  }

  /** The texts whose exact form the tests know independently of the page: the URL and the commands built from it. */
  function expectedCopies(): Record<string, string> {
    const mcpUrl = `${getWorld().tenantOrigin}/mcp`;
    const slug = new URL(getWorld().tenantOrigin).hostname.split(".")[0] ?? "";
    return {
      "mcp-url": mcpUrl,
      "connect-claude-url": mcpUrl,
      "connect-chatgpt-url": mcpUrl,
      "connect-claude-code-command": `claude mcp add --transport http ${slug}-m365 ${mcpUrl}`,
      "connect-vscode-command": `code --add-mcp '${JSON.stringify({ name: `${slug}-m365`, type: "http", url: mcpUrl })}'`,
    };
  }

  /** Opens every client's disclosure with the keyboard, as a person would: focus its summary, press Enter. */
  async function openEveryClient(page: Page): Promise<void> {
    const summaries = page.locator("details.connect-client > summary");
    for (let index = 0; index < (await summaries.count()); index += 1) {
      await summaries.nth(index).focus();
      await page.keyboard.press("Enter");
    }
    expect(await page.locator("details.connect-client:not([open])").count()).toBe(0);
  }

  describe("the landing page's copy buttons", () => {
    it("each copies its exact text and the status region says Copied", async () => {
      const context = await openContext(getWorld().browser, requireDesktop());
      try {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: getWorld().tenantOrigin });
        const page = await context.newPage();
        expect((await page.goto(`${getWorld().tenantOrigin}/`))?.status()).toBe(200);
        await openEveryClient(page);
        const buttons = page.locator("button[data-copy]");
        const count = await buttons.count();
        expect(count).toBeGreaterThanOrEqual(7);
        const known = expectedCopies();
        const copied: string[] = [];
        for (let index = 0; index < count; index += 1) {
          const button = buttons.nth(index);
          const target = (await button.getAttribute("data-copy")) ?? "";
          expect(await button.isVisible(), `the copy button for ${target} is shown`).toBe(true);
          await page.evaluate(() => {
            const status = document.getElementById("page-status");
            if (status) status.textContent = "";
          });
          await button.click();
          await page.waitForFunction(() => document.getElementById("page-status")?.textContent?.includes("Copied"));
          const clipboard = await page.evaluate(() => navigator.clipboard.readText());
          const shown = (await page.locator(`[id="${target}"]`).textContent())?.trim();
          expect(clipboard, target).toBe(shown);
          expect(clipboard, target).toBe(known[target] ?? shown);
          copied.push(target);
        }
        expect(copied).toEqual(expect.arrayContaining(Object.keys(known)));
        // The multi-line mcp-remote configuration arrives as JSON, line breaks and all.
        const config = await page.locator("#connect-mcp-remote-config").textContent();
        expect(JSON.parse(config ?? "")).toMatchObject({ mcpServers: expect.any(Object) });
      } finally {
        await context.close();
      }
    });
  });

  describe.each(VIEWPORTS)("the landing page with every client open, at $name width", (viewport) => {
    it("has no accessibility violations, in the light theme or the dark", async () => {
      const context = await openContext(getWorld().browser, viewport);
      try {
        const page = await context.newPage();
        expect((await page.goto(`${getWorld().tenantOrigin}/`))?.status()).toBe(200);
        await openEveryClient(page);
        await screenshot(page, "tenant-landing-open", viewport);
        const violations = await axeViolations(page);
        expect(violations, `axe violations at ${viewport.name} width:\n${describeViolations(violations)}`).toEqual([]);
        // The dark theme too: its own colours must meet the same contrast.
        await page.emulateMedia({ colorScheme: "dark" });
        await screenshot(page, "tenant-landing-open-dark", viewport);
        const dark = await axeViolations(page);
        expect(dark, `axe violations in the dark theme at ${viewport.name} width:\n${describeViolations(dark)}`).toEqual([]);
        // Nothing wider than the screen: long commands wrap instead of scrolling the page sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await context.close();
      }
    });
  });

  describe("consent, sign-in, code", () => {
    it("goes from Allow through the emulator's sign-in to the client's redirect URI with a code and its state", async () => {
      const context = await openContext(getWorld().browser, requireDesktop());
      try {
        const page = await context.newPage();
        expect((await page.goto(getWorld().consentUrl))?.status()).toBe(200);
        expect(await page.getByText("Changing your mind later:").isVisible()).toBe(true);
        const violations = await axeViolations(page);
        expect(violations, `axe violations on the consent page:\n${describeViolations(violations)}`).toEqual([]);

        await page.getByRole("button", { name: "Allow" }).click();
        await page.waitForURL((url) => url.pathname.endsWith("/oauth2/v2.0/authorize"));
        // The browser's request to the client's loopback redirect URI is the result; nothing needs to answer it.
        const toClient = page.waitForRequest((request) => request.url().startsWith(CLIENT_REDIRECT));
        await page.getByRole("link", { name: new RegExp(getWorld().user.userPrincipalName.replaceAll(".", "\\.")) }).click();
        const landed = new URL((await toClient).url());
        expect(`${landed.origin}${landed.pathname}`).toBe(CLIENT_REDIRECT);
        expect(landed.searchParams.get("code")).toMatch(/\S{16,}/);
        expect(landed.searchParams.get("state")).toBe("client-state-1");
        expect(landed.searchParams.has("error")).toBe(false);
      } finally {
        await context.close();
      }
    });
  });
}
