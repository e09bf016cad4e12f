import { DOCUMENT_LIMITS, DocumentError, TextSink } from "./limits";
import { attribute, local, relationshipId, walkXml } from "./xml";
import { type OfficePackage, relationships } from "./zip";

/**
 * @module A PowerPoint deck (.pptx) as text: slides in the deck's order, each
 * under "## Slide N", the text of each shape one paragraph a line, tables
 * as rows with ` | `, then the speaker notes. Images, charts and slide
 * masters are left out.
 */

const PRESENTATION = "ppt/presentation.xml";
const PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels";

/** DrawingML text: paragraphs (`a:p`) as lines, table rows (`a:tr`) as cells joined by ` | `. */
function drawingText(xml: string, onlyBodyPlaceholders = false): string[] {
  const lines: string[] = [];
  let paragraph = "";
  let inText = false;
  let row: string[] | undefined;
  let cell: string[] = [];
  /** In notes, only the body placeholder holds the notes; others hold the slide image and its number. */
  let shapeIsBody = !onlyBodyPlaceholders;
  walkXml(xml, {
    open(name, attributes) {
      switch (local(name)) {
        case "sp":
          shapeIsBody = !onlyBodyPlaceholders;
          break;
        case "ph":
          if (onlyBodyPlaceholders) shapeIsBody = attribute(attributes, "type") === "body";
          break;
        case "t":
          inText = true;
          break;
        case "br":
          paragraph += "\n";
          break;
        case "tr":
          row = [];
          break;
        case "tc":
          cell = [];
          break;
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
        case "p": {
          const text = paragraph.trim();
          paragraph = "";
          if (!text || !shapeIsBody) break;
          if (row) cell.push(text);
          else lines.push(text);
          break;
        }
        case "tc":
          row?.push(cell.join(" "));
          break;
        case "tr":
          if (row?.some(Boolean)) lines.push(row.join(" | "));
          row = undefined;
          break;
      }
    },
  });
  return lines;
}

function slideParts(pkg: OfficePackage): string[] {
  const meta = pkg.read([PRESENTATION, PRESENTATION_RELS]);
  const targets = relationships(meta.get(PRESENTATION_RELS), "ppt/");
  const slides: string[] = [];
  walkXml(meta.get(PRESENTATION) ?? "", {
    open(name, attributes) {
      if (local(name) !== "sldId") return;
      const part = targets.get(relationshipId(attributes) ?? "");
      if (part) slides.push(part);
    },
  });
  return slides;
}

const folderOf = (part: string) => part.slice(0, part.lastIndexOf("/") + 1);
const relsOf = (part: string) => `${folderOf(part)}_rels/${part.slice(part.lastIndexOf("/") + 1)}.rels`;

export function pptxText(pkg: OfficePackage): string {
  const slides = slideParts(pkg);
  if (slides.length > DOCUMENT_LIMITS.pages) {
    throw new DocumentError(`it has ${slides.length} slides; at most ${DOCUMENT_LIMITS.pages} are read`);
  }
  const out = new TextSink();
  slides.forEach((part, index) => {
    const parts = pkg.read([part, relsOf(part)]);
    out.push(`## Slide ${index + 1}\n`);
    const lines = drawingText(parts.get(part) ?? "");
    if (lines.length) out.push(`${lines.join("\n")}\n`);
    const notesPart = [...relationships(parts.get(relsOf(part)), folderOf(part), "/notesSlide").values()][0];
    const notes = notesPart ? drawingText(pkg.part(notesPart) ?? "", true) : [];
    if (notes.length) out.push(`Notes: ${notes.join("\n")}\n`);
    out.push("\n");
  });
  return out.text().trim();
}
