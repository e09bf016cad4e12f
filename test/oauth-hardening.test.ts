import { describe, expect, it } from "vitest";
import { resolveHost } from "../src/tenancy/host";
import { isAllowedPrivateUseScheme } from "../src/tenancy/policy";
import { APEX, call, json, tenantUrl } from "./helpers/gateway";
import { env } from "cloudflare:workers";
import {
  Browser,
  CLIENT_REDIRECT,
  approveToEntra,
  authorizeUrl,
  authorizeWith,
  kvKeys,
  openConsent,
  pkcePair,
  registerClient,
  tenantWithUser,
  type OAuthTenant,
} from "./helpers/oauth-extra";

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

  it("names the canonical resource metadata in /mcp's 401 challenge on another port", async () => {
    const tenant = await tenantWithUser();
    const response = await call(`https://${tenant.slug}.mcp.example.com:1/mcp`, { json: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(`resource_metadata="${tenantUrl(tenant.slug, "/.well-known/oauth-protected-resource/mcp")}"`);
    expect(challenge).not.toContain(":1/");
  });

  it("matches tenant hosts against a BASE_DOMAIN that names a port (local development)", () => {
    expect(resolveHost("demo.localhost", "localhost:8787")).toEqual({ kind: "tenant", slug: "demo" });
    expect(resolveHost("localhost", "localhost:8787")).toEqual({ kind: "apex" });
    expect(resolveHost("demo.localhost.evil", "localhost:8787")).toEqual({ kind: "foreign" });
  });
});

function register(slug: string, metadata: Record<string, unknown>) {
  return call(tenantUrl(slug, "/register"), {
    json: { client_name: "Hardening client", redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: "none", ...metadata },
  });
}

async function expectRefusedMetadata(response: Response, field: string) {
  expect(response.status).toBe(400);
  const body = await json<{ error: string; error_description: string }>(response);
  expect(body.error).toBe("invalid_client_metadata");
  expect(body.error_description.startsWith(`${field}:`), body.error_description).toBe(true);
}

function allowCustomSchemes(tenant: OAuthTenant) {
  return call(tenantUrl(tenant.slug, "/api/admin/policy"), {
    method: "PATCH",
    json: { allowCustomSchemeRedirects: true },
    bearer: tenant.adminKey,
  });
}

describe("dynamic client registration limits", () => {
  it("refuses 11 redirect URIs and stores nothing; 10 are accepted", async () => {
    const tenant = await tenantWithUser();
    const uris = (count: number) => Array.from({ length: count }, (_, i) => `http://127.0.0.1:${40000 + i}/callback`);
    const before = await kvKeys(`t:${tenant.tenant.id}:client:`);
    await expectRefusedMetadata(await register(tenant.slug, { redirect_uris: uris(11) }), "redirect_uris");
    await expectRefusedMetadata(await register(tenant.slug, { redirect_uris: uris(10_000) }), "redirect_uris");
    expect(await kvKeys(`t:${tenant.tenant.id}:client:`)).toEqual(before);
    expect((await register(tenant.slug, { redirect_uris: uris(10) })).status).toBe(201);
  });

  it.each([
    ["a redirect URI over 2048 characters", { redirect_uris: [`https://client.example/${"a".repeat(2048)}`] }, "redirect_uris[0]"],
    ["a client_name over 200 characters", { client_name: "n".repeat(201) }, "client_name"],
    ["a logo_uri over 2048 characters", { logo_uri: `https://client.example/${"l".repeat(2048)}` }, "logo_uri"],
    ["a client_uri over 2048 characters", { client_uri: `https://client.example/${"c".repeat(2048)}` }, "client_uri"],
    ["six contacts", { contacts: ["a@x.example", "b@x.example", "c@x.example", "d@x.example", "e@x.example", "f@x.example"] }, "contacts"],
  ])("refuses %s, naming the field", async (_why, metadata, field) => {
    const tenant = await tenantWithUser();
    await expectRefusedMetadata(await register(tenant.slug, metadata), field);
  });

  it("refuses more than 20 language-tagged names, and an over-long one", async () => {
    const tenant = await tenantWithUser();
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`client_name#x-l${i}`, "Name"]));
    const tooMany = await register(tenant.slug, many);
    expect(tooMany.status).toBe(400);
    expect((await json<{ error_description: string }>(tooMany)).error_description).toContain("language-tagged");
    await expectRefusedMetadata(await register(tenant.slug, { "client_name#fr": "n".repeat(201) }), "client_name#fr");
  });
});

