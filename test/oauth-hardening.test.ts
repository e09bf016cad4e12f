import { describe, expect, it } from "vitest";
import { resolveHost } from "../src/tenancy/host";
import { APEX, call, json, tenantUrl } from "./helpers/gateway";
import { Browser, approveToEntra, authorizeUrl, openConsent, pkcePair, registerClient, tenantWithUser } from "./helpers/oauth-extra";

/** Issue 13's low findings on the OAuth server and its pages. */
const FULL_POLICY = ["default-src 'none'", "script-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"];

function expectFullPolicy(response: Response) {
  expect(response.headers.get("content-type")).toContain("text/html");
  const csp = response.headers.get("content-security-policy") ?? "";
  for (const directive of FULL_POLICY) expect(csp, csp).toContain(directive);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
}

describe("security headers on every page", () => {
  it("gives the consent page the full content security policy, not frame-ancestors alone", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const { response } = await openConsent(new Browser(), authorizeUrl(tenant.slug, client.client_id, challenge));
    expectFullPolicy(response);
    // The consent binding cookie the library sets is still there.
    expect(response.headers.getSetCookie().some((line) => line.startsWith("__Host-oauth-"))).toBe(true);
  });

  it("gives the landing, signup, sign-in problem and admin-consent pages the same policy", async () => {
    const tenant = await tenantWithUser();
    const pages = [
      await call(`${APEX}/`),
      await call(`${APEX}/signup`),
      await call(tenantUrl(tenant.slug, "/")),
      await call(tenantUrl(tenant.slug, "/authorize?client_id=nobody&response_type=code")),
      await call(tenantUrl(tenant.slug, "/callback?state=forged&code=x")),
      await call(tenantUrl(tenant.slug, "/callback?state=admin-consent&admin_consent=True")),
    ];
    for (const page of pages) expectFullPolicy(page);
  });
});

describe("issuer and resource from the canonical host", () => {
  it("ignores the Host header's port in the authorization server and protected resource metadata", async () => {
    const tenant = await tenantWithUser();
    const canonical = tenantUrl(tenant.slug);
    const odd = `https://${tenant.slug}.mcp.example.com:1`;
    const server = await json<{ issuer: string; authorization_endpoint: string; token_endpoint: string }>(
      await call(`${odd}/.well-known/oauth-authorization-server`),
    );
    expect(server.issuer).toBe(canonical);
    expect(server.authorization_endpoint).toBe(`${canonical}/authorize`);
    expect(server.token_endpoint).toBe(`${canonical}/token`);
    const resource = await json<{ resource: string; authorization_servers: string[] }>(
      await call(`${odd}/.well-known/oauth-protected-resource/mcp`),
    );
    expect(resource.resource).toBe(`${canonical}/mcp`);
    expect(resource.authorization_servers).toEqual([canonical]);
  });

  it("sends Entra the canonical callback when /authorize was reached on another port", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const authorize = authorizeUrl(tenant.slug, client.client_id, challenge).replace(".mcp.example.com/", ".mcp.example.com:1/");
    const { entra } = await approveToEntra(new Browser(), authorize, tenant.user.userPrincipalName);
    expect(entra.searchParams.get("redirect_uri")).toBe(tenantUrl(tenant.slug, "/callback"));
  });

  it("matches tenant hosts against a BASE_DOMAIN that names a port (local development)", () => {
    expect(resolveHost("demo.localhost", "localhost:8787")).toEqual({ kind: "tenant", slug: "demo" });
    expect(resolveHost("localhost", "localhost:8787")).toEqual({ kind: "apex" });
    expect(resolveHost("demo.localhost.evil", "localhost:8787")).toEqual({ kind: "foreign" });
  });
});
