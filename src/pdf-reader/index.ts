import { WorkerEntrypoint } from "cloudflare:workers";
import { DocumentError, type PdfTextResult } from "../graph/format/documents/limits";
import { pdfText } from "./pdf-text";

/**
 * @module The PDF reader Worker (`m365-mcp-gateway-pdf`, pdf.wrangler.toml):
 * PDF text extraction in a Worker of its own, reached by the gateway only
 * through its PDF_READER service binding. PDF.js is the largest thing the
 * gateway would otherwise bundle and the most CPU-hungry thing it does;
 * here it has its own bundle, start-up and CPU limit. A file that cannot be
 * read answers a refusal as a value (errors lose their class over RPC); any
 * other failure is thrown, and the gateway reports the reader unavailable.
 */

export class PdfReader extends WorkerEntrypoint {
  async pdfText(bytes: Uint8Array): Promise<PdfTextResult> {
    try {
      return { ok: true, text: await pdfText(bytes) };
    } catch (error) {
      if (error instanceof DocumentError) return { ok: false, reason: error.message };
      throw error;
    }
  }
}

/** Not reachable over HTTP (pdf.wrangler.toml has no route and no workers.dev address); anything that gets here finds nothing. */
export default {
  fetch(): Response {
    return new Response(null, { status: 404 });
  },
} satisfies ExportedHandler;
