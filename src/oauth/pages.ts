import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { html } from "hono/html";
import { page } from "../tenancy/pages/layout";
import type { Tenant } from "../tenancy/tenant";

/**
 * The consent page an org's user sees before any redirect to Entra, and the
 * sign-in error pages. Everything a client supplied (name, redirect URI,
 * scopes) is escaped by hono's `html` template.
 */
export function consentPage(input: {
  tenant: Tenant;
  details: ConsentDescription;
  handle: string;
  permissions: readonly string[];
}) {
  const { tenant, details, handle, permissions } = input;
  return page(
    `Connect ${details.clientName} to ${tenant.displayName}`,
    html`<h1>Allow <em>${details.clientName}</em> to use your ${tenant.displayName} Microsoft 365 account?</h1>
${details.clientDomain
  ? html`<p>Published by <strong>${details.clientDomain}</strong>.</p>`
  : html`<p class="hint">This app registered itself; its name is not verified.</p>`}
<p>Access will be sent to <strong>${details.redirectHost}</strong>.</p>
${details.redirectIsLoopback
  ? html`<p class="error"><strong>This sends access to an app on your computer.</strong> Continue only if you just started connecting from it.</p>`
  : ""}
<p>Next you sign in with Microsoft as a member of ${tenant.displayName}. The app will be able to act for you with these Microsoft Graph permissions:</p>
<ul>${permissions.map((permission) => html`<li><code>${permission}</code></li>`)}</ul>
${tenant.policy.readOnly ? html`<p>Your organization allows read-only access: nothing can be sent, changed or deleted.</p>` : ""}
<form method="post" action="/authorize">
<input type="hidden" name="handle" value="${handle}">
<button name="decision" value="approve" type="submit">Allow</button>
<button name="decision" value="deny" type="submit">Deny</button>
</form>`,
  );
}

export function signInProblemPage(title: string, message: string) {
  return page(title, html`<h1>${title}</h1><p>${message}</p><p>Close this window and start connecting again from your app.</p>`);
}
