import { strToU8, zipSync, type Zippable } from "fflate";

/**
 * @module
 * Real Office and PDF files for the seeded OneDrive and for tests: Office
 * Open XML packages zipped with fflate (the parts and relationships Word,
 * Excel and PowerPoint write, trimmed to what a file needs to open), and a
 * small PDF writer (one Helvetica text object per line, a classic xref
 * table) whose pages carry real, extractable text.
 */

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function zip(parts: Record<string, string>): Uint8Array {
  const files: Zippable = {};
  for (const [name, xml] of Object.entries(parts)) files[name] = strToU8(xml);
  return zipSync(files);
}

function rels(entries: [id: string, type: string, target: string][]): string {
  const items = entries.map(([id, type, target]) => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"/>`).join("");
  return `${XML}<Relationships xmlns="${PKG_REL}">${items}</Relationships>`;
}

function contentTypes(overrides: [part: string, type: string][]): string {
  const items = overrides.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`).join("");
  return `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${items}</Types>`;
}

export type Block = { heading: string; level?: number } | { paragraph: string } | { table: string[][] };

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const run = (text: string) => `<w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r>`;

/** A Word document of headings, paragraphs and tables, in order. */
export function docx(blocks: Block[]): Uint8Array {
  const body = blocks
    .map((block) => {
      if ("heading" in block) return `<w:p><w:pPr><w:pStyle w:val="Heading${block.level ?? 1}"/></w:pPr>${run(block.heading)}</w:p>`;
      if ("paragraph" in block) return `<w:p>${run(block.paragraph)}</w:p>`;
      const rows = block.table.map((row) => `<w:tr>${row.map((cell) => `<w:tc><w:p>${run(cell)}</w:p></w:tc>`).join("")}</w:tr>`);
      return `<w:tbl><w:tblPr/>${rows.join("")}</w:tbl>`;
    })
    .join("");
  const styles = [1, 2, 3]
    .map((level) => `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/></w:style>`)
    .join("");
  return zip({
    "[Content_Types].xml": contentTypes([
      ["/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"],
      ["/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"],
    ]),
    "_rels/.rels": rels([["rId1", "officeDocument", "word/document.xml"]]),
    "word/_rels/document.xml.rels": rels([["rId1", "styles", "styles.xml"]]),
    "word/document.xml": `${XML}<w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`,
    "word/styles.xml": `${XML}<w:styles ${W}>${styles}</w:styles>`,
  });
}

/** A cell: text (a shared string), a number with an optional style index (see `xlsx`), or a boolean. */
export type Cell = string | number | { value: number; style: number } | boolean;

/**
 * A workbook with named sheets. Styles: 0 General, 1 `0.00%` (built-in 10),
 * 2 `"$"#,##0.00` (custom), 3 a date (built-in 14).
 */
export function xlsx(sheets: { name: string; rows: Cell[][] }[]): Uint8Array {
  const strings: string[] = [];
  const stringIndex = (text: string) => {
    const at = strings.indexOf(text);
    return at >= 0 ? at : strings.push(text) - 1;
  };
  const column = (index: number) => String.fromCharCode(65 + index);
  const sheetXml = (rows: Cell[][]) =>
    rows
      .map((row, r) => {
        const cells = row.map((cell, c) => {
          const ref = `${column(c)}${r + 1}`;
          if (typeof cell === "string") return `<c r="${ref}" t="s"><v>${stringIndex(cell)}</v></c>`;
          if (typeof cell === "boolean") return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
          if (typeof cell === "number") return `<c r="${ref}"><v>${cell}</v></c>`;
          return `<c r="${ref}" s="${cell.style}"><v>${cell.value}</v></c>`;
        });
        return `<row r="${r + 1}">${cells.join("")}</row>`;
      })
      .join("");
  const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const parts: Record<string, string> = {};
  sheets.forEach((sheet, index) => {
    parts[`xl/worksheets/sheet${index + 1}.xml`] = `${XML}<worksheet ${S}><sheetData>${sheetXml(sheet.rows)}</sheetData></worksheet>`;
  });
  const sheetList = sheets
    .map((sheet, index) => `<sheet name="${escape(sheet.name)}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`)
    .join("");
  return zip({
    "[Content_Types].xml": contentTypes([
      ["/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"],
      ...sheets.map(
        (_, index) =>
          [`/xl/worksheets/sheet${index + 1}.xml`, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"] as [
            string,
            string,
          ],
      ),
    ]),
    "_rels/.rels": rels([["rId1", "officeDocument", "xl/workbook.xml"]]),
    "xl/workbook.xml": `${XML}<workbook ${S} xmlns:r="${REL}"><sheets>${sheetList}</sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": rels([
      ...sheets.map((_, index) => [`rId${index + 1}`, "worksheet", `worksheets/sheet${index + 1}.xml`] as [string, string, string]),
      [`rId${sheets.length + 1}`, "sharedStrings", "sharedStrings.xml"],
      [`rId${sheets.length + 2}`, "styles", "styles.xml"],
    ]),
    ...parts,
    "xl/sharedStrings.xml": `${XML}<sst ${S} count="${strings.length}" uniqueCount="${strings.length}">${strings.map((text) => `<si><t>${escape(text)}</t></si>`).join("")}</sst>`,
    "xl/styles.xml": `${XML}<styleSheet ${S}><numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;$&quot;#,##0.00"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  });
}

const P =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const shape = (paragraphs: string[], placeholder?: string) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Shape"/><p:cNvSpPr/><p:nvPr>${placeholder ? `<p:ph type="${placeholder}"/>` : ""}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paragraphs.map((text) => `<a:p><a:r><a:t>${escape(text)}</a:t></a:r></a:p>`).join("")}</p:txBody></p:sp>`;

/** A deck: each slide's shapes (each a list of paragraphs) and optional speaker notes. */
export function pptx(slides: { shapes: string[][]; notes?: string }[]): Uint8Array {
  const parts: Record<string, string> = {};
  slides.forEach((slide, index) => {
    const n = index + 1;
    parts[`ppt/slides/slide${n}.xml`] =
      `${XML}<p:sld ${P}><p:cSld><p:spTree>${slide.shapes.map((paragraphs) => shape(paragraphs)).join("")}</p:spTree></p:cSld></p:sld>`;
    if (slide.notes !== undefined) {
      parts[`ppt/slides/_rels/slide${n}.xml.rels`] = rels([["rId1", "notesSlide", `../notesSlides/notesSlide${n}.xml`]]);
      parts[`ppt/notesSlides/notesSlide${n}.xml`] =
        `${XML}<p:notes ${P}><p:cSld><p:spTree>${shape(["Slide image"], "sldImg")}${shape([slide.notes], "body")}${shape([String(n)], "sldNum")}</p:spTree></p:cSld></p:notes>`;
    }
  });
  const ids = slides.map((_, index) => `<p:sldId id="${256 + index}" r:id="rId${index + 1}"/>`).join("");
  return zip({
    "[Content_Types].xml": contentTypes([
      ["/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"],
    ]),
    "_rels/.rels": rels([["rId1", "officeDocument", "ppt/presentation.xml"]]),
    "ppt/presentation.xml": `${XML}<p:presentation ${P} xmlns:r="${REL}"><p:sldIdLst>${ids}</p:sldIdLst></p:presentation>`,
    "ppt/_rels/presentation.xml.rels": rels(slides.map((_, index) => [`rId${index + 1}`, "slide", `slides/slide${index + 1}.xml`])),
    ...parts,
  });
}

/** A PDF (1.4) with one page per entry, each line drawn as text; characters outside Latin-1 become "?". */
export function simplePdf(pages: string[][]): Uint8Array {
  const objects: string[] = [];
  const pageIds = pages.map((_, index) => 4 + index * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  pages.forEach((lines, index) => {
    const id = pageIds[index] ?? 0;
    const stream = lines
      .map((line, row) => {
        const safe = line.replace(/[^\x20-\x7e\xa0-\xff]/g, "?").replace(/[()\\]/g, (char) => `\\${char}`);
        return `BT /F1 12 Tf 50 ${780 - row * 18} Td (${safe}) Tj ET`;
      })
      .join("\n");
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let body = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id] ?? "null"}\nendobj\n`;
  }
  const xref = body.length;
  const entries = offsets.slice(1).map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`);
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n${entries.join("")}trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Uint8Array.from(body, (char) => char.charCodeAt(0));
}
