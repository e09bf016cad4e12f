import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { APEX, call, createTenant, json, tenantUrl, uniqueSlug } from "./helpers/gateway";
import { adminCall, errorOf } from "./helpers/tenants";

/** Host → tenant table: only the URL's own host picks what answers. */
describe("apex host", () => {
  it("serves the landing page as HTML", async () => {
    const response = await call(`${APEX}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("Microsoft 365 for your AI clients");
  });

  it("serves /health", async () => {
    const response = await call(`${APEX}/health`);
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: "ok" });
  });

  it("redirects a trailing-dot apex host to its one canonical spelling", async () => {
    const response = await exports.default.fetch(new Request("https://mcp.example.com./health?x=1", { redirect: "manual" }));
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("https://mcp.example.com/health?x=1");
  });
});

describe("tenant host", () => {
  it("serves a signed-up tenant's landing page on <slug>.<BASE_DOMAIN>", async () => {
    const tenant = await createTenant({ orgName: "Routing Landing Org" });
    const response = await call(tenantUrl(tenant.tenant.slug, "/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain("Routing Landing Org");
    expect(page).toContain(`https://${tenant.tenant.slug}.mcp.example.com/mcp`);
  });

  it("escapes the organization name on its landing page", async () => {
    const tenant = await createTenant({ orgName: "<script>alert(1)</script> & Co" });
    const page = await (await call(tenantUrl(tenant.tenant.slug, "/"))).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
  });

  it("resolves a slug right after signup even if it was looked up (and missed) just before", async () => {
    const slug = uniqueSlug("late");
    expect((await call(tenantUrl(slug, "/"))).status).toBe(404);
    await createTenant({ slug, orgName: "Late Org" });
    const response = await call(tenantUrl(slug, "/"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Late Org");
  });

  it("normalises an upper-case host to the tenant", async () => {
    const tenant = await createTenant({ orgName: "Upper Case Org" });
    const response = await call(`https://${tenant.tenant.slug.toUpperCase()}.MCP.EXAMPLE.COM/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Upper Case Org");
  });

  it("redirects a trailing-dot tenant host to the canonical host, so links and redirect URIs never carry the dot", async () => {
    const tenant = await createTenant({ orgName: "Trailing Dot Org" });
    const response = await exports.default.fetch(
      new Request(`https://${tenant.tenant.slug}.mcp.example.com./authorize?client_id=x`, { redirect: "manual" }),
    );
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe(`https://${tenant.tenant.slug}.mcp.example.com/authorize?client_id=x`);
  });

  it("resolves a tenant host that carries a port", async () => {
    const tenant = await createTenant({ orgName: "Port Org" });
    const response = await call(`https://${tenant.tenant.slug}.mcp.example.com:8443/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Port Org");
    // Links name the canonical host, not the port the request arrived on.
    expect(page).toContain(`https://${tenant.tenant.slug}.mcp.example.com/mcp`);
    expect(page).not.toContain(":8443");
  });

  it("ignores X-Forwarded-Host: the request stays on the URL host's tenant", async () => {
    const mine = await createTenant({ orgName: "URL Host Org" });
    const other = await createTenant({ orgName: "Forwarded Host Org" });
    const response = await call(tenantUrl(mine.tenant.slug, "/"), {
      headers: { "x-forwarded-host": `${other.tenant.slug}.mcp.example.com` },
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("URL Host Org");
    expect(page).not.toContain("Forwarded Host Org");

    // Nor can the header lend another tenant's admin API to a caller.
    const admin = await adminCall(mine.tenant.slug, "/tenant", other.adminKey, {
      headers: { "x-forwarded-host": `${other.tenant.slug}.mcp.example.com` },
    });
    expect(admin.status).toBe(401);
  });

  it("does not let X-Forwarded-Host turn a foreign host into a tenant", async () => {
    const tenant = await createTenant();
    const response = await call("https://evil.com/", {
      headers: { "x-forwarded-host": `${tenant.tenant.slug}.mcp.example.com` },
    });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error).toBe("unknown_host");
  });
});

describe("hosts that name no tenant", () => {
  it("answers 404 tenant_not_found with a clear message for an unknown slug", async () => {
    const slug = uniqueSlug("nobody");
    const response = await call(tenantUrl(slug, "/"));
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.error).toBe("tenant_not_found");
    expect(error.message).toBe(`No organization is registered at ${slug}.mcp.example.com`);
  });

  it.each([
    ["reserved name", "www"],
    ["underscore", "a_b"],
    ["punycode prefix", "xn--x"],
    ["punycode of a real IDN", "xn--mnchen-3ya"],
    ["too short", "ab"],
    ["leading hyphen", "-acme"],
  ])("answers 404 tenant_not_found for an invalid label (%s: %s)", async (_why, label) => {
    const response = await call(`https://${label}.mcp.example.com/`);
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.error).toBe("tenant_not_found");
    expect(error.message).toContain("is not a valid organization address");
  });

  it.each([
    ["nested subdomain", "https://a.b.mcp.example.com/"],
    ["nested subdomain of a real-looking slug", "https://x.acme-corp.mcp.example.com/health"],
    ["foreign host", "https://evil.com/"],
    ["look-alike suffix", "https://evilmcp.example.com/"],
    ["base domain as a prefix", "https://mcp.example.com.evil.com/"],
  ])("answers 404 unknown_host for a %s", async (_why, url) => {
    const response = await call(url);
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.error).toBe("unknown_host");
    expect(error.message).toContain("mcp.example.com");
  });
});

describe("suspended tenant", () => {
  it("answers 403 tenant_suspended on / and /health, while its admin API keeps working", async () => {
    const tenant = await createTenant({ orgName: "Suspended Org" });
    const slug = tenant.tenant.slug;
    expect((await adminCall(slug, "/suspend", tenant.adminKey, { method: "POST" })).status).toBe(200);

    for (const path of ["/", "/health"]) {
      const response = await call(tenantUrl(slug, path));
      expect(response.status).toBe(403);
      const error = await errorOf(response);
      expect(error.error).toBe("tenant_suspended");
      expect(error.message).toContain("Suspended Org");
    }

    const settings = await adminCall(slug, "/tenant", tenant.adminKey);
    expect(settings.status).toBe(200);
    expect(await json(settings)).toMatchObject({ status: "suspended" });

    // The admin API is still behind the admin key while suspended.
    expect((await adminCall(slug, "/tenant", "m365gw_admin_wrong")).status).toBe(401);

    expect((await adminCall(slug, "/resume", tenant.adminKey, { method: "POST" })).status).toBe(200);
    expect((await call(tenantUrl(slug, "/"))).status).toBe(200);
  });
});
