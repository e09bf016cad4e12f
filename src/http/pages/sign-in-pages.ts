import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { html } from "hono/html";
import { describePermissions } from "../../graph/tool-groups";
import { describeRedirect } from "../../oauth/redirect-target";
import { page } from "./layout";
import type { Tenant } from "../../tenancy/tenant";

/**
 * @module The consent page an org's user sees before any redirect to Entra,
 * and the sign-in error pages. Everything a client supplied (name, redirect
 * URI, scopes) is escaped by hono's `html` template.
 */

/**
 * The headers a sign-in page is sent with, on top of headers the OAuth
 * library may have set (cookies); the security headers are added by the
 * app's page middleware (src/http/page-headers.ts).
 */
export function withPageHeaders(headers: Headers): Headers {
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("cache-control", "no-store");
  return headers;
}

/** A server-rendered page as a response, not cached. */
export async function pageResponse(status: 200 | 400 | 403 | 502 | 503, body: { toString(): string | Promise<string> }): Promise<Response> {
  return new Response(await body.toString(), { status, headers: withPageHeaders(new Headers()) });
}

export function problemPage(status: 400 | 403 | 502 | 503, title: string, message: string): Promise<Response> {
  return pageResponse(status, signInProblemPage(title, message));
}
/**
 * Where tokens go, as a person reads it. A loopback address and a private-use
 * scheme (`cursor://…`, `com.example.app:/…`) both mean an app on this
 * computer, which any local program could claim to be; an https redirect is
 * shown by its host.
 */
function redirectTarget(details: ConsentDescription): { local: boolean; label: string } {
  // In the words the admin console uses for the same client's grant.
  return describeRedirect(details);
}

/**
 * The consent page's own `form-action`: besides the gateway, where its form
 * leads. Browsers check form-action on every redirect that follows a form
 * submission, and Allow redirects to the org's Entra sign-in (and, when
 * Microsoft already knows the user, straight on through /callback to the
 * app), Deny straight back to the app. Without these sources a browser
 * blocks the sign-in at its first redirect. The app's target is its
 * redirect URI's origin, or its scheme for a private-use redirect
 * (`cursor:`); each comes from a parsed URL, so it cannot carry a `;`.
 */
export function consentFormAction(details: ConsentDescription, loginBase: string): string {
  const sources = ["'self'", new URL(loginBase).origin];
  const redirect = URL.parse(details.redirectUri);
  if (redirect) sources.push(redirect.protocol === "https:" || redirect.protocol === "http:" ? redirect.origin : redirect.protocol);
  return `form-action ${[...new Set(sources)].join(" ")}`;
}

/**
 * Where access can be taken back, in two sentences that are true here: the
 * org's gateway admins disconnect any app per user in the admin console;
 * a user removes what they consented to themselves at Microsoft's My Apps
 * ("Manage your application", support.microsoft.com "Edit or revoke
 * application permissions in the My Apps portal"), after which Entra issues
 * no new access tokens for it (Graph, "Delete oAuth2PermissionGrant").
 * Permissions an administrator approved for everyone are not the user's to
 * revoke there, so the sentence names only those the user approved.
 */
function revokeLaterNote(tenant: Tenant, clientName: string) {
  return html`<p class="hint">
    <strong>Changing your mind later:</strong> ${tenant.displayName}'s gateway administrators can disconnect ${clientName} from your account
    at any time in the <a href="/admin">admin console</a>. Permissions you approve yourself at Microsoft can be revoked in
    <a href="https://myapplications.microsoft.com">My Apps</a> (the app's menu, then Manage your application), and from then on Microsoft
    gives none of your apps new access through ${tenant.displayName}'s gateway.
  </p>`;
}

export function consentPage(input: { tenant: Tenant; details: ConsentDescription; handle: string; permissions: readonly string[] }) {
  const { tenant, details, handle, permissions } = input;
  const target = redirectTarget(details);
  return page(
    `Connect ${details.clientName} to ${tenant.displayName}`,
    html`<h1>Allow <em>${details.clientName}</em> to use your ${tenant.displayName} Microsoft 365 account?</h1>
      ${
        details.clientDomain
          ? html`<p>Published by <strong>${details.clientDomain}</strong>.</p>`
          : html`<p class="warning">
              <strong>Unverified name.</strong> This app registered itself and chose the name "${details.clientName}"; nobody checked it.
              Continue only if you started connecting from this app.
            </p>`
      }
      <p>Access will be sent to <strong>${target.label}</strong>.</p>
      ${
        target.local
          ? html`<p class="error">
              <strong>This sends access to an app on your computer.</strong> Continue only if you just started connecting from it.
            </p>`
          : ""
      }
      <p>Next you sign in with Microsoft as a member of ${tenant.displayName}. The app will then be able to:</p>
      <ul>
        ${describePermissions(tenant.policy.enabledGroups, tenant.policy.readOnly).map((line) => html`<li>${line}</li>`)}
      </ul>
      <details>
        <summary>The Microsoft Graph permissions behind this</summary>
        <ul>
          ${permissions.map((permission) => html`<li><code>${permission}</code></li>`)}
        </ul>
      </details>
      ${tenant.policy.readOnly ? html`<p>Your organization allows read-only access: nothing can be sent, changed or deleted.</p>` : ""}
      ${revokeLaterNote(tenant, details.clientName)}
      <form method="post" action="/authorize">
        <input type="hidden" name="handle" value="${handle}" />
        <button name="decision" value="approve" type="submit">Allow</button>
        <button class="secondary" name="decision" value="deny" type="submit">Deny</button>
      </form>`,
    { orgName: tenant.displayName },
  );
}

export function signInProblemPage(title: string, message: string) {
  return page(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>
      <p>Close this window and start connecting again from your app.</p>`,
  );
}

/**
 * Microsoft refused the sign-in because an administrator must approve the
 * org's app first. Only our own words: nothing from Entra's redirect is shown.
 */
export function consentNeededPage(tenant: Tenant, adminConsentUrl: string) {
  return page(
    "Your administrator needs to approve this app",
    html`<h1>Your administrator needs to approve this app</h1>
      <p>
        Microsoft did not let you sign in: the app ${tenant.displayName} uses for Microsoft 365 needs permissions that only an administrator
        can grant, or your organization does not let users approve apps themselves.
      </p>
      <p>
        Ask your Microsoft 365 administrator (a Global, Privileged Role or Cloud Application Administrator) to open this link and approve
        the permissions for everyone in ${tenant.displayName}:
      </p>
      <p><a href="${adminConsentUrl}">Grant admin consent for ${tenant.displayName}</a></p>
      <pre>${adminConsentUrl}</pre>
      <p>
        ${tenant.displayName}'s gateway administrator has been notified as well. Once the permissions are approved, close this window and
        connect again from your app.
      </p>`,
    { orgName: tenant.displayName },
  );
}
