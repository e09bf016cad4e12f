import { html } from "hono/html";
import { toolsUnderPolicy } from "../../agent/register-tools";
import { adminConsentRefusal } from "../../entra/aadsts";
import { GROUP_DESCRIPTIONS, TOOL_GROUPS } from "../../graph/tool-groups";
import type { TenantPolicy } from "../../tenancy/policy";
import type { Tenant } from "../../tenancy/tenant";
import { type ConnectClient, connectClients, type Snippet, serverNameFor } from "./connect-clients";
import { page } from "./layout";

/** @module Pages a tenant host shows outside sign-in: its landing page and the admin-consent result. */

/** One group of tools as the landing page lists it: what it lets a client do, and the tools' names. */
export interface ToolGroupListing {
  group: string;
  description: string;
  tools: string[];
}

/**
 * The tools a user of this organization gets, grouped: `tools/list` for a
 * user who granted every permission the sign-in asks for under this policy.
 * Derived from the same catalogue and the same visibility rule as `/mcp`,
 * so the page cannot promise a tool the server would not list.
 */
export function toolListing(policy: TenantPolicy): ToolGroupListing[] {
  const tools = toolsUnderPolicy(policy);
  const namesIn = (group: string) => tools.filter((tool) => tool.group === group).map((tool) => tool.name);
  const groups = TOOL_GROUPS.map((group) => ({
    group,
    description: GROUP_DESCRIPTIONS[group][policy.readOnly ? "read" : "readWrite"],
    tools: namesIn(group),
  }));
  return [{ group: "profile", description: "See your name, email address and profile", tools: namesIn("profile") }, ...groups].filter(
    (listing) => listing.tools.length > 0,
  );
}

/** Text to copy exactly, with its copy button (shown only where the Clipboard API works). */
function copyable(snippet: Snippet) {
  return html`<div class="copy-row">
    <pre id="${snippet.id}">${snippet.text}</pre>
    <button type="button" class="secondary" data-copy="${snippet.id}" aria-label="Copy the ${snippet.label}" hidden>Copy</button>
  </div>`;
}

/** One client's steps, in a disclosure so the page stays short and each client is one Tab stop until opened. */
function clientSection(client: ConnectClient) {
  return html`<details class="connect-client" id="connect-${client.id}">
    <summary>${client.name}</summary>
    <ol>
      ${client.steps.map((step) => html`<li>${step}</li>`)}
    </ol>
    ${client.link ? html`<p><a class="install-link" href="${client.link.href}">${client.link.label}</a></p>` : ""}
    ${client.snippets.map(copyable)}
    <p class="hint">Steps from <a href="${client.docs.href}">${client.docs.label}</a>.</p>
  </details>`;
}

/** What a person opening an org's address in a browser sees: the MCP URL, how to connect each client, and what they get. */
export function tenantLandingPage(tenant: Tenant, origin: string) {
  const mcpUrl = `${origin}/mcp`;
  const clients = connectClients({ orgName: tenant.displayName, serverName: serverNameFor(tenant.slug), mcpUrl });
  const { readOnly } = tenant.policy;
  return page(
    `${tenant.displayName} · Microsoft 365 MCP`,
    html`<h1>${tenant.displayName}: Microsoft 365 MCP server</h1>
      <p>Connect your AI client to your ${tenant.displayName} Microsoft 365 account with this MCP server URL:</p>
      ${copyable({ id: "mcp-url", label: "MCP server URL", text: mcpUrl })}
      <p>The first time, your client opens a sign-in page: sign in with your ${tenant.displayName} Microsoft account.</p>
      <h2>Connect your client</h2>
      ${clients.map(clientSection)}
      <h2>What your client can do</h2>
      <p class="${readOnly ? "policy-status read-only" : "policy-status"}">
        ${
          readOnly
            ? html`<strong>Read-only.</strong> ${tenant.displayName} allows reading only: nothing can be sent, changed or deleted.`
            : html`<strong>Read and write.</strong> Your client can read, and also send, change and delete on your behalf.`
        }
      </p>
      <ul class="tool-groups">
        ${toolListing(tenant.policy).map(
          (listing) =>
            html`<li>
              ${listing.description}: ${listing.tools.map((name, index) => html`${index > 0 ? ", " : ""}<code class="tool">${name}</code>`)}
            </li>`,
        )}
      </ul>
      <p class="hint">${tenant.displayName}'s administrators choose what clients may do.</p>`,
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
