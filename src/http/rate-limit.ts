import type { Context, MiddlewareHandler } from "hono";
import type { Env } from "../env";
import { bytesToHex, utf8 } from "../lib/encoding";
import { ApiError } from "./errors";
import { prefersHtml } from "./on-error";

/**
 * @module Rate limiting, written once: who a request counts as, and the 429
 * it gets when that client's budget is spent.
 *
 * The client address comes only from Cloudflare's edge. Every request the
 * edge hands to the Worker carries `request.cf`, and the edge sets
 * `CF-Connecting-IP` to the address that connected to it ("Cloudflare HTTP
 * headers", developers.cloudflare.com/fundamentals/reference/http-headers/),
 * so there a client cannot choose its own. Two kinds of request did not come
 * through the edge, and their `CF-Connecting-IP` proves nothing:
 * - without `request.cf`: a call from inside the runtime (tests, another Worker);
 * - to a loopback host (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`):
 *   the edge never serves those names, while `wrangler dev` fills
 *   `request.cf` with sample data and passes on a `CF-Connecting-IP` that the
 *   client sent itself.
 *
 * Without an edge address the key is a hash of the host and of what a client
 * sends the same way on every request (User-Agent, Accept-Language). That is
 * not an identity (a client can change it to get a fresh budget, which only
 * matters where there is no edge), but it is never one bucket shared by every
 * caller: a client that floods spends its own budget, not everyone's.
 */
export type LimiterName = "SIGNUP_RATE_LIMITER" | "REGISTER_RATE_LIMITER" | "OAUTH_RATE_LIMITER" | "SIGNUP_CHECK_RATE_LIMITER";

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** Hex groups and colons (with an optional embedded IPv4 tail), at most 45 characters. */
const IPV6 = /^(?=.{2,45}$)(?=[^:]*:[^:]*:)[0-9a-f:]*(?:\d+\.\d+\.\d+\.\d+)?$/;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The edge-provided client address as a key. Cloudflare writes it as an IPv4
 * or IPv6 address; anything else in the header is not the edge's and is ignored.
 */
function edgeAddressKey(request: Request): string | undefined {
  if (!request.cf || isLoopbackHost(new URL(request.url).hostname)) return undefined;
  const address = request.headers.get("cf-connecting-ip")?.trim().toLowerCase() ?? "";
  return IPV4.test(address) || IPV6.test(address) ? `ip:${address}` : undefined;
}

/** Who a request counts as for rate limiting; see the module comment. */
export async function clientKey(request: Request): Promise<string> {
  const edge = edgeAddressKey(request);
  if (edge) return edge;
  const fingerprint = [
    new URL(request.url).host,
    request.headers.get("user-agent") ?? "",
    request.headers.get("accept-language") ?? "",
  ].join("\n");
  const digest = await crypto.subtle.digest("SHA-256", utf8(fingerprint));
  return `anon:${bytesToHex(new Uint8Array(digest).slice(0, 16))}`;
}

/** The limiter key: the budget's scope (e.g. `oauth:<tenantId>`) and the client. */
export async function rateLimitKey(request: Request, scope: string): Promise<string> {
  return `${scope}:${await clientKey(request)}`;
}

/**
 * Spends one unit of the client's budget on `limiter`, or answers 429 with
 * Retry-After: the API's error body, or an OAuth error body (`slow_down`)
 * on the OAuth endpoints, whose clients read `error_description`.
 */
export function rateLimit<E extends { Bindings: Env }>(options: {
  limiter: LimiterName;
  scope: (c: Context<E>) => string;
  message: string;
  oauthError?: boolean;
}): MiddlewareHandler<E> {
  return async (c, next) => {
    const key = await rateLimitKey(c.req.raw, options.scope(c));
    const { success } = await c.env[options.limiter].limit({ key });
    if (!success) {
      const headers = { "retry-after": "60" };
      // OAuth clients read `error_description`; a browser navigating a sign-in step gets the error page instead.
      if (options.oauthError && !(c.req.method === "GET" && prefersHtml(c.req.raw))) {
        return c.json({ error: "slow_down", error_description: options.message }, 429, headers);
      }
      throw new ApiError(429, "rate_limited", options.message, { headers });
    }
    await next();
  };
}

/**
 * Spends one unit of the client's budget from inside a handler, or throws the
 * API's 429: for a route that counts only some of its requests (signup
 * counts only the ones that reach Entra).
 */
export async function spendBudget(
  request: Request,
  env: Env,
  options: { limiter: LimiterName; scope: string; message: string },
): Promise<void> {
  const key = await rateLimitKey(request, options.scope);
  const { success } = await env[options.limiter].limit({ key });
  if (!success) throw new ApiError(429, "rate_limited", options.message, { headers: { "retry-after": "60" } });
}
