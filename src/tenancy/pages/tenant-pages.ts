import { html } from "hono/html";
import type { Tenant } from "../tenant";
import { page } from "./layout";

/** What a person opening an org's address in a browser sees. */
export function tenantLandingPage(tenant: Tenant, origin: string) {
  return page(
    `${tenant.displayName} · Microsoft 365 MCP`,
    html`<h1>${tenant.displayName}: Microsoft 365 MCP server</h1>
<p>Add this MCP server URL to your AI client (Claude, ChatGPT, Cursor, VS Code, MCP Inspector):</p>
<pre>${origin}/mcp</pre>
<p>Your client opens a sign-in page the first time; sign in with your ${tenant.displayName} Microsoft account.</p>`,
  );
}

export function adminConsentResultPage(tenant: Tenant, granted: boolean, reason: string | undefined) {
  return page(
    granted ? "Permissions granted" : "Permissions not granted",
    granted
      ? html`<h1>Permissions granted</h1><p>${tenant.displayName}'s users can now connect their AI clients without being asked for these permissions one by one.</p>`
      : html`<h1>Permissions not granted</h1><p>Microsoft Entra ID answered: ${reason ?? "consent was not given"}.</p><p>Open the admin-consent link again as a Global or Privileged Role Administrator.</p>`,
  );
}
