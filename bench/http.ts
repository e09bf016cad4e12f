import type { LookupAddress, LookupOptions } from "node:dns";
import { performance } from "node:perf_hooks";
import { Agent, Pool } from "undici";

/**
 * HTTP from Node over real loopback sockets, for every bench request.
 * `*.localhost` does not resolve through the system resolver here, so the
 * agent resolves `localhost` and its subdomains (and nothing else) to
 * 127.0.0.1: URLs, the Host header and TLS SNI stay exactly what a client
 * would send. Certificates are verified against the run's own CA.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Wall time from sending the request to the last byte of the body, ms. */
  ms: number;
}

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function loopbackLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const host = hostname.toLowerCase();
  if (host !== "localhost" && !host.endsWith(".localhost") && host !== "127.0.0.1") {
    const error: NodeJS.ErrnoException = new Error(`the bench only talks to loopback, not ${hostname}`);
    error.code = "ENOTFOUND";
    callback(error, "");
    return;
  }
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}

export class LoopbackHttp {
  readonly #agent: Agent;

  constructor(ca: string) {
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connect: { ca, lookup: loopbackLookup } });
  }

  async fetch(url: string, init: HttpInit = {}): Promise<HttpResponse> {
    const target = new URL(url);
    const started = performance.now();
    const response = await this.#agent.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method: (init.method ?? (init.body === undefined ? "GET" : "POST")) as "GET",
      headers: init.headers,
      body: init.body,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, ms: performance.now() - started };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/**
 * Requests to many tenant hosts over the same warm connections: the Host
 * header names the tenant, TLS is negotiated once per connection for
 * `localhost`. Used where thousands of distinct hosts are hit once each, so
 * a TLS handshake per host would drown what is measured.
 */
export class HostHeaderPool {
  readonly #pool: Pool;

  constructor(
    ca: string,
    readonly port: number,
    connections: number,
  ) {
    this.#pool = new Pool(`https://127.0.0.1:${port}`, { connections, keepAliveTimeout: 30_000, connect: { ca, servername: "localhost" } });
  }

  async get(host: string, path: string): Promise<HttpResponse> {
    const started = performance.now();
    // undici would take the TLS server name from the Host header and reconnect for every new host.
    const options = { path, method: "GET" as const, headers: { host: `${host}:${this.port}` }, servername: "localhost" };
    const response = await this.#pool.request(options);
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, ms: performance.now() - started };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** `set-cookie` lines of a response, whatever shape undici gave them. */
export function setCookies(response: HttpResponse): string[] {
  const value = response.headers["set-cookie"];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
