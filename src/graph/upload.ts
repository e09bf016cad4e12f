import type { GraphResponse } from "./client";
import { downloadUrlAllowed } from "./download";

/**
 * @module One range of an Outlook attachment upload session. Graph's
 * `createUploadSession` answers with a pre-authenticated `uploadUrl` (an
 * Outlook host, not Graph); each PUT carries `Content-Range` and must not carry
 * the Graph token, because the URL is its own credential. Failures never echo
 * the URL.
 * Source: https://learn.microsoft.com/graph/outlook-large-attachments
 */

export interface UploadRange {
  /** The session's uploadUrl. */
  url: string;
  /** The bytes of this range. */
  bytes: Uint8Array;
  /** Where they start in the file. */
  start: number;
  /** The whole file's size. */
  total: number;
}

const TIMEOUT_MS = 60_000;

/** PUTs one range; 200 (more expected) and 201 (the attachment is complete) are both success. */
export async function putUploadRange(range: UploadRange, options: { graphBase: string; fetcher: typeof fetch }): Promise<GraphResponse> {
  const { fetcher } = options;
  let url: URL;
  try {
    url = new URL(range.url);
  } catch {
    return { ok: false, status: 502, code: "UploadFailed", message: "Microsoft Graph gave an upload URL that is not a URL" };
  }
  if (!downloadUrlAllowed(url, options.graphBase)) {
    return {
      ok: false,
      status: 502,
      code: "UploadFailed",
      message: "Microsoft Graph gave an upload URL that is not https; it was not used",
    };
  }
  const end = range.start + range.bytes.byteLength - 1;
  let response: Response;
  try {
    response = await fetcher(url.toString(), {
      method: "PUT",
      headers: { "content-range": `bytes ${range.start}-${end}/${range.total}`, "content-type": "application/octet-stream" },
      body: range.bytes,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, status: 504, code: "GatewayTimeout", message: "The attachment upload did not answer in time" };
  }
  const body = (await response.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  if (response.ok) return { ok: true, status: response.status, body };
  return {
    ok: false,
    status: response.status,
    code: typeof body?.error?.code === "string" ? body.error.code : `HTTP${response.status}`,
    message: typeof body?.error?.message === "string" ? body.error.message : "The attachment upload was refused",
  };
}
