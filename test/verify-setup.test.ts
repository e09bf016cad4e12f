import { describe, expect, it } from "vitest";
import { adminBrowser, consoleTenant, postConsole, submitConsoleForm } from "./helpers/console";
import { emulator } from "./helpers/emulator";
import { json } from "./helpers/gateway";
import { adminCall } from "./helpers/tenants";

/** "Verify setup": the report, item by item, from the admin API and the console's Setup page alike. */

interface VerifyItem {
  id: string;
  status: "ok" | "problem" | "unknown";
  summary: string;
  fix?: string;
}

async function apiReport(slug: string, adminKey: string): Promise<VerifyItem[]> {
  const response = await adminCall(slug, "/verify", adminKey, { method: "POST" });
  expect(response.status).toBe(200);
  return (await json<{ items: VerifyItem[] }>(response)).items;
}

const itemOf = (items: VerifyItem[], id: string) => items.find((item) => item.id === id);

/** The report as the console page shows it: each item's summary and fix, escaped as HTML text. */
function escaped(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

describe("verify setup", () => {
  it("reports every item, and the console shows the same report as the API", async () => {
    const tenant = await consoleTenant();
    const admin = await adminBrowser(tenant);
    expect(itemOf(await apiReport(tenant.slug, tenant.adminKey), "admin_consent")?.status).toBe("unknown");
    // The admin grants consent through the gateway's link, and Entra sends them back to /callback.
    const consent = await admin.fetch(tenant.adminConsentUrl);
    expect(consent.status).toBe(302);
    expect((await admin.fetch(consent.headers.get("location") ?? "")).status).toBe(200);
    const items = await apiReport(tenant.slug, tenant.adminKey);
    expect(items.map((item) => item.id)).toEqual(["credentials", "secret_expiry", "admin_consent", "redirect_uri", "first_user"]);
    expect(itemOf(items, "credentials")?.status).toBe("ok");
    expect(itemOf(items, "admin_consent")?.status).toBe("ok");
    // The console admin's sign-in came back to /callback: Entra knows the redirect URI.
    expect(itemOf(items, "redirect_uri")?.status).toBe("ok");
    expect(itemOf(items, "first_user")).toMatchObject({ status: "unknown", summary: "Nobody has connected yet." });

    const page = await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/verify");
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain("Verification report");
    const texts = items.flatMap((item) => [item.summary, item.fix ?? ""]).filter(Boolean);
    expect(texts.filter((text) => !body.includes(escaped(text)))).toEqual([]);
  });

  it("names the secret expiry as unknown until its date is set, then reports the days left", async () => {
    const tenant = await consoleTenant();
    const before = itemOf(await apiReport(tenant.slug, tenant.adminKey), "secret_expiry");
    expect(before?.status).toBe("unknown");
    expect(before?.fix).toContain("expiry date");
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const admin = await adminBrowser(tenant);
    expect((await submitConsoleForm(admin, tenant.slug, "/admin", "/admin/secret-expiry", { clientSecretExpiresAt: soon })).status).toBe(
      303,
    );
    const after = itemOf(await apiReport(tenant.slug, tenant.adminKey), "secret_expiry");
    expect(after?.status).toBe("problem");
    expect(after?.summary).toMatch(/expires in \d+ days/);
  });

  it("reports refused credentials as a problem with Entra's AADSTS7000215 and how to fix them", async () => {
    const tenant = await consoleTenant();
    // The secret the gateway holds is deleted from the Entra app.
    await emulator.registerApp(tenant.entraTenantId, {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: `Nw8~${crypto.randomUUID().replace(/-/g, "")}` }],
      redirectUris: [tenant.redirectUri],
    });
    const credentials = itemOf(await apiReport(tenant.slug, tenant.adminKey), "credentials");
    expect(credentials?.status).toBe("problem");
    expect(credentials?.summary).toContain("AADSTS7000215");
    expect(credentials?.fix).toContain("New client secret");
    expect(JSON.stringify(credentials)).not.toContain(String(tenant.input.clientSecret));
  });

  it("reports missing admin consent as unknown with the consent link, and the redirect URI to add", async () => {
    const tenant = await consoleTenant({ adminConsent: false });
    const items = await apiReport(tenant.slug, tenant.adminKey);
    expect(itemOf(items, "admin_consent")?.status).toBe("unknown");
    expect(itemOf(items, "admin_consent")?.fix).toContain("/adminconsent?");
    expect(itemOf(items, "admin_consent")?.fix).toContain(String(tenant.input.clientId));
    expect(itemOf(items, "redirect_uri")).toMatchObject({ status: "unknown" });
    expect(itemOf(items, "redirect_uri")?.fix).toContain(tenant.redirectUri);
    expect(itemOf(items, "redirect_uri")?.fix).toContain("AADSTS50011");
  });

  it("needs the admin key on the API and the CSRF token in the console", async () => {
    const tenant = await consoleTenant();
    expect((await adminCall(tenant.slug, "/verify", undefined, { method: "POST" })).status).toBe(401);
    const other = await consoleTenant();
    // One org's admin key is useless on another org's host.
    expect((await adminCall(tenant.slug, "/verify", other.adminKey, { method: "POST" })).status).toBe(401);
    const admin = await adminBrowser(tenant);
    const missing = await postConsole(admin, tenant.slug, "/admin/verify", {});
    expect(missing.status).toBe(403);
    expect((await postConsole(admin, tenant.slug, "/admin/verify", { csrf: "not-the-token" })).status).toBe(403);
  });
});
