import type { GraphResponse } from "./client";

/**
 * @module File content the way OneDrive serves it. Graph answers `/content` with a
 * 302 to a short-lived pre-authenticated download URL, and the Range header
 * belongs on that URL, not on `/content`. The download is fetched without
 * the Graph token (the URL is its own credential). Microsoft says the
 * download may ignore Range and answer 200 with the whole file, so the
 * window is then cut from the stream: skip to the offset, read at most the
 * window, cancel the rest.
 * Source: https://learn.microsoft.com/graph/api/driveitem-get-content
 */

export interface ContentWindow {
  /** First byte wanted. */
  offset: number;
  /** At most this many bytes from `offset`. */
  length: number;
}

export interface RawContent {
  contentType: string;
  bytes: Uint8Array;
}

const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 30_000;

const isRedirect = (status: number) => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

/**
 * Which download URLs the gateway follows: https ones on any host, and any
 * URL on the configured Graph origin (the local emulator serves downloads
 * from its own http origin). A host list would be wrong here: OneDrive and
 * SharePoint hosts are per tenant (`contoso-my.sharepoint.com`, vanity and
 * multi-geo names) and per national cloud (`sharepoint.us`, `sharepoint.cn`,
 * `sharepoint-mil.us`), and personal drives use yet other hosts. What must
 * hold is that the bytes travel over TLS and that no credential goes along:
 * the Graph token is never sent, and a URL carrying user:password is refused.
 */
export function downloadUrlAllowed(url: URL, graphBase: string): boolean {
  if (url.username || url.password) return false;
  return url.protocol === "https:" || url.origin === new URL(graphBase).origin;
}

/**
 * Reads `length` bytes after skipping `skip`, then cancels the stream.
 * `truncated` says the stream held more after the window.
 */
export async function readWindow(
  body: ReadableStream<Uint8Array> | null,
  skip: number,
  length: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  let toSkip = skip;
  const reader = body?.getReader();
  // slice, not subarray: the bytes cross the Durable Object boundary, which copies a view's whole buffer.
  if (!reader) return { bytes: new Uint8Array(0), truncated: false };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: bytes.slice(0, filled), truncated: false };
    let chunk = value;
    if (toSkip > 0) {
      const skipped = Math.min(toSkip, chunk.byteLength);
      chunk = chunk.subarray(skipped);
      toSkip -= skipped;
    }
    const take = Math.min(chunk.byteLength, length - filled);
    bytes.set(chunk.subarray(0, take), filled);
    filled += take;
    if (filled < length) continue;
    // The window is full: one more read (if this chunk was used up) tells whether anything follows.
    const more = take < chunk.byteLength || !(await reader.read()).done;
    await reader.cancel();
    return { bytes, truncated: more };
  }
}

const downloadFailed = (message: string): GraphResponse => ({ ok: false, status: 502, code: "DownloadFailed", message });

/** The first byte a 206 answer holds, from `Content-Range: bytes a-b/size`. */
function rangeStart(response: Response): number | undefined {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
  return match ? Number(match[1]) : undefined;
}

/**
 * Turns Graph's answer to `/content` (requested with `redirect: "manual"`)
 * into the window's bytes: follows the redirect to the download URL without
 * the Graph token, asking for the window with Range. Failures never echo the
 * download URL, which is a credential.
 */
export async function readContent(
  graphAnswer: Response,
  requestUrl: string,
  window: ContentWindow,
  options: { graphBase: string; fetcher: typeof fetch },
): Promise<GraphResponse> {
  // Called unbound: workerd's fetch refuses to run as a method of another object.
  const { fetcher } = options;
  let response = graphAnswer;
  let at = requestUrl;
  for (let hops = 0; isRedirect(response.status); hops += 1) {
    const location = response.headers.get("location");
    await response.body?.cancel();
    if (!location || hops >= MAX_REDIRECTS) return downloadFailed("Microsoft Graph did not give a usable download URL for the file");
    const url = new URL(location, at);
    if (!downloadUrlAllowed(url, options.graphBase)) {
      return downloadFailed("Microsoft Graph pointed the file's download at a URL that is not https; it was not followed");
    }
    at = url.toString();
    try {
      response = await fetcher(at, {
        headers: { range: `bytes=${window.offset}-${window.offset + window.length - 1}` },
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      return {
        ok: false,
        status: 504,
        code: "GatewayTimeout",
        message: "The file's download could not be reached or did not answer in time",
      };
    }
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status === 416) {
    await response.body?.cancel();
    return { ok: true, status: 206, body: { contentType, bytes: new Uint8Array(0) } satisfies RawContent, truncated: false };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return downloadFailed(`The file's download answered ${response.status}`);
  }
  // 206: the answer starts where Content-Range says; 200: from byte 0 (Range ignored, or no redirect at all).
  const start = response.status === 206 ? rangeStart(response) : 0;
  if (start === undefined || start > window.offset) {
    await response.body?.cancel();
    return downloadFailed("The file's download answered a range other than the one asked for");
  }
  const { bytes, truncated } = await readWindow(response.body, window.offset - start, window.length);
  return { ok: true, status: response.status, body: { contentType, bytes } satisfies RawContent, truncated };
}
