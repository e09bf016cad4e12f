import { bytesToBase64Url, utf8 } from "../lib/encoding";

/**
 * @module The sign-in leg's first step: the org's own Entra app's v2.0
 * authorize URL, always with PKCE (S256) and a nonce for the id_token.
 */
export function entraAuthorizeUrl(
  app: { loginBase: string; entraTenantId: string; clientId: string },
  params: {
    redirectUri: string;
    scopes: readonly string[];
    state: string;
    nonce: string;
    codeChallenge: string;
    loginHint?: string;
  },
): string {
  const url = new URL(`${app.loginBase}/${app.entraTenantId}/oauth2/v2.0/authorize`);
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("response_mode", "query");
  url.searchParams.set("scope", params.scopes.join(" "));
  url.searchParams.set("state", params.state);
  url.searchParams.set("nonce", params.nonce);
  url.searchParams.set("code_challenge", params.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  if (params.loginHint) url.searchParams.set("login_hint", params.loginHint);
  return url.toString();
}

/** The PKCE S256 code challenge for a verifier (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(verifier))));
}
