import {
  hostHeaderValidationResponse,
  isLegacyRequest,
  originValidationResponse,
  WebStandardStreamableHTTPServerTransport,
  type McpServer,
} from "@modelcontextprotocol/server";

/**
 * @module 2025-era Streamable HTTP POSTs answered with one JSON body instead of an
 * SSE stream. Both are valid answers (the client must accept either), and no
 * tool here streams progress or asks the client anything back, so the stream
 * bought nothing and cost a chunked response, three stream wrappers and SSE
 * framing on every call (about 0.3 ms per tools/call locally). agents'
 * handler has no option for it, so this follows the SDK's documented way to
 * serve the legacy era yourself: classify with `isLegacyRequest` in front,
 * validate Host and Origin as the handler would, and serve with the SDK's
 * stateless transport. Everything else (GET, DELETE, 2026-07-28 requests)
 * stays with agents' handler.
 */

export interface LegacyLane {
  /** The request's hostname: the only Host accepted. */
  host: string;
  allowedOriginHostnames: string[];
}

export async function isLegacyPost(request: Request, parsedBody: unknown): Promise<boolean> {
  return request.method === "POST" && parsedBody !== undefined && (await isLegacyRequest(request, parsedBody));
}

export async function serveLegacyAsJson(request: Request, parsedBody: unknown, server: McpServer, lane: LegacyLane): Promise<Response> {
  const rejected = hostHeaderValidationResponse(request, [lane.host]) ?? originValidationResponse(request, lane.allowedOriginHostnames);
  if (rejected) return rejected;
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request, { parsedBody });
  } finally {
    await Promise.all([transport.close().catch(() => {}), server.close().catch(() => {})]);
  }
}
