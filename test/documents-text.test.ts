import { env } from "cloudflare:workers";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { DocumentError, type DocumentKind, documentKind, documentText } from "../src/graph/format/documents";
import { formatNumber } from "../src/graph/format/documents/number-format";
import { docx, encryptedPdf, pdf, pptx, xlsx } from "./helpers/documents";

/** Every reader as the gateway runs it: PDFs go to the PDF reader Worker (an auxiliary Worker here) over the real PDF_READER binding. */
const read = (kind: DocumentKind, bytes: Uint8Array) => documentText(kind, bytes, env.PDF_READER);

/** The readers on documents made at run time; the tools' windows, limits and errors are in tools-documents.test.ts. */
describe("document text", () => {
  it("reads a Word file: headings marked by level, paragraphs in order, a table as rows with ' | '", async () => {
    const bytes = docx([
      { heading: "Quarterly review" },
      { paragraph: "Revenue grew in every region." },
      { heading: "Numbers", level: 2 },
      {
        table: [
          ["Region", "Revenue"],
          ["North", "120"],
          ["South", "95"],
        ],
      },
      { paragraph: "Next steps & owners follow." },
    ]);
    expect(await read("docx", bytes)).toBe(
      "# Quarterly review\nRevenue grew in every region.\n## Numbers\nRegion | Revenue\nNorth | 120\nSouth | 95\n\nNext steps & owners follow.",
    );
  });

  it("reads a workbook: each sheet named, shared strings resolved, numbers and dates as formatted", async () => {
    const bytes = xlsx([
      {
        name: "Budget",
        rows: [
          ["Item", "Cost", "Share"],
          ["Rent", { value: 1234.5, style: 2 }, { value: 0.4567, style: 1 }],
          ["Total", 0.1 + 0.2, true],
        ],
      },
      { name: "Dates", rows: [["Due", { value: 45000, style: 3 }]] },
    ]);
    expect(await read("xlsx", bytes)).toBe(
      "## Sheet: Budget\nItem | Cost | Share\nRent | $1,234.50 | 45.67%\nTotal | 0.3 | TRUE\n\n## Sheet: Dates\nDue | 2023-03-15",
    );
  });

  it("formats numbers as Excel's common formats show them", () => {
    expect(formatNumber(-1234567.891, "#,##0.00")).toBe("-1,234,567.89");
    expect(formatNumber(0.5, "0%")).toBe("50%");
    expect(formatNumber(12345, "0.00E+00")).toBe("1.23E+04");
    expect(formatNumber(45000.5, "yyyy-mm-dd h:mm")).toBe("2023-03-15 12:00");
    expect(formatNumber(99.5, "[$€-407] #,##0.00")).toBe("€ 99.50");
    expect(formatNumber(7, undefined)).toBe("7");
  });

  it("reads a deck: slides in order under 'Slide N', each shape's text, then the speaker notes", async () => {
    const bytes = pptx([{ shapes: [["Kick-off"], ["Goals", "Ship it"]], notes: "Say hello" }, { shapes: [["Thanks"]] }]);
    expect(await read("pptx", bytes)).toBe("## Slide 1\nKick-off\nGoals\nShip it\nNotes: Say hello\n\n## Slide 2\nThanks");
  });

  it("reads a PDF page by page under 'Page N'", async () => {
    expect(await read("pdf", await pdf([["First page", "second line"], ["Page two text"]]))).toBe(
      "## Page 1\nFirst page\nsecond line\n\n## Page 2\nPage two text",
    );
  }, 30_000);

  it("refuses encrypted, corrupt and mislabelled files with the reason", async () => {
    await expect(read("pdf", await encryptedPdf())).rejects.toThrow(new DocumentError("it is password-protected (encrypted)"));
    await expect(read("pdf", strToU8("%PDF-1.7\ngarbage"))).rejects.toThrow(/damaged or is not a PDF/);
    await expect(read("docx", strToU8("PK\u0003\u0004 not really a zip"))).rejects.toThrow(/damaged \(its zip package/);
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expect(read("xlsx", ole)).rejects.toThrow(/password-protected \(encrypted\) or in the old binary Office format/);
    await expect(read("pptx", strToU8("hello"))).rejects.toThrow(/not a valid Office file/);
  });

  it("refuses a zip bomb before inflating it", async () => {
    // 42 MB of zeros deflates to well under 1 MB: far under the file limit, over the unpacked limit.
    const bomb = zipSync({ "word/document.xml": new Uint8Array(42 * 1024 * 1024) }, { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(read("docx", bomb)).rejects.toThrow(/unpack to more than 40 MB/);
  }, 30_000);

  it("tells kinds by extension, then MIME type", () => {
    expect(documentKind("Plan.DOCX", undefined)).toBe("docx");
    expect(documentKind("export", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBe("xlsx");
    expect(documentKind("notes.md", "application/octet-stream")).toBe("text");
    expect(documentKind("page.htm", undefined)).toBe("html");
    expect(documentKind("photo.png", "image/png")).toBeUndefined();
    expect(documentKind("old.doc", "application/msword")).toBeUndefined();
  });
});
