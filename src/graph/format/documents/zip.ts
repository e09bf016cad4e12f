import { unzipSync } from "fflate";
import { DOCUMENT_LIMITS, DocumentError, MB } from "./limits";
import { walkXml } from "./xml";

/**
 * @module An Office Open XML package (docx, xlsx, pptx are zip files of XML
 * parts) opened with fflate. Only the parts a reader asks for are inflated,
 * and only after their declared sizes pass the zip-bomb guard; fflate
 * inflates into a buffer of the declared size, so a part that lies about
 * its size cannot grow past it.
 */

/** The first bytes of an OLE compound file: a password-protected Office file (or a pre-2007 .doc/.xls/.ppt). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const ZIP_MAGIC = [0x50, 0x4b];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, index) => bytes[index] === byte);

export class OfficePackage {
  private inflated = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly bytes: Uint8Array) {
    if (startsWith(bytes, OLE_MAGIC)) {
      throw new DocumentError("it is password-protected (encrypted) or in the old binary Office format, which is not read");
    }
    if (!startsWith(bytes, ZIP_MAGIC)) throw new DocumentError("it is not a valid Office file (not a zip package)");
  }

  /** The named parts that exist, as text; names are matched exactly, as the package's relationships spell them. */
  read(names: readonly string[]): Map<string, string> {
    const wanted = new Set(names);
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(this.bytes, {
        filter: (file) => {
          if (!wanted.has(file.name)) return false;
          this.inflated += file.originalSize;
          if (this.inflated > DOCUMENT_LIMITS.unzippedBytes) {
            throw new DocumentError(`its parts unpack to more than ${MB(DOCUMENT_LIMITS.unzippedBytes)}, the most read from one file`);
          }
          return true;
        },
      });
    } catch (error) {
      if (error instanceof DocumentError) throw error;
      throw new DocumentError("the file is damaged (its zip package cannot be read)");
    }
    return new Map(Object.entries(files).map(([name, data]) => [name, this.decoder.decode(data)]));
  }

  /** One part, or undefined when the package has none by that name. */
  part(name: string): string | undefined {
    return this.read([name]).get(name);
  }

  /** Every part name in the package (the central directory only; nothing is inflated). */
  names(): string[] {
    const names: string[] = [];
    try {
      unzipSync(this.bytes, {
        filter: (file) => {
          names.push(file.name);
          return false;
        },
      });
    } catch {
      throw new DocumentError("the file is damaged (its zip package cannot be read)");
    }
    return names;
  }
}

/**
 * Targets of a part's relationships by id (`rId3` → `worksheets/sheet2.xml`),
 * resolved against the part's folder; `type` keeps only relationships whose
 * type ends with it (e.g. `/notesSlide`).
 */
export function relationships(xml: string | undefined, folder: string, type?: string): Map<string, string> {
  const targets = new Map<string, string>();
  if (!xml) return targets;
  walkXml(xml, {
    open(name, { Id, Target, TargetMode, Type }) {
      if (name !== "Relationship" || !Id || !Target || TargetMode === "External") return;
      if (type === undefined || Type?.endsWith(type)) targets.set(Id, resolvePart(folder, Target));
    },
  });
  return targets;
}

/** `xl/` + `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`; `/xl/…` is already absolute; `..` climbs. */
export function resolvePart(folder: string, target: string): string {
  const segments = target.startsWith("/") ? [] : folder.split("/").filter(Boolean);
  for (const segment of target.split("/")) {
    if (segment === "..") segments.pop();
    else if (segment && segment !== ".") segments.push(segment);
  }
  return segments.join("/");
}
