/** @module How every console response is sent: never cached; a sign-in form may lead to Entra. */

/** Console pages name people and settings: no cache keeps them. */
export function consolePageHeaders(): Record<string, string> {
  return { "cache-control": "no-store" };
}

/**
 * The sign-in page's headers: its form answers with a redirect to the org's
 * Entra sign-in, and browsers apply `form-action` to a form's redirects
 * too, so the page names Entra's origin as its own form target (the page
 * middleware keeps it beside 'self'; every other page allows 'self' only).
 */
export function consoleSignInPageHeaders(loginBase: string): Record<string, string> {
  return { ...consolePageHeaders(), "content-security-policy": `form-action 'self' ${new URL(loginBase).origin}` };
}
