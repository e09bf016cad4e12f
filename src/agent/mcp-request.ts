/**
 * @module What /mcp needs to know about a request body before the MCP SDK sees it:
 * the parsed JSON (read once and handed to the SDK, which would otherwise
 * read and parse it again to classify the protocol revision) and, for a
 * single `tools/call`, the tool's name, so the per-request server registers
 * that one tool instead of the whole catalogue.
 */

/** Bodies above this are left to the SDK, which answers 413 with its own bound. */
export const PREPARSE_MAX_BYTES = 1024 * 1024;

export interface McpRequestBody {
  /** The request to hand on: the original, or a copy carrying the text already read. */
  request: Request;
  /** Parsed JSON, when the body was read here and parses. */
  parsedBody?: unknown;
}

export async function readMcpBody(request: Request): Promise<McpRequestBody> {
  if (request.method !== "POST" || request.body === null) return { request };
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  // Only bodies of known, modest size: a chunked or huge body stays a stream for the SDK's own limit.
  if (!Number.isFinite(declared) || declared > PREPARSE_MAX_BYTES) return { request };
  const text = await request.text();
  const replay = new Request(request.url, { method: request.method, headers: request.headers, body: text });
  try {
    return { request: replay, parsedBody: JSON.parse(text) as unknown };
  } catch {
    // Not JSON: the SDK answers with the JSON-RPC parse error.
    return { request: replay };
  }
}

/** The tool a single JSON-RPC `tools/call` names; undefined for anything else (batches included). */
export function calledToolName(parsedBody: unknown): string | undefined {
  if (typeof parsedBody !== "object" || parsedBody === null || Array.isArray(parsedBody)) return undefined;
  const message = parsedBody as { method?: unknown; params?: unknown };
  if (message.method !== "tools/call" || typeof message.params !== "object" || message.params === null) return undefined;
  const name = (message.params as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}
