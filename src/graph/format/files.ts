/**
 * @module OneDrive items as one line each, and the pieces get_file needs to show
 * text content in windows: which files are text, and where to cut a chunk
 * of bytes so the next window starts exactly where this one ended.
 */

export interface DriveItem {
  id: string;
  name?: string;
  size?: number;
  lastModifiedDateTime?: string;
  webUrl?: string;
  folder?: { childCount?: number };
  file?: { mimeType?: string };
  parentReference?: { path?: string };
}

export const ITEM_SELECT = "id,name,size,folder,file,lastModifiedDateTime,webUrl";
export const SEARCH_SELECT = `${ITEM_SELECT},parentReference`;
export const DETAIL_SELECT = `${ITEM_SELECT},parentReference`;

export function humanSize(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `/drive/root:/Projects/Atlas` → `/Projects/Atlas`; the root itself → `/`. */
export function folderPath(item: DriveItem): string | undefined {
  const path = item.parentReference?.path;
  if (!path) return undefined;
  const colon = path.indexOf(":");
  return (colon < 0 ? path : path.slice(colon + 1)) || "/";
}

/**
 * A file's web link, shortened: an Office document's link keeps only its
 * `sourcedoc` (which is enough to open it), dropping the file name and view
 * options Graph appends; other links are as Graph gives them.
 */
export function shortLink(webUrl: string | undefined): string | undefined {
  if (!webUrl) return undefined;
  const match = /^([^?]*\/_layouts\/15\/Doc\.aspx)\?(?:.*&)?(sourcedoc=[^&]+)/i.exec(webUrl);
  return match ? `${match[1]}?${match[2]}` : webUrl;
}

export function itemLine(item: DriveItem, withFolder = false): string {
  const where = withFolder && folderPath(item) ? `in ${folderPath(item)}` : undefined;
  const parts = item.folder
    ? [`${item.name ?? ""}/`, `folder, ${item.folder.childCount ?? 0} items`, where]
    : [
        item.name ?? "",
        humanSize(item.size),
        item.lastModifiedDateTime ? `modified ${item.lastModifiedDateTime.slice(0, 10)}` : undefined,
        where,
        // Files only: a folder is opened by listing it.
        shortLink(item.webUrl),
      ];
  return [...parts, `id: ${item.id}`].filter(Boolean).join(" · ");
}

const TEXT_EXTENSIONS = new Set(["txt", "md", "markdown", "csv", "tsv", "json", "log", "xml", "yaml", "yml", "ini"]);
const HTML_EXTENSIONS = new Set(["html", "htm"]);

/** How to show a file's content: as is, converted from HTML, or not at all (binary). */
export function textKind(name: string, mimeType: string | undefined): "text" | "html" | undefined {
  const extension = name.includes(".") ? (name.split(".").pop()?.toLowerCase() ?? "") : "";
  const mime = (mimeType ?? "").toLowerCase();
  if (HTML_EXTENSIONS.has(extension) || mime === "text/html") return "html";
  if (TEXT_EXTENSIONS.has(extension) || mime.startsWith("text/") || /^application\/(json|xml|x-yaml)/.test(mime)) return "text";
  return undefined;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * Where to end a window of at most `limit` UTF-8 bytes, given `bytes` read
 * a little past it: everything when it fits, else after the last line break
 * in the window's final 40%, else the last space, else the last whole
 * character. Separators are ASCII, so no cut splits a multi-byte character.
 */
export function cutPoint(bytes: Uint8Array, limit: number, more: boolean): number {
  if (bytes.length <= limit && !more) return bytes.length;
  const end = Math.min(limit, bytes.length);
  const window = bytes.subarray(0, end);
  for (const separator of [NEWLINE, SPACE]) {
    const at = window.lastIndexOf(separator);
    if (at >= Math.floor(end * 0.6)) return at + 1;
  }
  let cut = end;
  while (cut > 0 && isContinuation(bytes[cut])) cut -= 1;
  return cut;
}

/** Continuation bytes at the start (an offset that landed inside a character), to skip. */
export function partialCharacterBytes(bytes: Uint8Array): number {
  let skip = 0;
  while (skip < 3 && isContinuation(bytes[skip])) skip += 1;
  return skip;
}
