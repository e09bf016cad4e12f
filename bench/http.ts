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

/** The status codes whose responses carry no body (a Response refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A `LoopbackHttp` as a fetch function, for the clients shared with the tests
 * (the emulator's control client, the OAuth browser): same sockets and
 * resolver, and redirects are never followed.
 */
export function loopbackFetch(http: LoopbackHttp): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const answer = await http.fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === null ? undefined : await request.text(),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of value === undefined ? [] : Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
    }
    return new Response(NULL_BODY_STATUSES.has(answer.status) ? null : answer.text, { status: answer.status, headers: responseHeaders });
  };
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
