import { z } from "zod";
import { logError } from "../../../lib/log";
import { DocumentError, type PdfTextResult } from "./limits";

/**
 * @module A PDF as text, read by the PDF reader Worker (src/pdf-reader/)
 * over the PDF_READER service binding: PDF.js stays out of the gateway's
 * bundle and start-up, and parsing runs under that Worker's own CPU limit.
 * Its answer is checked here, at the boundary; a refusal becomes the
 * DocumentError the tools already answer with.
 */

/**
 * What the gateway needs of the PDF_READER binding. Its answer is typed
 * `unknown`: it comes from another Worker, possibly deployed from another
 * version, and is checked against PdfTextResult below.
 */
export interface PdfReader {
  pdfText(bytes: Uint8Array): Promise<unknown>;
}

/** The reader did not answer (not deployed, overloaded, failed): nothing about the file itself. */
export class PdfReaderUnavailable extends Error {
  override name = "PdfReaderUnavailable";
}

const ANSWER: z.ZodType<PdfTextResult> = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), text: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

export async function pdfText(reader: PdfReader, bytes: Uint8Array): Promise<string> {
  let answer: unknown;
  try {
    answer = await reader.pdfText(bytes);
  } catch (error) {
    // Only the class and message are logged; the caller gets no detail of the failure.
    logError("pdf_reader_failed", error);
    throw new PdfReaderUnavailable("the PDF reader did not answer");
  }
  const parsed = ANSWER.safeParse(answer);
  if (!parsed.success) {
    logError("pdf_reader_failed", new Error("the PDF reader's answer has an unexpected shape"));
    throw new PdfReaderUnavailable("the PDF reader's answer has an unexpected shape");
  }
  if (!parsed.data.ok) throw new DocumentError(parsed.data.reason);
  return parsed.data.text;
}
