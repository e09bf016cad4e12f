/**
 * @module Body conversions Exchange performs for mail: HTML to text (for
 * `bodyPreview` and `Prefer: outlook.body-content-type="text"`), text to
 * HTML, and the small helpers around them. Pure functions only.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  euro: "€",
  pound: "£",
  yen: "¥",
  copy: "©",
  reg: "®",
  trade: "™",
  middot: "·",
  bull: "•",
  times: "×",
  deg: "°",
  eacute: "é",
  egrave: "è",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  szlig: "ß",
  ccedil: "ç",
  rarr: "→",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity.startsWith("#")) {
      const code = entity[1] === "x" || entity[1] === "X" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[entity.toLowerCase()] ?? match;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * @module
 * HTML to plain text as Exchange renders it: head/style/script dropped,
 * block ends become line breaks, links become `text<url>`, entities decoded.
 */
export function htmlToText(html: string): string {
  const links: string[] = [];
  const text = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/<a\b[^>]*?href\s*=\s*"([^"]*)"[^>]*>([\s\S]*?)<\/a\s*>/gi, (_match, href: string, inner: string) => {
      links.push(href);
      return `${inner}\u0000${links.length - 1}\u0001`;
    })
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/(p|h[1-6]|table|ul|ol)\s*>/gi, "\n\n")
    .replace(/<\/(div|tr|li|blockquote|pre)\s*>/gi, "\n")
    .replace(/<hr\b[^>]*>/gi, "\n________________________________\n")
    .replace(/<\/t[dh]\s*>/gi, "\t")
    .replace(/<[^>]*>/g, "");
  return (
    decodeEntities(text)
      // oxlint-disable-next-line no-control-regex -- U+0000 and U+0001 delimit the link placeholders inserted above
      .replace(/\u0000(\d+)\u0001/g, (_match, index: string) => `<${decodeEntities(links[Number(index)] ?? "")}>`)
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** Plain text as Exchange's HTML rendering of a text body. */
export function textToHtml(text: string): string {
  const lines = escapeHtml(text).replace(/\r\n?/g, "\n").split("\n").join("<br>\r\n");
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div class="PlainText">${lines}</div>\r\n</body>\r\n</html>\r\n`;
}

/** Wraps an HTML fragment in the document Exchange stores for HTML bodies. */
export function htmlDocument(fragment: string, head = ""): string {
  if (/^\s*<html[\s>]/i.test(fragment)) return fragment;
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">${head}\r\n</head>\r\n<body>\r\n${fragment}\r\n</body>\r\n</html>\r\n`;
}

/** The inside of `<body>`, for quoting a message in a reply. */
export function bodyFragment(html: string): string {
  const match = /<body\b[^>]*>([\s\S]*)<\/body\s*>/i.exec(html);
  return (match?.[1] ?? html).trim();
}

/** `bodyPreview`: the first 255 characters of the text, whitespace collapsed. */
export function previewOf(body: { contentType: "html" | "text"; content: string }): string {
  const text = body.contentType === "html" ? htmlToText(body.content) : body.content;
  return Array.from(text.replace(/\s+/g, " ").trim()).slice(0, 255).join("");
}

/** Graph's date-time format for messages: seconds precision, `Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function utf8Base64(text: string): { contentBytes: string; size: number } {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { contentBytes: btoa(binary), size: bytes.length };
}

export function base64Size(contentBytes: string): number {
  const clean = contentBytes.replace(/\s/g, "");
  const padding = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

export function base64Bytes(contentBytes: string): Uint8Array<ArrayBuffer> {
  const binary = atob(contentBytes.replace(/\s/g, ""));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
