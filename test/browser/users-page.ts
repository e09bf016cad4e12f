/**
 * @module
 * The admin console's Users page in a real headless Chromium, at desktop and
 * 390 px wide, in the light and the dark theme: zero axe-core violations, no
 * sideways scrolling, and the keyboard reaches every Disconnect button and
 * the revoke-all disclosure. The page is rendered by its own function with
 * names long and hostile enough to stress it, and served on the
 * organization's host with the gateway's real stylesheet, script and CSP.
 */
import { describe, expect, it } from "vitest";
import { usersPage } from "../../src/http/pages/console/users-page";
import { PAGE_SECURITY_HEADERS } from "../../src/http/pages/layout";
import type { UserAccess } from "../../src/oauth/connected-client";
import { axeViolations, describeViolations, openContext, screenshot, VIEWPORTS } from "./pages";
import type { World } from "./world";

export function usersPageChecks(getWorld: () => World): void {
  const HOUR_MS = 3_600_000;

  function sampleUsers(): UserAccess[] {
    const now = Date.now();
    const id = () => `${crypto.randomUUID()}.${crypto.randomUUID()}`;
    return [
      {
        userId: id(),
        upn: "dana.whitfield-with-a-long-sign-in-name@contoso-international.example",
        displayName: "Dana Whitfield",
        firstSignInAt: new Date(now - 48 * HOUR_MS),
        lastSignInAt: new Date(now - HOUR_MS),
        clients: [
          {
            grantId: "grantAAAAAAAAAAA",
            clientId: "client-a",
            clientName: "Claude <desktop> with an unusually long self-chosen name that wraps",
            verifiedDomain: undefined,
            redirect: { local: false, label: "claude.ai" },
            connectedAt: new Date(now - 48 * HOUR_MS),
            lastUsedAt: new Date(now - HOUR_MS),
          },
          {
            grantId: "grantBBBBBBBBBBB",
            clientId: "https://app.example.com/oauth/client-metadata.json",
            clientName: "Example app",
            verifiedDomain: "app.example.com",
            redirect: { local: true, label: "an app on this computer: cursor://anysphere.cursor-retrieval" },
            connectedAt: new Date(now - 2 * HOUR_MS),
            lastUsedAt: undefined,
          },
        ],
      },
      {
        userId: id(),
        upn: "sam@contoso.example",
        displayName: null,
        firstSignInAt: new Date(now),
        lastSignInAt: new Date(now),
        clients: [],
      },
    ];
  }

  /** The page's HTML as its route will answer, for the preview URL on the org's host. */
  async function renderedPage(users: UserAccess[], confirmMissingFor?: string): Promise<string> {
    const view = { users, nextCursor: "1_x", mcpUrl: `${getWorld().tenantOrigin}/mcp`, flash: "disconnected" as const, confirmMissingFor };
    return String(await usersPage(view, { orgName: "Contoso", adminName: "Ada Admin", csrfToken: "csrf-token" }));
  }

  const PREVIEW_PATH = "/admin/users";

  describe.each(VIEWPORTS)("the Users page at $name width ($width×$height)", (viewport) => {
    it.for(["light", "dark"] as const)("has no accessibility violations in the %s theme and no sideways scrolling", async (theme) => {
      const users = sampleUsers();
      const html = await renderedPage(users, users[0]?.userId);
      const context = await openContext(getWorld().browser, viewport);
      try {
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: theme });
        await page.route(`${getWorld().tenantOrigin}${PREVIEW_PATH}`, (route) =>
          route.fulfill({ status: 200, headers: { ...PAGE_SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" }, body: html }),
        );
        await page.goto(`${getWorld().tenantOrigin}${PREVIEW_PATH}`);
        await screenshot(page, `console-users-${theme}`, viewport);
        const violations = await axeViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await context.close();
      }
    });
  });

  describe("the Users page with the keyboard", () => {
    it("reaches each Disconnect button and opens the revoke-all disclosure", async () => {
      const [desktop] = VIEWPORTS;
      if (!desktop) throw new Error("no desktop viewport");
      const html = await renderedPage(sampleUsers());
      const context = await openContext(getWorld().browser, desktop);
      try {
        const page = await context.newPage();
        await page.route(`${getWorld().tenantOrigin}${PREVIEW_PATH}`, (route) =>
          route.fulfill({ status: 200, headers: { ...PAGE_SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" }, body: html }),
        );
        await page.goto(`${getWorld().tenantOrigin}${PREVIEW_PATH}`);
        const reached: string[] = [];
        for (let press = 0; press < 40; press += 1) {
          await page.keyboard.press("Tab");
          const focused = await page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, " ").trim() ?? "");
          reached.push(focused);
          if (focused.startsWith("Revoke all access and wipe data")) break;
        }
        expect(reached.filter((label) => label.startsWith("Disconnect"))).toHaveLength(2);
        expect(reached.at(-1)).toBe("Revoke all access and wipe data");
        await page.keyboard.press("Enter");
        expect(await page.locator("details#revoke-0").getAttribute("open")).not.toBeNull();
        expect(
          await page
            .getByRole("checkbox", { name: /loses access until they sign in again/ })
            .first()
            .isVisible(),
        ).toBe(true);
      } finally {
        await context.close();
      }
    });
  });
}
