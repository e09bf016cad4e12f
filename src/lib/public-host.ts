/**
 * @module Whether a URL's host name is one the gateway may send requests to
 * on someone's say-so (a client's metadata document, an organization's SIEM
 * endpoint): a public DNS name, never an IP literal, a special-use or
 * single-label name, or the gateway's own domain. A DNS name that resolves to
 * a private address is left to `global_fetch_strictly_public` (wrangler.toml):
 * a Worker cannot resolve names.
 */

/** Names that never point at the public web (RFC 6761, RFC 8375, and common LAN suffixes). */
const SPECIAL_USE_SUFFIXES = [
  "localhost",
  "local",
  "localdomain",
  "internal",
  "intranet",
  "lan",
  "home.arpa",
  "test",
  "invalid",
  "example",
  "onion",
];

/**
 * Why `url`'s host is not a public host name, in our own words (never
 * echoing it), or undefined when it is. `ownDomain` is BASE_DOMAIN (a port in
 * it is ignored).
 */
export function publicHostProblem(url: URL, ownDomain: string): string | undefined {
  // The URL parser has already turned every IPv4 spelling (0x7f.1, 2130706433) into dotted decimal.
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return "it is an IP address, not a public host name";
  if (!host.includes(".")) return "it is not a public host name";
  if (SPECIAL_USE_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return "it is a local or reserved host name";
  const own = ownDomain.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  if (host === own || host.endsWith(`.${own}`)) return "it is an address of this gateway";
  return undefined;
}
