import { env } from "cloudflare:workers";
import { strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import type { GraphResponse } from "../src/graph/client";
import { cursorSealer } from "../src/graph/cursor";
import { documentText, type PdfReader, PdfReaderUnavailable } from "../src/graph/format/documents";
import { documentWindow } from "../src/graph/tools/document-window";
import { ToolError, type ToolContext } from "../src/graph/tools/types";
import { encryptedPdf, pdf } from "./helpers/documents";

/**
 * The PDF reader Worker behind the PDF_READER binding (an auxiliary Worker
 * here, built from pdf.wrangler.toml): its refusals cross RPC as values, and
 * a reader that fails or answers nonsense is reported as unavailable, never
 * as a damaged file and never with its error's detail.
 */

/** get_file's context with Graph answering `bytes` for the download, and the given PDF reader. */
function contextWith(bytes: Uint8Array, pdfReader: PdfReader): ToolContext {
  return {
    graph: async (): Promise<GraphResponse> => ({ ok: true, status: 200, body: { contentType: "application/pdf", bytes } }),
    graphBase: env.GRAPH_BASE,
    user: { name: "Riley Chen", upn: "riley@example" },
    timeZone: async () => "UTC",
    tool: "get_file",
    cursors: cursorSealer(env.CURSOR_SECRET, { tenantId: "t", user: "u" }, env.GRAPH_BASE),
    pdfReader,
  };
}

const source = {
  name: "Letter.pdf",
  size: 1000,
  kind: "pdf" as const,
  request: { method: "GET" as const, path: "/me/drive/items/1/content" },
};

describe("the PDF reader Worker", () => {
  it("answers text, and refusals as values, over RPC", async () => {
    expect(await env.PDF_READER.pdfText(await pdf([["Hello"]]))).toEqual({ ok: true, text: "## Page 1\nHello" });
    expect(await env.PDF_READER.pdfText(strToU8("%PDF-1.7\ngarbage"))).toEqual({
      ok: false,
      reason: "the file is damaged or is not a PDF",
    });
    expect(await env.PDF_READER.pdfText(await encryptedPdf())).toEqual({ ok: false, reason: "it is password-protected (encrypted)" });
  }, 30_000);

  it("has its refusal answered by the tool with the reason and the hint to open the file", async () => {
    const refused = documentWindow(contextWith(strToU8("%PDF-1.7\ngarbage"), env.PDF_READER), source, 0, 1000);
    await expect(refused).rejects.toBeInstanceOf(ToolError);
    await expect(refused).rejects.toMatchObject({
      message: "Cannot show the text of Letter.pdf: the file is damaged or is not a PDF.",
      hint: "Open it in Outlook or OneDrive instead.",
    });
  }, 30_000);

  it("is reported unavailable, without the failure's detail, when it throws or answers another shape", async () => {
    const throwing: PdfReader = {
      pdfText: async () => {
        throw new Error("internal detail: Worker exceeded CPU time limit");
      },
    };
    const odd: PdfReader = { pdfText: async () => ({ text: 42 }) };
    const bytes = await pdf([["Hello"]]);
    await expect(documentText("pdf", bytes, throwing)).rejects.toBeInstanceOf(PdfReaderUnavailable);
    await expect(documentText("pdf", bytes, odd)).rejects.toBeInstanceOf(PdfReaderUnavailable);
    for (const reader of [throwing, odd]) {
      const failed = documentWindow(contextWith(bytes, reader), source, 0, 1000);
      await expect(failed).rejects.toBeInstanceOf(ToolError);
      await expect(failed).rejects.toMatchObject({
        message: "Cannot show the text of Letter.pdf: the PDF reader is unavailable, try again.",
        hint: "Retry in a moment.",
      });
    }
  });
});
