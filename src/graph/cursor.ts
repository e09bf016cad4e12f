import { z } from "zod";
import { bytesToBase64Url } from "../lib/encoding";

/**
 * Opaque paging cursors. A tool returns Graph's `@odata.nextLink` as a cursor
 * bound to that tool; the next call turns it back into a path and query. Only
 * links on the configured Graph origin under /v1.0 are issued, no dot
 * segments (plain or encoded) are accepted back, and the tool checks the path
 * is the listing's own (pageRequest), so a forged cursor cannot aim the
 * user's token at another resource.
 */
const CursorSchema = z.object({ t: z.string(), p: z.string().startsWith("/"), q: z.record(z.string(), z.string()) });

export function encodeCursor(tool: string, nextLink: string, graphBase: string): string | undefined {
  const url = new URL(nextLink);
  const base = new URL(graphBase);
  if (url.origin !== base.origin || !url.pathname.startsWith("/v1.0/")) return undefined;
  const payload = { t: tool, p: url.pathname.slice("/v1.0".length), q: Object.fromEntries(url.searchParams) };
  return bytesToBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
}

export class CursorError extends Error {}

export function decodeCursor(tool: string, cursor: string): { path: string; query: Record<string, string> } {
  let payload: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw new CursorError("cursor is not one this server issued");
  }
  const parsed = CursorSchema.safeParse(payload);
  if (!parsed.success) throw new CursorError("cursor is not one this server issued");
  if (parsed.data.t !== tool) throw new CursorError(`cursor belongs to ${parsed.data.t}, not ${tool}`);
  if (/\.\.|\/\/|%2e/i.test(parsed.data.p)) throw new CursorError("cursor is not one this server issued");
  return { path: parsed.data.p, query: parsed.data.q };
}
