import { convert } from "html-to-text";

/**
 * @module Lean, readable text for a model: HTML bodies become plain text (no
 * styles, scripts, images or tracking pixels; links kept only when short),
 * and long text is cut with a marker that says how to read on.
 */

const MAX_LINK_LENGTH = 120;

export function htmlToText(html: string): string {
  const text = convert(html, {
    wordwrap: false,
    preserveNewlines: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "head", format: "skip" },
      {
        selector: "a",
        options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true, linkBrackets: ["<", ">"] },
      },
      { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false, maxColumnWidth: 60 } },
      // Capitals change no meaning and cost tokens.
      ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    ],
  });
  return compactWhitespace(dropLongLinks(text));
}

function dropLongLinks(text: string): string {
  return text.replace(/ ?<(https?:\/\/[^>\s]+)>/g, (match, url: string) => (url.length > MAX_LINK_LENGTH ? "" : match));
}

export function compactWhitespace(text: string): string {
  return text
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

export function bodyText(body: { contentType?: string; content?: string } | undefined): string {
  if (!body?.content) return "";
  return body.contentType?.toLowerCase() === "html" ? htmlToText(body.content) : compactWhitespace(body.content);
}

export interface Truncated {
  text: string;
  /** Where to continue reading, when cut. */
  nextOffset?: number;
  total: number;
}

/** A window of `text` from `offset`, at most `limit` characters, cut at a line or word end when possible. */
export function window(text: string, offset: number, limit: number): Truncated {
  const total = text.length;
  if (offset >= total) return { text: "", total };
  let end = Math.min(total, offset + limit);
  if (end < total) {
    const lineBreak = text.lastIndexOf("\n", end);
    const space = text.lastIndexOf(" ", end);
    const cut = lineBreak > offset + limit * 0.6 ? lineBreak : space > offset + limit * 0.6 ? space : end;
    end = cut;
  }
  return { text: text.slice(offset, end), total, nextOffset: end < total ? end : undefined };
}

/** One line per field, skipping empty ones: `Label: value`. */
export function lines(fields: [label: string, value: string | number | boolean | undefined | null][]): string {
  return fields
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([label, value]) => `${label}: ${value}`)
    .join("\n");
}

/** Short single-line preview. */
export function oneLine(text: string | undefined, max = 140): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A window of a long text with a header saying which part it is and a last
 * line saying how to read on: `tool` called with `continueArgs` (e.g.
 * `pageId "…", `) and the next offset.
 */
export function windowedText(text: string, offset: number, maxChars: number, tool: string, continueArgs: string): string {
  const part = window(text, offset, maxChars);
  if (!part.text) return offset > 0 ? `Nothing after offset ${offset}; it has ${part.total} characters.` : "(empty)";
  const end = offset + part.text.length;
  const span = offset > 0 || part.nextOffset !== undefined ? `[characters ${offset}–${end} of ${part.total}]\n` : "";
  const more = part.nextOffset !== undefined ? `\n[More: call ${tool} with ${continueArgs}offset ${part.nextOffset}.]` : "";
  return `${span}${part.text}${more}`;
}
