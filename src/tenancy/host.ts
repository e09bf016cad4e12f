import { slugProblem } from "./slug";

/**
 * @module Which part of the product a request's host addresses. Only the URL's own
 * host is used: `X-Forwarded-Host` and similar headers are client-controlled
 * and never consulted.
 */

export type HostTarget =
  | { kind: "apex" }
  | { kind: "tenant"; slug: string }
  | { kind: "invalid-slug"; label: string; reason: "format" | "reserved" }
  | { kind: "foreign" };

export function resolveHost(hostname: string, baseDomain: string): HostTarget {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  // BASE_DOMAIN may name a port (local development); hosts are matched without it.
  const base = baseDomain.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  if (host === base) return { kind: "apex" };
  const suffix = `.${base}`;
  if (!host.endsWith(suffix)) return { kind: "foreign" };
  const label = host.slice(0, -suffix.length);
  if (label.includes(".")) return { kind: "foreign" };
  const problem = slugProblem(label);
  if (problem) return { kind: "invalid-slug", label, reason: problem };
  return { kind: "tenant", slug: label };
}

/** `https://acme.mcp.example.com` from the apex origin of the current request. */
export function tenantOrigin(apexUrl: URL, slug: string): string {
  return `${apexUrl.protocol}//${slug}.${apexUrl.host}`;
}
