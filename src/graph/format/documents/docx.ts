import { TextSink } from "./limits";
import { attribute, local, walkXml } from "./xml";
import type { OfficePackage } from "./zip";

/**
 * @module A Word document (.docx) as text: the body's paragraphs in order,
 * headings marked with `#` by level (from the paragraph's style or outline
 * level), list items with `-`, and tables as one line per row with cells
 * joined by ` | `. Headers, footers, comments and images are left out.
 */

const BODY = "word/document.xml";
const STYLES = "word/styles.xml";

/** Style id → heading level, from styles.xml: "heading 1"…"heading 9" and "Title" (ids are localized, names are not). */
function headingStyles(xml: string | undefined): Map<string, number> {
  const levels = new Map<string, number>();
  if (!xml) return levels;
  let styleId: string | undefined;
  walkXml(xml, {
    open(name, attributes) {
      const tag = local(name);
      if (tag === "style") styleId = attribute(attributes, "styleId");
      else if (tag === "name" && styleId) {
        const styleName = (attribute(attributes, "val") ?? "").toLowerCase();
        const level = styleName === "title" ? 1 : Number(/^heading ([1-9])$/.exec(styleName)?.[1] ?? 0);
        if (level) levels.set(styleId, level);
      }
    },
  });
  return levels;
}

export function docxText(pkg: OfficePackage): string {
  const parts = pkg.read([BODY, STYLES]);
  const headings = headingStyles(parts.get(STYLES));
  const out = new TextSink();
  let paragraph = "";
  let level = 0;
  let listItem = false;
  let inText = false;
  /** The open tables, innermost last; a nested table's rows flatten into the outer table's cell. */
  const tables: { row: string[]; cell: string[] }[] = [];

  const endParagraph = () => {
    const text = paragraph.trim();
    paragraph = "";
    const table = tables.at(-1);
    if (table) {
      if (text) table.cell.push(text);
    } else if (text) {
      out.push(`${level ? `${"#".repeat(level)} ` : listItem ? "- " : ""}${text}\n`);
    }
    level = 0;
    listItem = false;
  };

  walkXml(parts.get(BODY) ?? "", {
    open(name, attributes) {
      switch (local(name)) {
        case "t":
          inText = true;
          break;
        case "tab":
          paragraph += "\t";
          break;
        case "br":
        case "cr":
          paragraph += "\n";
          break;
        case "pStyle":
          level = headings.get(attribute(attributes, "val") ?? "") ?? level;
          break;
        case "outlineLvl": {
          // Levels 0–8 are headings 1–9; 9 is Word's "body text".
          const outline = Number(attribute(attributes, "val") ?? 9);
          if (!level && outline >= 0 && outline < 9) level = outline + 1;
          break;
        }
        case "numPr":
          listItem = true;
          break;
        case "tbl":
          tables.push({ row: [], cell: [] });
          break;
        case "tr":
          if (tables.at(-1)) tables[tables.length - 1] = { row: [], cell: [] };
          break;
        case "tc": {
          const table = tables.at(-1);
          if (table) table.cell = [];
          break;
        }
      }
    },
    text(text) {
      if (inText) paragraph += text;
    },
    close(name) {
      switch (local(name)) {
        case "t":
          inText = false;
          break;
        case "p":
          endParagraph();
          break;
        case "tc": {
          const table = tables.at(-1);
          table?.row.push(table.cell.join(" "));
          break;
        }
        case "tr": {
          const row = tables.at(-1)?.row ?? [];
          const line = row.join(" | ");
          const outer = tables.at(-2);
          if (outer) outer.cell.push(line);
          else if (row.some(Boolean)) out.push(`${line}\n`);
          break;
        }
        case "tbl":
          tables.pop();
          if (tables.length === 0) out.push("\n");
          break;
      }
    },
  });
  return out
    .text()
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
