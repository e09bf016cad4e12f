import { PDFDocument, StandardFonts } from "pdf-lib";

/**
 * Real documents made at run time for the extraction tests: the Office
 * files come from the emulator's own writer (fflate zips of the real parts),
 * PDFs from pdf-lib.
 */
export { type Block, type Cell, docx, pptx, xlsx } from "../../emulator/graph/files/office";

/** A PDF with one page per entry, each line of it drawn as text. */
export async function pdf(pages: string[][]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([595, 842]);
    lines.forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 20, size: 12, font }));
  }
  return document.save({ useObjectStreams: false });
}

/**
 * A PDF that asks for a password: pdf-lib's output with a standard security
 * handler in its trailer whose user password is not empty, so a reader
 * cannot open it without one.
 */
export async function encryptedPdf(): Promise<Uint8Array> {
  const text = new TextDecoder("latin1").decode(await pdf([["Secret"]]));
  const hex = (byte: number) => byte.toString(16).padStart(2, "0").repeat(32);
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${hex(0x4f)}> /U <${hex(0x55)}> >> /ID [<${hex(1).slice(0, 32)}> <${hex(1).slice(0, 32)}>]`;
  const at = text.lastIndexOf("trailer");
  const patched = `${text.slice(0, at)}${text.slice(at).replace("<<", `<< ${encrypt}`)}`;
  return Uint8Array.from(patched, (char) => char.charCodeAt(0));
}
