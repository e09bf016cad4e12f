import { formatNumber, builtInFormat } from "./number-format";
import { DOCUMENT_LIMITS, DocumentError, TextSink } from "./limits";
import { attribute, local, relationshipId, walkXml } from "./xml";
import { type OfficePackage, relationships } from "./zip";

/**
 * @module An Excel workbook (.xlsx) as text: each sheet under its name, one
 * line per row with cells joined by ` | ` (empty cells kept between filled
 * ones so columns line up), shared and inline strings resolved, numbers
 * and dates as the cell's number format shows them, formulas as their
 * cached values. Charts, images and comments are left out.
 */

const WORKBOOK = "xl/workbook.xml";
const WORKBOOK_RELS = "xl/_rels/workbook.xml.rels";
const SHARED_STRINGS = "xl/sharedStrings.xml";
const STYLES = "xl/styles.xml";
/** Cells past this column are left out (and counted), so a stray far-right cell cannot fill a row with separators. */
const MAX_COLUMNS = 200;

interface SheetRef {
  name: string;
  part: string | undefined;
}

function workbookSheets(pkg: Map<string, string>): { sheets: SheetRef[]; date1904: boolean } {
  const targets = relationships(pkg.get(WORKBOOK_RELS), "xl/");
  const sheets: SheetRef[] = [];
  let date1904 = false;
  walkXml(pkg.get(WORKBOOK) ?? "", {
    open(name, attributes) {
      const tag = local(name);
      if (tag === "workbookPr") date1904 = ["1", "true"].includes(attribute(attributes, "date1904") ?? "");
      if (tag === "sheet") sheets.push({ name: attributes.name ?? "", part: targets.get(relationshipId(attributes) ?? "") });
    },
  });
  return { sheets, date1904 };
}

/** The shared string table: each `<si>`'s runs joined, phonetic guides (`<rPh>`) left out. */
function sharedStrings(xml: string | undefined): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  let current = "";
  let inText = false;
  let phonetic = 0;
  walkXml(xml, {
    open(name) {
      const tag = local(name);
      if (tag === "si") current = "";
      else if (tag === "rPh") phonetic += 1;
      else if (tag === "t") inText = phonetic === 0;
    },
    text(text) {
      if (inText) current += text;
    },
    close(name) {
      const tag = local(name);
      if (tag === "t") inText = false;
      else if (tag === "rPh") phonetic -= 1;
      else if (tag === "si") strings.push(current);
    },
  });
  return strings;
}

/** Each cell style's number format code, by the cell's `s` index. */
function numberFormats(xml: string | undefined): (string | undefined)[] {
  const custom = new Map<number, string>();
  const formats: (string | undefined)[] = [];
  if (!xml) return formats;
  let inCellXfs = false;
  walkXml(xml, {
    open(name, attributes) {
      const tag = local(name);
      if (tag === "numFmt") custom.set(Number(attributes.numFmtId), attributes.formatCode ?? "");
      else if (tag === "cellXfs") inCellXfs = true;
      else if (tag === "xf" && inCellXfs) {
        const id = Number(attributes.numFmtId ?? 0);
        formats.push(custom.get(id) ?? builtInFormat(id));
      }
    },
    close(name) {
      if (local(name) === "cellXfs") inCellXfs = false;
    },
  });
  return formats;
}

/** `C12` → 2 (zero-based column). */
function columnOf(reference: string | undefined, fallback: number): number {
  const letters = /^([A-Z]+)/i.exec(reference ?? "")?.[1];
  if (!letters) return fallback;
  let column = 0;
  for (const letter of letters.toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column - 1;
}

interface SheetContext {
  strings: string[];
  formats: (string | undefined)[];
  date1904: boolean;
  rowsLeft: { count: number };
}

function sheetRows(xml: string, context: SheetContext, out: TextSink): number {
  let row: string[] = [];
  let dropped = 0;
  let cell = { column: 0, type: "n", style: 0, value: "" };
  let capture = false;
  walkXml(xml, {
    open(name, attributes) {
      const tag = local(name);
      if (tag === "row") row = [];
      else if (tag === "c") {
        cell = { column: columnOf(attributes.r, row.length), type: attributes.t ?? "n", style: Number(attributes.s ?? 0), value: "" };
      } else if (tag === "v" || (tag === "t" && cell.type === "inlineStr")) capture = true;
    },
    text(text) {
      if (capture) cell.value += text;
    },
    close(name) {
      const tag = local(name);
      if (tag === "v" || tag === "t") capture = false;
      else if (tag === "c") {
        const shown = cellText(cell, context);
        if (cell.column >= MAX_COLUMNS) dropped += shown ? 1 : 0;
        else if (shown) {
          while (row.length < cell.column) row.push("");
          row[cell.column] = shown;
        }
      } else if (tag === "row" && row.length > 0) {
        context.rowsLeft.count -= 1;
        if (context.rowsLeft.count < 0) {
          throw new DocumentError(
            `it has more than ${DOCUMENT_LIMITS.rows.toLocaleString("en-US")} rows with content, the most read from one workbook`,
          );
        }
        out.push(`${row.join(" | ")}\n`);
      }
    },
  });
  return dropped;
}

function cellText(cell: { type: string; style: number; value: string }, context: SheetContext): string {
  const raw = cell.value;
  switch (cell.type) {
    case "s":
      return (context.strings[Number(raw)] ?? "").replace(/\s*\n\s*/g, " ").trim();
    case "b":
      return raw === "1" ? "TRUE" : raw === "0" ? "FALSE" : raw;
    case "inlineStr":
    case "str":
    case "e":
    case "d":
      return raw.replace(/\s*\n\s*/g, " ").trim();
    default: {
      if (raw === "") return "";
      const value = Number(raw);
      return Number.isFinite(value) ? formatNumber(value, context.formats[cell.style], context.date1904) : raw;
    }
  }
}

export function xlsxText(pkg: OfficePackage): string {
  const meta = pkg.read([WORKBOOK, WORKBOOK_RELS, SHARED_STRINGS, STYLES]);
  const { sheets, date1904 } = workbookSheets(meta);
  if (sheets.length > DOCUMENT_LIMITS.sheets) {
    throw new DocumentError(`it has ${sheets.length} sheets; at most ${DOCUMENT_LIMITS.sheets} are read`);
  }
  const context: SheetContext = {
    strings: sharedStrings(meta.get(SHARED_STRINGS)),
    formats: numberFormats(meta.get(STYLES)),
    date1904,
    rowsLeft: { count: DOCUMENT_LIMITS.rows },
  };
  const out = new TextSink();
  for (const sheet of sheets) {
    out.push(`## Sheet: ${sheet.name}\n`);
    const xml = sheet.part ? pkg.part(sheet.part) : undefined;
    const dropped = xml ? sheetRows(xml, context, out) : 0;
    if (dropped) out.push(`(${dropped} cells past column ${MAX_COLUMNS} left out)\n`);
    out.push("\n");
  }
  return out.text().trim();
}
