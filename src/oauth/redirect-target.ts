/**
 * @module Where an MCP client's tokens go, as a person reads it: on the
 * consent page before a user approves a client, and in the admin console
 * beside each connected client. One wording for both, so an admin sees the
 * same words the user agreed to.
 */

/** The facts about a redirect URI that decide how it is shown (the OAuth library's consent description has the same three). */
export interface RedirectFacts {
  redirectUri: string;
  /** The URI's host name; a private-use URI without a host gives the whole URI. */
  redirectHost: string;
  /** `localhost`, `127.0.0.0/8` or `[::1]`: any program on the user's computer could be listening there. */
  redirectIsLoopback: boolean;
}

export interface RedirectTarget {
  /** True when the tokens go to an app on the user's own computer. */
  local: boolean;
  label: string;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The facts for a redirect URI the provider stored (a grant's or a client's), worked out as the OAuth library does for consent. */
export function redirectFacts(redirectUri: string): RedirectFacts {
  const url = URL.parse(redirectUri);
  const host = url?.hostname ?? "";
  return { redirectUri, redirectHost: host || redirectUri, redirectIsLoopback: LOOPBACK_HOST.test(host) };
}

/**
 * A loopback address and a private-use scheme (`cursor://…`,
 * `com.example.app:/…`) both mean an app on this computer, which any local
 * program could claim to be; an https redirect is shown by its host.
 */
export function describeRedirect(details: RedirectFacts): RedirectTarget {
  if (details.redirectIsLoopback) return { local: true, label: `an app on this computer (${details.redirectHost})` };
  const url = URL.parse(details.redirectUri);
  if (url && url.protocol !== "https:" && url.protocol !== "http:") {
    const app = url.host ? `${url.protocol}//${url.host}` : `${url.protocol}${url.pathname}`;
    return { local: true, label: `an app on this computer: ${app}` };
  }
  return { local: false, label: details.redirectHost };
}
