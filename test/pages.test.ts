import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/env";
import worker from "../src/index";
import { APEX, call, createTenant, json, tenantUrl, uniqueIp, uniqueSlug } from "./helpers/gateway";
import { expectLimitedAfterBudget } from "./helpers/rate-limit";
import { adminCall, errorOf } from "./helpers/tenants";

/** Pages: one layout with landmarks, one external stylesheet, a strict CSP, and HTML errors for browsers only. */

/** What a browser sends when it navigates to a page. */
const BROWSER = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

/** Every page: one `<main>`, a `<header>` naming the product, the shared stylesheet, nothing inline. */
async function expectLayout(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  const text = await response.text();
  expect(count(text, /<main[\s>]/)).toBe(1);
  expect(count(text, /<header[\s>]/)).toBe(1);
  expect(text).toContain("Microsoft 365 MCP gateway");
  expect(text).toMatch(/<link rel="stylesheet" href="\/assets\/app\.css\?v=[0-9a-f]{8}"/);
  expect(text).not.toMatch(/<style[\s>]/);
  expect(text).not.toMatch(/\sstyle="/);
  // Scripts only by src, never inline.
  for (const tag of text.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="/);
  expect(text).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
  // Nothing outside the landmarks: the body holds only header, main and footer.
  const body = text.slice(text.indexOf("<body>") + "<body>".length, text.indexOf("</body>"));
  const outside = body.replace(/<header>[\s\S]*<\/header>|<main>[\s\S]*<\/main>|<footer>[\s\S]*<\/footer>/g, "").trim();
  expect(outside).toBe("");
  return text;
}

describe("the layout", () => {
  it("wraps the apex pages in one header and one main", async () => {
    for (const path of ["/", "/signup"]) {
      const response = await call(`${APEX}${path}`, { headers: BROWSER });
      expect(response.status).toBe(200);
      await expectLayout(response);
    }
  });

  it("names the organization in a tenant page's header", async () => {
    const tenant = await createTenant({ orgName: "Header Org" });
    const response = await call(tenantUrl(tenant.tenant.slug, "/"), { headers: BROWSER });
    expect(response.status).toBe(200);
    const text = await expectLayout(response);
    expect(text).toMatch(/<header>[\s\S]*Header Org[\s\S]*<\/header>/);
  });
});

describe("the stylesheet", () => {
  it("is served as text/css with a long cache on the apex and on tenant hosts, even unknown ones", async () => {
    const tenant = await createTenant({ orgName: "Stylesheet Org" });
    for (const origin of [APEX, tenantUrl(tenant.tenant.slug), tenantUrl(uniqueSlug("nobody"))]) {
      const response = await call(`${origin}/assets/app.css`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/css/);
      expect(response.headers.get("cache-control")).toContain("max-age=31536000");
      const css = await response.text();
      expect(css).toContain("prefers-color-scheme: dark");
      expect(css).toContain(":focus-visible");
    }
  });

  it("the script is served too, and every page loads it deferred from the gateway", async () => {
    const tenant = await createTenant({ orgName: "Script Org" });
    for (const origin of [APEX, tenantUrl(tenant.tenant.slug)]) {
      const response = await call(`${origin}/assets/app.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(response.headers.get("cache-control")).toContain("max-age=31536000");
      expect(await response.text()).toContain("data-copy");
    }
    const page = await (await call(`${APEX}/`)).text();
    expect(page).toMatch(/<script src="\/assets\/app\.js\?v=[0-9a-f]{8}" defer><\/script>/);
  });
});

describe("error pages for browsers, JSON for API clients", () => {
  it("an unknown organization: 404 both ways", async () => {
    const url = tenantUrl(uniqueSlug("missing"), "/");
    const page = await call(url, { headers: BROWSER });
    expect(page.status).toBe(404);
    expect(await expectLayout(page)).toContain("No organization at this address");
    const api = await call(url, { headers: { accept: "application/json" } });
    expect(api.status).toBe(404);
    expect((await errorOf(api)).error).toBe("tenant_not_found");
    const noAccept = await call(url);
    expect(noAccept.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await errorOf(noAccept)).error).toBe("tenant_not_found");
  });

  it("a suspended organization: 403 on its pages and mid sign-in, JSON for API clients", async () => {
    const tenant = await createTenant({ orgName: "Suspended Page Org" });
    const suspended = await adminCall(tenant.tenant.slug, "/suspend", tenant.adminKey, { method: "POST" });
    expect(await json(suspended)).toEqual({ status: "suspended" });
    for (const path of ["/", "/authorize?response_type=code", "/callback?code=x&state=y"]) {
      const page = await call(tenantUrl(tenant.tenant.slug, path), { headers: BROWSER });
      expect(page.status).toBe(403);
      const text = await expectLayout(page);
      expect(text).toContain("This organization is suspended");
      expect(text).toContain("Suspended Page Org");
      const api = await call(tenantUrl(tenant.tenant.slug, path), { headers: { accept: "application/json" } });
      expect(api.status).toBe(403);
      expect((await errorOf(api)).error).toBe("tenant_suspended");
    }
  });

  it("rate limited: 429 with Retry-After both ways", async () => {
    const ip = uniqueIp();
    // Only a signup that reaches Entra spends the budget: an unknown Entra tenant is refused there.
    const refused = {
      orgName: "Acme",
      slug: "rate-page",
      entraTenantId: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
      clientSecret: "x",
      adminEmail: "it@acme.example",
    };
    const send = (accept: string) => call(`${APEX}/api/signup`, { json: refused, headers: { "cf-connecting-ip": ip, accept } });
    const page = await expectLimitedAfterBudget(5, 422, () => send(BROWSER.accept));
    expect(page.headers.get("retry-after")).toBe("60");
    expect(await expectLayout(page)).toContain("Too many requests");
    const api = await send("application/json");
    expect(api.status).toBe(429);
    expect(api.headers.get("retry-after")).toBe("60");
    expect((await errorOf(api)).error).toBe("rate_limited");
  });

  it("rate limited mid sign-in: a browser gets the page, an OAuth client slow_down", async () => {
    const tenant = await createTenant();
    const headers = { "cf-connecting-ip": uniqueIp() };
    const callback = `${tenantUrl(tenant.tenant.slug, "/callback")}?state=not-a-sign-in&code=x`;
    const page = await expectLimitedAfterBudget(120, 400, () => call(callback, { headers: { ...headers, ...BROWSER } }));
    expect(page.headers.get("retry-after")).toBe("60");
    expect(await expectLayout(page)).toContain("Too many requests");
    const client = await call(callback, { headers });
    expect(client.status).toBe(429);
    expect(await json(client)).toMatchObject({ error: "slow_down" });
  });

  it("an unknown route: 404 both ways", async () => {
    const page = await call(`${APEX}/no-such-page`, { headers: BROWSER });
    expect(page.status).toBe(404);
    expect(await expectLayout(page)).toContain("Page not found");
    const api = await call(`${APEX}/no-such-page`);
    expect(api.status).toBe(404);
    expect(await errorOf(api)).toEqual({ error: "not_found", message: "No route for GET /no-such-page" });
  });

  it("a misconfigured gateway: 500 both ways, naming no setting", async () => {
    const bad = { ...env, ACTIVE_KEK_ID: "9" } as Env;
    const page = await worker.fetch(new Request(`${APEX}/`, { headers: BROWSER }), bad, createExecutionContext());
    expect(page.status).toBe(500);
    const text = await expectLayout(page);
    expect(text).toContain("The gateway is not available");
    expect(text).not.toContain("KEK");
    const api = await worker.fetch(new Request(`${APEX}/`), bad, createExecutionContext());
    expect(api.status).toBe(500);
    expect(await errorOf(api)).toEqual({
      error: "gateway_misconfigured",
      message: "The gateway is misconfigured; the operator has been told",
    });
  });

  it("/mcp opened in a browser: 401 with WWW-Authenticate, as a page saying what the address is for", async () => {
    const tenant = await createTenant({ orgName: "Browser MCP Org" });
    const mcpUrl = tenantUrl(tenant.tenant.slug, "/mcp");
    const page = await call(mcpUrl, { headers: BROWSER });
    expect(page.status).toBe(401);
    const challenge = page.headers.get("www-authenticate");
    expect(challenge).toMatch(/^Bearer /);
    const text = await expectLayout(page);
    expect(text).toContain("This is an MCP server address");
    expect(text).toContain(mcpUrl);

    const client = await call(mcpUrl, { headers: { accept: "application/json, text/event-stream" } });
    expect(client.status).toBe(401);
    expect(client.headers.get("www-authenticate")).toBe(challenge);
    expect(client.headers.get("content-type") ?? "").not.toMatch(/^text\/html/);
    await client.body?.cancel();
  });
});
