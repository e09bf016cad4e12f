import { assertGraphPath, PathSegmentError } from "./path";
import { isIdempotent, retryDelay } from "./retry";

/**
 * One Graph v1.0 call, serialisable so it can cross the Durable Object RPC
 * boundary. `path` must come from `graphPath` (already encoded).
 */
export interface GraphRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the method's default for 503/504 retries. */
  idempotent?: boolean;
  /** Read the body as text/bytes (file content) rather than JSON, at most this many bytes. */
  rawBodyLimit?: number;
}

export type GraphResponse =
  | { ok: true; status: number; body: unknown; requestId?: string; truncated?: boolean }
  | { ok: false; status: number; code: string; message: string; requestId?: string; retryAfterSeconds?: number };

export interface GraphCallOptions {
  graphBase: string;
  accessToken: string;
  sleep?: (ms: number) => Promise<void>;
  fetcher?: typeof fetch;
}

const TIMEOUT_MS = 30_000;

/** The request's URL, refused unless its path is exactly `request.path` under `/v1.0` on the Graph origin. */
export function graphUrl(graphBase: string, request: Pick<GraphRequest, "path" | "query">): string {
  assertGraphPath(request.path);
  const base = new URL(graphBase);
  const url = new URL(`${graphBase}/v1.0${request.path}`);
  if (url.origin !== base.origin || url.pathname !== `${base.pathname.replace(/\/$/, "")}/v1.0${request.path}`) {
    throw new PathSegmentError("not a valid Graph path");
  }
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

async function readBody(response: Response, rawBodyLimit: number | undefined) {
  if (response.status === 204) return { body: null, truncated: false };
  if (rawBodyLimit === undefined) return { body: await response.json().catch(() => null), truncated: false };
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > rawBodyLimit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(size, rawBodyLimit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset >= bytes.length) break;
  }
  return { body: { contentType: response.headers.get("content-type") ?? "", bytes }, truncated };
}

async function toFailure(response: Response): Promise<GraphResponse> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } } | undefined;
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    ok: false,
    status: response.status,
    code: typeof body?.error?.code === "string" ? body.error.code : `HTTP${response.status}`,
    message: typeof body?.error?.message === "string" ? body.error.message : response.statusText || "Graph request failed",
    requestId: response.headers.get("request-id") ?? undefined,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  };
}

/** Sends one request, retrying throttling and transient failures per `retryDelay`. */
export async function callGraph(request: GraphRequest, options: GraphCallOptions): Promise<GraphResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const fetcher = options.fetcher ?? fetch;
  const idempotent = request.idempotent ?? isIdempotent(request.method);
  let waited = 0;
  for (let attempt = 0; ; attempt += 1) {
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${options.accessToken}`);
    if (request.body !== undefined) headers.set("content-type", "application/json");
    let response: Response;
    try {
      response = await fetcher(graphUrl(options.graphBase, request), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      if (!idempotent) {
        return { ok: false, status: 504, code: "GatewayTimeout", message: "Microsoft Graph did not answer in time; the change may still have happened, so check before retrying" };
      }
      if (attempt >= 1) return { ok: false, status: 504, code: "GatewayTimeout", message: "Microsoft Graph did not answer" };
      continue;
    }
    if (response.ok) {
      const { body, truncated } = await readBody(response, request.rawBodyLimit);
      return { ok: true, status: response.status, body, truncated, requestId: response.headers.get("request-id") ?? undefined };
    }
    const delay = retryDelay({ status: response.status, attempt, idempotent, retryAfter: response.headers.get("retry-after"), waitedMs: waited });
    if (delay === undefined) return toFailure(response);
    await response.body?.cancel();
    waited += delay;
    await sleep(delay);
  }
}
