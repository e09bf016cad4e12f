/**
 * @module The bounds on reading a document as text, and the one error a
 * document that cannot be read (too large, encrypted, corrupt) raises. The
 * bounds keep one call inside a Worker's memory (128 MB) and CPU time: the
 * Workers clock does not advance while code computes, so the CPU guard is a
 * bound on the work itself (bytes inflated, XML read, pages, rows), not a timer.
 */

export const DOCUMENT_LIMITS = {
  /** The largest file or attachment downloaded for its text. */
  fileBytes: 10 * 1024 * 1024,
  /** The zip-bomb guard: the most an Office file's parts that are read may inflate to, together. */
  unzippedBytes: 40 * 1024 * 1024,
  /** PDF pages, and slides of a deck. */
  pages: 300,
  sheets: 50,
  /** Rows of all sheets of a workbook together. */
  rows: 20_000,
  /** The text a document may yield; past it, reading it whole is not a window's job. */
  textChars: 2_000_000,
} as const;

/** Why a document's text cannot be shown; the tool answers with it instead of the text. */
export class DocumentError extends Error {
  override name = "DocumentError";
}

export const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Appends text while counting it, and stops the read once the document yields more than the bound allows. */
export class TextSink {
  private readonly parts: string[] = [];
  private length = 0;

  push(text: string): void {
    this.length += text.length;
    if (this.length > DOCUMENT_LIMITS.textChars) {
      throw new DocumentError(`its text is longer than the ${DOCUMENT_LIMITS.textChars.toLocaleString("en-US")} characters read at most`);
    }
    this.parts.push(text);
  }

  text(): string {
    return this.parts.join("");
  }
}

/**
 * The PDF reader Worker's answer (src/pdf-reader/, reached over the
 * PDF_READER service binding): the text, or why there is none. A refusal is
 * a value, not a thrown DocumentError: an error thrown across RPC arrives as
 * a plain Error, without its class.
 */
export type PdfTextResult = { ok: true; text: string } | { ok: false; reason: string };
