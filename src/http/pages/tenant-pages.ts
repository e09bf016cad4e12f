import { html } from "hono/html";
import { adminConsentRefusal } from "../../entra/aadsts";
import type { Tenant } from "../../tenancy/tenant";
import { page } from "./layout";

/** @module Pages a tenant host shows outside sign-in: its landing page and the admin-consent result. */

/** What a person opening an org's address in a browser sees. */
export function tenantLandingPage(tenant: Tenant, origin: string) {
  return page(
    `${tenant.displayName} · Microsoft 365 MCP`,
    html`<h1>${tenant.displayName}: Microsoft 365 MCP server</h1>
      <p>Add this MCP server URL to your AI client (Claude, ChatGPT, Cursor, VS Code, MCP Inspector):</p>
      <pre>${origin}/mcp</pre>
      <p>Your client opens a sign-in page the first time; sign in with your ${tenant.displayName} Microsoft account.</p>`,
    { orgName: tenant.displayName },
  );
}

/**
 * Where Entra's admin-consent redirect lands. Why consent was not granted is
 * said in our words (the AADSTS catalogue's); Entra's error_description is
 * never shown: anyone can put text in a link to this page, and the org's own
 * host must not repeat it.
 */
export function adminConsentResultPage(tenant: Tenant, granted: boolean, aadsts: string | undefined) {
  const why = adminConsentRefusal(aadsts) ?? "Microsoft Entra ID did not record the consent";
  return page(
    granted ? "Permissions granted" : "Permissions not granted",
    granted
      ? html`<h1>Permissions granted</h1>
          <p>${tenant.displayName}'s users can now connect their AI clients without being asked for these permissions one by one.</p>`
      : html`<h1>Permissions not granted</h1>
          <p>${why}${aadsts ? ` (${aadsts})` : ""}.</p>
          <p>Open the admin-consent link again as a Global, Privileged Role or Cloud Application Administrator.</p>`,
    { orgName: tenant.displayName },
  );
}
