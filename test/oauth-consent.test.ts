import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall } from "./helpers/tenants";
import { emulator } from "./helpers/emulator";
import { call, json, tenantUrl, uniqueIp } from "./helpers/gateway";
import {
  approveToEntra,
  authorizeUrl,
  Browser,
  callbackFor,
  pkcePair,
  registerClient,
  tenantWithUser,
  withCookies,
  type OAuthTenant,
} from "./helpers/oauth-extra";
import { authorizeInBrowser, CLIENT_REDIRECT } from "./helpers/oauth-flow";

/**
 * A sign-in Entra refuses because an administrator must approve the org's
 * app first (AADSTS90094 for a permission only an admin grants, AADSTS90093
 * when the org lets users approve no app): the user gets a page that says so
 * with the admin-consent link, and the tenant's admin gets an alert.
 */
interface Alert {
  kind: string;
  detail: string;
}

async function alertsOf(tenant: OAuthTenant): Promise<Alert[]> {
  const response = await adminCall(tenant.slug, "/alerts", tenant.adminKey);
  return (await json<{ alerts: Alert[] }>(response)).alerts;
}

/** Consent page, Allow, Entra sign-in, then the gateway's /callback as the browser opens it. */
async function signInThroughCallback(tenant: OAuthTenant) {
  const client = await registerClient(tenant.slug);
  const { challenge } = await pkcePair();
  const { callback, upstreamCookies } = await callbackFor(
    new Browser(),
    authorizeUrl(tenant.slug, client.client_id, challenge),
    tenant.user.userPrincipalName,
  );
  return { callback, open: (url = callback) => withCookies(url.toString(), upstreamCookies) };
}

/** The admin-consent link as the page shows it (href, HTML-unescaped). */
function consentLinkIn(html: string): string {
  const href = /<a href="([^"]+\/adminconsent[^"]*)"/.exec(html)?.[1] ?? "";
  return href.replace(/&amp;/g, "&");
}

describe("sign-in refused for missing admin consent", () => {
  it("shows the user what to ask the admin, with the admin-consent link, and alerts the tenant admin", async () => {
    // All groups are enabled: teams asks for ChannelMessage.Read.All, which only an admin can grant.
    const tenant = await tenantWithUser({}, { adminConsent: false });
    const { callback, open } = await signInThroughCallback(tenant);
    expect(callback.searchParams.get("error_description")).toMatch(/^AADSTS90094:/);

    const page = await open();
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toBeTruthy();
    const html = await page.text();
    expect(html).toContain("administrator");
    expect(html).toContain("approve");
    // Only our own words: nothing of Entra's error_description (its text, trace or correlation ids).
    expect(html).not.toContain("AADSTS");
    expect(html).not.toContain("only an admin can grant");
    expect(html).not.toContain("Trace ID");

    const link = new URL(consentLinkIn(html));
    expect(link.origin + link.pathname).toBe(`${env.LOGIN_BASE}/${tenant.entraTenantId}/v2.0/adminconsent`);
    expect(link.searchParams.get("client_id")).toBe(tenant.input.clientId);
    expect(link.searchParams.get("redirect_uri")).toBe(tenantUrl(tenant.slug, "/callback"));
    expect(link.searchParams.get("scope")).toContain("https://graph.microsoft.com/ChannelMessage.Read.All");

    const alerts = await alertsOf(tenant);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.kind).toBe("admin_consent_required");
    expect(alerts[0]?.detail).toContain("AADSTS90094");
    expect(alerts[0]?.detail).toContain(link.toString());

    // The admin opens the link; the same user then signs in.
    const granted = await fetch(link, { redirect: "manual" });
    expect(new URL(granted.headers.get("location") ?? "").searchParams.get("admin_consent")).toBe("True");
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const back = await authorizeInBrowser(
      new Browser(),
      authorizeUrl(tenant.slug, client.client_id, challenge),
      tenant.user.userPrincipalName,
    );
    expect(back.toString().startsWith(CLIENT_REDIRECT)).toBe(true);
    expect(back.searchParams.get("code")).toBeTruthy();
  });

  it("says the same when the organization lets users approve no app (AADSTS90093), for a tasks-only tenant", async () => {
    const tenant = await tenantWithUser({}, { adminConsent: false });
    const patched = await adminCall(tenant.slug, "/policy", tenant.adminKey, { method: "PATCH", json: { enabledGroups: ["tasks"] } });
    expect(patched.status).toBe(200);
    await emulator.setTenantSettings(tenant.entraTenantId, { userConsent: "disabled" });

    const { callback, open } = await signInThroughCallback(tenant);
    expect(callback.searchParams.get("error_description")).toMatch(/^AADSTS90093:/);
    const page = await open();
    expect(page.status).toBe(403);
    const link = new URL(consentLinkIn(await page.text()));
    // The link asks for what the tenant's policy needs now, not what signup listed.
    expect(link.searchParams.get("scope")).toContain("https://graph.microsoft.com/Tasks.ReadWrite");
    expect(link.searchParams.get("scope")).not.toContain("ChannelMessage.Read.All");
    expect((await alertsOf(tenant)).map((alert) => alert.kind)).toEqual(["admin_consent_required"]);
  });

  it("says the same when the code exchange asks for more than the sign-in consented to (AADSTS65001)", async () => {
    const tenant = await tenantWithUser({}, { adminConsent: false });
    const policy = (enabledGroups: string[]) =>
      adminCall(tenant.slug, "/policy", tenant.adminKey, { method: "PATCH", json: { enabledGroups } });
    expect((await policy(["tasks"])).status).toBe(200);
    const { callback, open } = await signInThroughCallback(tenant);
    expect(callback.searchParams.get("code")).toBeTruthy();
    // The admin enables Teams while the user is on Microsoft's sign-in page.
    expect((await policy(["tasks", "teams"])).status).toBe(200);

    const page = await open();
    expect(page.status).toBe(403);
    const link = new URL(consentLinkIn(await page.text()));
    expect(link.searchParams.get("scope")).toContain("https://graph.microsoft.com/ChannelMessage.Read.All");
    const alerts = await alertsOf(tenant);
    expect(alerts.map((alert) => alert.kind)).toEqual(["admin_consent_required"]);
    expect(alerts[0]?.detail).toContain("AADSTS65001");
  });

  it("never echoes what the query string says, and alerts only the tenant whose sign-in failed", async () => {
    const tenant = await tenantWithUser({}, { adminConsent: false });
    const bystander = await tenantWithUser();
    const { callback, open } = await signInThroughCallback(tenant);
    const forged = new URL(callback);
    forged.searchParams.set("error_description", "AADSTS90094: <script>alert(1)</script> call +1-555-0100 for help");
    const html = await (await open(forged)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("555-0100");
    expect((await alertsOf(tenant)).map((alert) => alert.kind)).toEqual(["admin_consent_required"]);
    expect(await alertsOf(bystander)).toEqual([]);
  });

  it("still sends other refusals (the user declined) back to the MCP client as access_denied, without an alert", async () => {
    const tenant = await tenantWithUser();
    const { callback, open } = await signInThroughCallback(tenant);
    const declined = new URL(tenantUrl(tenant.slug, "/callback"));
    declined.searchParams.set("state", callback.searchParams.get("state") ?? "");
    declined.searchParams.set("error", "access_denied");
    declined.searchParams.set("error_description", "AADSTS65004: User declined to consent to access the app.");
    const response = await open(declined);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.toString().startsWith(CLIENT_REDIRECT)).toBe(true);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(await alertsOf(tenant)).toEqual([]);
  });
});

