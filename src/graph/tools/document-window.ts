import type { GraphRequest } from "../client";
import type { RawContent } from "../download";
import { DOCUMENT_LIMITS, DocumentError, type DocumentKind, documentText, PdfReaderUnavailable } from "../format/documents";
import { humanSize } from "../format/files";
import { window } from "../format/text";
import { expectOk, ToolError, type ToolContext } from "./types";

/**
 * @module The text of a file or attachment, for get_file and get_attachment:
 * its bytes fetched once per call (a OneDrive file through its download
 * URL, an attachment from `$value`), read as text by its kind, and a
 * window of that text cut from `offset`. Offsets count characters of the
 * extracted text, so the next call continues exactly where this one ended.
 */

export interface DocumentSource {
  name: string;
  size: number | undefined;
  kind: DocumentKind;
  /** The Graph request for the bytes: `…/content` or `…/$value`, without `download` (set here). */
  request: GraphRequest;
  /** Where the user can open it instead (a OneDrive link), for the refusal's hint. */
  link?: string;
}

export interface TextWindow {
  text: string;
  start: number;
  end: number;
  total: number;
  nextOffset?: number;
}

const TOO_LARGE = `it is larger than ${humanSize(DOCUMENT_LIMITS.fileBytes)} (${DOCUMENT_LIMITS.fileBytes.toLocaleString("en-US")} bytes), the most read`;

function refusal(source: DocumentSource, reason: string): ToolError {
  return new ToolError(
    `Cannot show the text of ${source.name}: ${reason}.`,
    source.link ? `Open it instead: ${source.link}` : "Open it in Outlook or OneDrive instead.",
  );
}

/** The whole text of a document, or a ToolError saying why it has none that can be shown. */
async function wholeText(ctx: ToolContext, source: DocumentSource): Promise<string> {
  if ((source.size ?? 0) > DOCUMENT_LIMITS.fileBytes) {
    throw refusal(source, TOO_LARGE);
  }
  // One byte past the limit tells a file that grew since its size was read.
  const length = Math.min(Math.max(source.size ?? 0, 1) + 65_536, DOCUMENT_LIMITS.fileBytes + 1);
  const raw = expectOk<RawContent>(await ctx.graph({ ...source.request, download: { offset: 0, length } }), `read ${source.name}`);
  if (raw.bytes.length > DOCUMENT_LIMITS.fileBytes) throw refusal(source, TOO_LARGE);
  try {
    return await documentText(source.kind, raw.bytes, ctx.pdfReader);
  } catch (error) {
    if (error instanceof DocumentError) throw refusal(source, error.message);
    // Not the file's fault: no "open it instead", a retry may well work.
    if (error instanceof PdfReaderUnavailable) {
      throw new ToolError(`Cannot show the text of ${source.name}: the PDF reader is unavailable, try again.`, "Retry in a moment.");
    }
    throw error;
  }
}

/** A window of the document's text from `offset`, at most `maxChars` characters, cut at a line or word end. */
export async function documentWindow(ctx: ToolContext, source: DocumentSource, offset: number, maxChars: number): Promise<TextWindow> {
  const text = await wholeText(ctx, source);
  const part = window(text, offset, maxChars);
  return { text: part.text, start: offset, end: offset + part.text.length, total: part.total, nextOffset: part.nextOffset };
}
