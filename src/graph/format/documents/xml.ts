import { Parser } from "htmlparser2";

/**
 * @module Reading OOXML parts with htmlparser2's XML mode (already the
 * parser under html-to-text): a streaming walk with open, text and close
 * callbacks, so a part is never held as a tree. Entities and CDATA are
 * decoded by the parser.
 */

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void;
  text?(text: string): void;
  close?(name: string): void;
}

export function walkXml(xml: string, handlers: XmlHandlers): void {
  const parser = new Parser(
    {
      onopentag: (name, attributes) => handlers.open?.(name, attributes),
      ontext: (text) => handlers.text?.(text),
      onclosetag: (name) => handlers.close?.(name),
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
}

/** The local part of a qualified name: `w:t` → `t`. Prefixes are conventional, not fixed, in OOXML. */
export const local = (name: string): string => name.slice(name.indexOf(":") + 1);

/** An attribute by local name (`w:val`, `r:id`…), whatever its prefix. */
export function attribute(attributes: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(attributes)) if (local(key) === name) return value;
  return undefined;
}

/** The relationship id (`r:id`) of an element, which may also carry an unprefixed `id` of its own (a slide's `id="256"`). */
export function relationshipId(attributes: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(attributes)) if (key.includes(":") && local(key) === "id") return value;
  return undefined;
}