describe("private-use redirect schemes (RFC 8252 §7.1)", () => {
  it.each([
    "wss://evil.example/callback",
    "ws://127.0.0.1:9/callback",
    "ftp://evil.example/callback",
    "ms-word:ofe|u|https://evil.example/doc.docx",
    "view-source:https://evil.example/",
    "chrome://settings/",
    "about:blank",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "myapp://callback",
  ])("refuses to register %s, even next to a loopback URI and with custom schemes allowed", async (uri) => {
    const tenant = await tenantWithUser();
    expect((await allowCustomSchemes(tenant)).status).toBe(200);
    const response = await register(tenant.slug, { redirect_uris: [CLIENT_REDIRECT, uri] });
    expect(response.status).toBe(400);
    expect((await json<{ error: string }>(response)).error).toBe("invalid_client_metadata");
  });

  it.each(["com.example.app:/oauth/callback", "cursor://anysphere.cursor-mcp/oauth/callback"])(
    "registers and signs in through %s once custom schemes are allowed",
    async (uri) => {
      const tenant = await tenantWithUser();
      expect((await allowCustomSchemes(tenant)).status).toBe(200);
      const registered = await register(tenant.slug, { redirect_uris: [uri] });
      expect(registered.status).toBe(201);
      const { client_id } = await json<{ client_id: string }>(registered);
      const { challenge } = await pkcePair();
      const consent = await openConsent(new Browser(), authorizeWith(tenant.slug, client_id, challenge, uri));
      expect(consent.handle).toBeTruthy();
      // The consent page names it as an app on this computer and warns as it does for loopback.
      const app = uri.startsWith("cursor:") ? "cursor://anysphere.cursor-mcp" : "com.example.app:/oauth/callback";
      expect(consent.html).toContain(`Access will be sent to <strong>an app on this computer: ${app}</strong>`);
      expect(consent.html).toContain("This sends access to an app on your computer.");
    },
  );

  it("allows reverse-domain schemes and Cursor's, nothing else", () => {
    for (const scheme of ["com.example.app", "org.mozilla.thunderbird", "cursor", "CURSOR:"])
      expect(isAllowedPrivateUseScheme(scheme), scheme).toBe(true);
    for (const scheme of [
      "wss",
      "ftp",
      "ms-word",
      "ms-excel",
      "view-source",
      "chrome",
      "about",
      "javascript",
      "data",
      "file",
      "vscode",
      "myapp",
      ".app",
      "com.",
      "a..b",
    ]) {
      expect(isAllowedPrivateUseScheme(scheme), scheme).toBe(false);
    }
  });

  it("refuses at /authorize a disallowed scheme a client stored before the rule existed", async () => {
    const tenant = await tenantWithUser();
    expect((await allowCustomSchemes(tenant)).status).toBe(200);
    const client = await registerClient(tenant.slug);
    const key = `t:${tenant.tenant.id}:client:${client.client_id}`;
    const stored = await env.OAUTH_KV.get<{ redirectUris: string[] }>(key, "json");
    const wss = "wss://evil.example/callback";
    await env.OAUTH_KV.put(key, JSON.stringify({ ...stored, redirectUris: [CLIENT_REDIRECT, wss] }));
    const { challenge } = await pkcePair();
    const response = await new Browser().fetch(authorizeWith(tenant.slug, client.client_id, challenge, wss));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("sign-in address is not allowed");
  });
});

describe("no query-string text echoed on pages", () => {
  const LURE = "Your account is locked. Call 555-0100 to unlock it";

  it.each([
    ["a known refusal", `AADSTS65004: ${LURE}`, "the permissions were declined"],
    ["an unknown code", `AADSTS99999: ${LURE}`, "did not record the consent"],
    ["no code at all", LURE, "did not record the consent"],
  ])("shows the admin-consent result for %s in our own words only", async (_why, description, ours) => {
    const tenant = await tenantWithUser();
    const url = new URL(tenantUrl(tenant.slug, "/callback"));
    url.searchParams.set("state", "admin-consent");
    url.searchParams.set("admin_consent", "True");
    url.searchParams.set("error", "access_denied");
    url.searchParams.set("error_description", description);
    const response = await call(url.toString());
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(ours);
    expect(page).not.toContain("locked");
    expect(page).not.toContain("555-0100");
  });

  it("shows sign-in problem pages without the request's text", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const pages = [
      await new Browser().fetch(
        authorizeWith(tenant.slug, client.client_id, challenge, `https://evil.example/${encodeURIComponent(LURE)}`, {
          response_type: LURE,
        }),
      ),
      await call(tenantUrl(tenant.slug, `/authorize?client_id=${encodeURIComponent(LURE)}&response_type=code`)),
      await call(tenantUrl(tenant.slug, `/callback?state=${encodeURIComponent(LURE)}&error_description=${encodeURIComponent(LURE)}`)),
    ];
    for (const page of pages) {
      expect(page.status).toBe(400);
      expect(await page.text()).not.toContain("555-0100");
    }
  });
});

describe("what the consent page asks", () => {
  it("lists what the app may do in plain words for the tenant's policy, with the Graph permissions behind a disclosure", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const everything = (await openConsent(new Browser(), authorizeUrl(tenant.slug, client.client_id, challenge))).html;
    expect(everything).toContain("<li>Read, send, move and draft your mail</li>");
    expect(everything).toContain("<li>Stay signed in, so you are not asked again every hour</li>");
    expect(everything).toMatch(
      /<details>\s*<summary>The Microsoft Graph permissions behind this<\/summary>[\s\S]*<code>Mail\.Send<\/code>/,
    );
    // A self-registered client's name is marked as unverified, and Allow is the primary action.
    expect(everything).toContain("<strong>Unverified name.</strong>");
    expect(everything).toMatch(/<button name="decision" value="approve"[^>]*>Allow<\/button>\s*<button class="secondary"/);

    const patched = await call(tenantUrl(tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { readOnly: true, enabledGroups: ["mail", "calendar"] },
      bearer: tenant.adminKey,
    });
    expect(patched.status).toBe(200);
    const readOnly = (await openConsent(new Browser(), authorizeUrl(tenant.slug, client.client_id, challenge))).html;
    expect(readOnly).toContain("<li>Read your mail</li>");
    expect(readOnly).toContain("<li>Read your calendar and your colleagues&#39; free/busy times</li>");
    expect(readOnly).not.toContain("send, move");
    expect(readOnly).not.toContain("teams, channels");
    expect(readOnly).not.toContain("<code>Mail.Send</code>");
  });
});
