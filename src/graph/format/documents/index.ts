import { htmlToText } from "../text";
import { docxText } from "./docx";
import { type PdfReader, pdfText } from "./pdf";
import { pptxText } from "./pptx";
import { xlsxText } from "./xlsx";
import { OfficePackage } from "./zip";

/**
 * @module File contents as text, for get_file and get_attachment: Word,
 * Excel, PowerPoint and PDF documents, plain text (CSV, Markdown, JSON…)
 * and HTML. Which reader applies follows the file name's extension, then
 * the MIME type; anything else has no text to show.
 */

export { DOCUMENT_LIMITS, DocumentError } from "./limits";
export { type PdfReader, PdfReaderUnavailable } from "./pdf";

export type DocumentKind = "docx" | "xlsx" | "pptx" | "pdf" | "text" | "html";

const MIME_KINDS: Record<string, DocumentKind> = {
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/pdf": "pdf",
  "text/html": "html",
};

const EXTENSION_KINDS: Record<string, DocumentKind> = {
  docx: "docx",
  docm: "docx",
  xlsx: "xlsx",
  xlsm: "xlsx",
  pptx: "pptx",
  pptm: "pptx",
  pdf: "pdf",
  html: "html",
  htm: "html",
};

const TEXT_EXTENSIONS = new Set(["txt", "md", "markdown", "csv", "tsv", "json", "log", "xml", "yaml", "yml", "ini"]);

/** How to read a file's text, from its name and MIME type; undefined when it has none (images, archives, unknown types). */
export function documentKind(name: string, mimeType: string | undefined): DocumentKind | undefined {
  const extension = name.includes(".") ? (name.split(".").pop()?.toLowerCase() ?? "") : "";
  const mime = (mimeType ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
  const byExtension = EXTENSION_KINDS[extension] ?? (TEXT_EXTENSIONS.has(extension) ? "text" : undefined);
  if (byExtension) return byExtension;
  if (MIME_KINDS[mime]) return MIME_KINDS[mime];
  if (mime.startsWith("text/") || /^application\/(json|xml|x-yaml)/.test(mime)) return "text";
  return undefined;
}

/**
 * A document's whole text (the caller windows it); a DocumentError says why
 * there is none. PDFs go to the PDF reader Worker through `pdfReader`.
 */
export async function documentText(kind: DocumentKind, bytes: Uint8Array, pdfReader: PdfReader): Promise<string> {
  switch (kind) {
    case "docx":
      return docxText(new OfficePackage(bytes));
    case "xlsx":
      return xlsxText(new OfficePackage(bytes));
    case "pptx":
      return pptxText(new OfficePackage(bytes));
    case "pdf":
      return pdfText(pdfReader, bytes);
    case "html":
      return htmlToText(decode(bytes));
    case "text":
      // Plain text stays as written (tabs and spacing carry meaning in TSV or code); only CRLF becomes LF.
      return decode(bytes).replace(/\r\n/g, "\n");
  }
}

/** UTF-8, as OneDrive and Outlook store text; a stray invalid byte becomes U+FFFD rather than failing the read. */
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
