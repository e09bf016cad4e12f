/**
 * @module Limits on the Client ID Metadata Document fetches the OAuth library makes.
 *
 * `@cloudflare/workers-oauth-provider` 1.2 fetches a URL-shaped `client_id`
 * (and a CIMD client's `jwks_uri`) with the global `fetch`, following
 * redirects, and offers no option or hook to change that; in production the
 * `global_fetch_strictly_public` flag is its only guard. So the gateway
 * (1) checks the client ID itself before the library sees it at /authorize,
 * for a clear page, and (2) wraps the global `fetch` once, acting only on
 * requests that carry the library's own User-Agent, so every path that
 * resolves a client (authorize, consent, callback, token) gets the same rules:
 * - no IP literals (loopback, private and link-local ones included), no
 *   `localhost`, `*.localhost` or other special-use names, no single-label
 *   hosts, not our own domain, only the default https port;
 * - no redirects followed (a 3xx fails the fetch);
 * - at most 5 s to answer (the library allows 10 s for the whole document),
 *   and a declared body of at most 5 KB (the library also stops reading a
 *   document at 5 KB).
 * A DNS name that resolves to a private address is left to
 * `global_fetch_strictly_public` (wrangler.toml): a Worker cannot resolve names.
 */
import { publicHostProblem } from "../lib/public-host";

export const CIMD_TIMEOUT_MS = 5_000;
export const CIMD_MAX_BYTES = 5 * 1024;
const LIBRARY_USER_AGENT = "workers-oauth-provider/";

/** Whether a client_id has the shape the library resolves as a metadata document: an https URL with a path. */
export function isMetadataDocumentUrl(clientId: string): boolean {
  return /^https:\/\/[^/?#]+\/./i.test(clientId);
}

/**
 * Why the gateway will not fetch this metadata document URL, in our own
 * words (never echoing the URL), or undefined when it may be fetched.
 * `ownDomain` is BASE_DOMAIN (a port in it is ignored).
 */
export function cimdUrlProblem(clientId: string, ownDomain: string): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "it is not a valid URL";
  }
  if (url.protocol !== "https:") return "it is not an https address";
  if (url.port !== "") return "it names a port; only the default https port is allowed";
  return publicHostProblem(url, ownDomain);
}

export class CimdRefused extends Error {
  override name = "CimdRefused";
}

type Fetch = typeof fetch;

function userAgentOf(input: RequestInfo | URL, init?: RequestInit): string {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  return headers.get("user-agent") ?? "";
}

/** `inner` with the rules above applied to the OAuth library's own requests; every other request passes untouched. */
export function guardedFetch(inner: Fetch, ownDomain: () => string, timeoutMs = CIMD_TIMEOUT_MS): Fetch {
  return async (input, init) => {
    if (!userAgentOf(input, init).startsWith(LIBRARY_USER_AGENT)) return inner(input, init);
    const target = input instanceof Request ? input.url : String(input);
    const problem = cimdUrlProblem(target, ownDomain());
    if (problem) throw new CimdRefused(`client metadata not fetched: ${problem}`);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await inner(input, { ...init, redirect: "manual", signal });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new CimdRefused(`client metadata not fetched: it answered with a redirect (HTTP ${response.status}), which is not followed`);
    }
    if (Number(response.headers.get("content-length") ?? 0) > CIMD_MAX_BYTES) {
      await response.body?.cancel();
      throw new CimdRefused(`client metadata not fetched: larger than ${CIMD_MAX_BYTES} bytes`);
    }
    return response;
  };
}

let ownDomain = "";
let installed = false;

/** Installs the guard around the global fetch once per isolate; BASE_DOMAIN is set on every call. */
export function guardMetadataDocumentFetches(baseDomain: string): void {
  ownDomain = baseDomain;
  if (installed) return;
  globalThis.fetch = guardedFetch(globalThis.fetch.bind(globalThis), () => ownDomain);
  installed = true;
}
