import { getDocumentProxy } from "unpdf";
import { DOCUMENT_LIMITS, DocumentError, TextSink } from "../graph/format/documents/limits";

/**
 * @module A PDF as text with unpdf (Mozilla's PDF.js in its serverless
 * build), in the PDF reader Worker only, so the gateway's bundle and
 * start-up never carry it: pages in order under "## Page N", read one at a
 * time so a long PDF never holds every page's text items at once. A scanned
 * PDF has no text layer and reads as empty pages; password-protected and
 * damaged files are refused with a DocumentError.
 */

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

async function open(bytes: Uint8Array): Promise<PdfDocument> {
  try {
    // A copy: PDF.js takes ownership of the buffer it is given.
    return await getDocumentProxy(bytes.slice(), { disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    if (name === "PasswordException") throw new DocumentError("it is password-protected (encrypted)");
    throw new DocumentError("the file is damaged or is not a PDF");
  }
}

const pageText = (items: TextItem[]) =>
  items
    .map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : ""))
    .join("")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await open(bytes);
  try {
    if (pdf.numPages > DOCUMENT_LIMITS.pages) {
      throw new DocumentError(`it has ${pdf.numPages} pages; at most ${DOCUMENT_LIMITS.pages} are read`);
    }
    const out = new TextSink();
    for (let number = 1; number <= pdf.numPages; number++) {
      let text: string;
      try {
        const page = await pdf.getPage(number);
        text = pageText((await page.getTextContent()).items as TextItem[]);
        page.cleanup();
      } catch {
        throw new DocumentError(`the file is damaged (page ${number} cannot be read)`);
      }
      out.push(`## Page ${number}\n${text}\n\n`);
    }
    return out.text().trim();
  } finally {
    await pdf.loadingTask.destroy();
  }
}
