import { type ContentWindow, readContent } from "./download";
import { assertGraphPath, PathSegmentError } from "./path";
import { isIdempotent, retryAfterMs, retryDelay } from "./retry";
import { putUploadRange, type UploadRange } from "./upload";

/**
 * @module The Graph v1.0 client: one request as plain data, its URL held to
 * the Graph origin, sent with a timeout and retried per retry.ts.
 */

/**
 * One Graph v1.0 call, serialisable so it can cross the Durable Object RPC
 * boundary. `path` must come from `graphPath` (already encoded).
 */
export interface GraphRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A body that is not JSON (OneNote takes a page as HTML), sent as is with its content type instead of `body`. */
  rawBody?: { contentType: string; text: string };
  headers?: Record<string, string>;
  /** Overrides the method's default for 503/504 retries. */
  idempotent?: boolean;
  /**
   * File content (`…/content`): follow Graph's redirect to the download URL
   * without the Graph token and read this window of bytes (see download.ts).
   */
  download?: ContentWindow;
  /** One range of an attachment upload session: PUT to its uploadUrl without the Graph token (see upload.ts); `path` is only for tracing. */
  upload?: UploadRange;
}

export type GraphResponse =
  | { ok: true; status: number; body: unknown; requestId?: string; truncated?: boolean }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      requestId?: string;
      /** Graph's Retry-After on the answer the call ended with (not waited when longer than the agent holds a call). */
      retryAfterSeconds?: number;
      /** When that wait ends (ISO 8601, UTC). */
      retryAt?: string;
    };

/**
 * What a tool call's audit event says about Graph: the status and
 * `request-id` of the last answer (for a support case with Microsoft), and
 * the ids of items successful writes answered with. Never a body or a token.
 */
export interface GraphTrace {
  status?: number;
  requestId?: string;
  createdIds: string[];
}

/** `graph`, noting each answer in the returned trace; one trace per tool call. */
export function tracedGraph(graph: (request: GraphRequest) => Promise<GraphResponse>) {
  const trace: GraphTrace = { createdIds: [] };
  const traced = async (request: GraphRequest): Promise<GraphResponse> => {
    const response = await graph(request);
    trace.status = response.status;
    trace.requestId = response.requestId;
    if (response.ok && (request.method === "POST" || request.method === "PUT")) {
      const id = (response.body as { id?: unknown } | null)?.id;
      if (typeof id === "string" && id) trace.createdIds.push(id);
    }
    return response;
  };
  return { graph: traced, trace };
}

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

async function readBody(response: Response) {
  if (response.status === 204) return null;
  return response.json().catch(() => null);
}

async function toFailure(response: Response): Promise<GraphResponse> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } } | undefined;
  const retryAfter = retryAfterMs(response.headers.get("retry-after"));
  const retryAfterSeconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
  return {
    ok: false,
    status: response.status,
    code: typeof body?.error?.code === "string" ? body.error.code : `HTTP${response.status}`,
    message: typeof body?.error?.message === "string" ? body.error.message : response.statusText || "Graph request failed",
    requestId: response.headers.get("request-id") ?? undefined,
    ...(retryAfterSeconds ? { retryAfterSeconds, retryAt: new Date(Date.now() + retryAfterSeconds * 1000).toISOString() } : {}),
  };
}

/** Sends one request, retrying throttling and transient failures per `retryDelay`. */
export async function callGraph(request: GraphRequest, options: GraphCallOptions): Promise<GraphResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const fetcher = options.fetcher ?? fetch;
  const idempotent = request.idempotent ?? isIdempotent(request.method);
  if (request.upload) return putUploadRange(request.upload, { graphBase: options.graphBase, fetcher });
  let waited = 0;
  for (let attempt = 0; ; attempt += 1) {
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${options.accessToken}`);
    if (request.body !== undefined) headers.set("content-type", "application/json");
    if (request.rawBody) headers.set("content-type", request.rawBody.contentType);
    const url = graphUrl(options.graphBase, request);
    let response: Response;
    try {
      response = await fetcher(url, {
        method: request.method,
        headers,
        body: request.rawBody ? request.rawBody.text : request.body === undefined ? undefined : JSON.stringify(request.body),
        // Content redirects to a download URL that must not get the Graph token: follow it by hand.
        redirect: request.download ? "manual" : "follow",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      if (!idempotent) {
        return {
          ok: false,
          status: 504,
          code: "GatewayTimeout",
          message: "Microsoft Graph did not answer in time; the change may still have happened, so check before retrying",
        };
      }
      if (attempt >= 1) return { ok: false, status: 504, code: "GatewayTimeout", message: "Microsoft Graph did not answer" };
      continue;
    }
    if (request.download && (response.ok || (response.status >= 300 && response.status < 400))) {
      return readContent(response, url, request.download, { graphBase: options.graphBase, fetcher });
    }
    if (response.ok) {
      return {
        ok: true,
        status: response.status,
        body: await readBody(response),
        requestId: response.headers.get("request-id") ?? undefined,
      };
    }
    const delay = retryDelay({
      status: response.status,
      attempt,
      idempotent,
      retryAfter: response.headers.get("retry-after"),
      waitedMs: waited,
    });
    if (delay === undefined) return toFailure(response);
    await response.body?.cancel();
    waited += delay;
    await sleep(delay);
  }
}
