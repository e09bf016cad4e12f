import { html } from "hono/html";
import { page } from "../layout";

/**
 * @module The admin console's pages for someone not signed in: the sign-in
 * page, the refusal for an account that is not a console admin, and the
 * page for a console form sent without a valid session or token.
 */

/** GET /admin (or any console page) without a session. */
export function consoleSignInPage(orgName: string, returnTo: string) {
  return page(
    `Sign in · ${orgName} admin console`,
    html`<h1>Sign in to the ${orgName} admin console</h1>
      <p>
        Sign in with your ${orgName} Microsoft work account. Console admins and, where the organization allows it, Entra administrators may
        enter.
      </p>
      <form method="post" action="/admin/sign-in" data-busy="Opening Microsoft sign-in…">
        <input type="hidden" name="returnTo" value="${returnTo}" />
        <button type="submit">Sign in with Microsoft</button>
      </form>`,
    { orgName },
  );
}

/** The account signed in with Microsoft but may not enter: no session was created. */
export function notAdminPage(orgName: string, signedInAs: string) {
  return page(
    `Not an administrator · ${orgName} admin console`,
    html`<h1>You are not an administrator of this console</h1>
      <p>
        You signed in as <strong>${signedInAs || "an account without a sign-in name"}</strong>, which is not one of ${orgName}'s console
        admins.
      </p>
      <p>A console admin can add you on the console's <strong>Organization</strong> page (Console admins → Add).</p>
      <p><a href="/">Back to ${orgName}'s MCP server page</a></p>`,
    { orgName },
  );
}

/** A console sign-in or form that could not be accepted; nothing was changed. */
export function consoleProblemPage(orgName: string, title: string, message: string) {
  return page(
    `${title} · ${orgName} admin console`,
    html`<h1>${title}</h1>
      <p>${message}</p>
      <p><a href="/admin">Go to the admin console</a></p>`,
    { orgName },
  );
}

/** After sign-out: said plainly, with the way back in. */
export function signedOutPage(orgName: string) {
  return page(
    `Signed out · ${orgName} admin console`,
    html`<h1>Signed out</h1>
      <p class="console-flash" role="status">You are signed out of the admin console.</p>
      <p><a href="/admin">Sign in again</a></p>`,
    { orgName },
  );
}

/** Microsoft stopped the console sign-in until an administrator consents to the org's app. */
export function consoleConsentFirstPage(orgName: string, adminConsentUrl: string, aadsts: string) {
  return page(
    `Consent needed · ${orgName} admin console`,
    html`<h1>An administrator must approve the app first</h1>
      <p>
        Microsoft did not let you sign in (${aadsts}): ${orgName}'s Entra settings let users approve no app, or the app needs permissions
        only an administrator can grant.
      </p>
      <p>
        A Global, Privileged Role or Cloud Application Administrator of ${orgName} grants them once for everyone with this link; then sign
        in again.
      </p>
      <p><a class="button" href="${adminConsentUrl}">Grant admin consent in Microsoft Entra</a></p>`,
    { orgName },
  );
}