describe("the scopes behind the id_token claims the gateway reads", () => {
  it("asks Entra for openid and profile, without which the id_token has no oid, name or preferred_username", async () => {
    const tenant = await tenantWithUser();
    const client = await registerClient(tenant.slug);
    const { challenge } = await pkcePair();
    const { entra } = await approveToEntra(
      new Browser(),
      authorizeUrl(tenant.slug, client.client_id, challenge),
      tenant.user.userPrincipalName,
    );
    const scopes = (entra.searchParams.get("scope") ?? "").split(" ");
    expect(scopes).toEqual(expect.arrayContaining(["openid", "profile", "offline_access"]));
  });
});

describe("the page Entra's admin-consent redirect lands on", () => {
  const result = (slug: string, query: Record<string, string>) =>
    call(`${tenantUrl(slug, "/callback")}?${new URLSearchParams({ state: "admin-consent", ...query }).toString()}`);

  it("reads Entra's error response (which also says admin_consent=True) as not granted, in our own words", async () => {
    const tenant = await tenantWithUser();
    const refused = await result(tenant.slug, {
      admin_consent: "True",
      error: "consent_required",
      error_description: "AADSTS65004: The resource owner or authorization server denied the request. Call +1-555-0100 to fix this.",
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Permissions not granted");
    expect(html).toContain("the permissions were declined (AADSTS65004)");
    expect(html).not.toContain("555-0100");
    expect(html).not.toContain("resource owner");

    const granted = await result(tenant.slug, {
      admin_consent: "True",
      tenant: tenant.entraTenantId,
      scope: "https://graph.microsoft.com/Mail.Read",
    });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain("Permissions granted");
  });

  it("is answered even once the address has spent its sign-in budget on /callback, since it writes nothing and calls no one", async () => {
    const tenant = await tenantWithUser();
    const from = { "cf-connecting-ip": uniqueIp() };
    // One-minute windows: the budget of 120 is spent within two windows' worth of requests.
    let limited = false;
    for (let i = 0; i < 241 && !limited; i += 1) {
      const signIn = await call(`${tenantUrl(tenant.slug, "/callback")}?state=not-a-sign-in&code=x`, { headers: from });
      limited = signIn.status === 429;
      await signIn.body?.cancel();
    }
    expect(limited).toBe(true);
    const query = new URLSearchParams({ state: "admin-consent", admin_consent: "True", tenant: tenant.entraTenantId });
    const granted = await call(`${tenantUrl(tenant.slug, "/callback")}?${query.toString()}`, { headers: from });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain("Permissions granted");
  });
});
