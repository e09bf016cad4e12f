import { exports } from "cloudflare:workers";

/**
 * A minimal browser for OAuth flows: a cookie jar per host, manual redirects,
 * gateway hosts served by the Worker's fetch handler and everything else
 * (the Entra emulator) over real HTTP.
 */
export class Browser {
  readonly #jar = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = this.#jar.get(target.host);
    if (cookies?.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const request = new Request(url, { ...init, headers, redirect: "manual" });
    const response = target.hostname.endsWith("mcp.example.com")
      ? await exports.default.fetch(request)
      : await fetch(request);
    this.#store(target.host, response.headers);
    return response;
  }

  /** Follows redirects until a URL matching `stop` (not fetched) or a non-redirect response. */
  async follow(url: string, stop: (url: URL) => boolean, init: RequestInit = {}): Promise<{ url: URL; response?: Response }> {
    let current = url;
    let options = init;
    for (let hop = 0; hop < 10; hop += 1) {
      if (stop(new URL(current))) return { url: new URL(current) };
      const response = await this.fetch(current, options);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return { url: new URL(current), response };
      current = new URL(location, current).toString();
      options = {};
    }
    throw new Error("too many redirects");
  }

  cookieNames(host: string): string[] {
    return [...(this.#jar.get(host)?.keys() ?? [])];
  }

  #store(host: string, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const jar = this.#jar.get(host) ?? new Map<string, string>();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
      this.#jar.set(host, jar);
    }
  }
}

export function formBody(fields: Record<string, string>): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) };
}

export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name} in page`);
  return match[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}
