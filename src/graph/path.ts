/**
 * @module Builds Graph paths and OData values from user input without letting it
 * change the request: every interpolated value becomes one encoded path
 * segment (so `../../users/x` stays inside its segment), and OData string
 * literals double their quotes. `assertGraphPath` is the last check before a
 * path reaches Graph, whoever built it.
 */

export class PathSegmentError extends Error {
  override name = "PathSegmentError";
}

/** Characters no id or Graph path segment carries: controls, and the URL's own delimiters `?`, `#` and `\`. */
// oxlint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSAFE = /[\u0000-\u001f\u007f?#\\]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");
export const UNSAFE_ID_MESSAGE = "an id cannot contain control characters, ?, # or \\";

/** Whether an id can stand as one path segment (graphPath refuses it otherwise). */
export const isPathSafe = (value: string): boolean => !UNSAFE.test(value);

/** Free text bound for a path segment (a search's words), with those characters turned into spaces. */
export const pathSafeText = (value: string): string => value.replace(UNSAFE_ALL, " ");

export function graphPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let path = strings[0] ?? "";
  values.forEach((value, index) => {
    const text = String(value);
    // "." and ".." survive encodeURIComponent, and URL parsing also reads
    // "%2E%2E" as "..": no id is ever spelt that way, so refuse them outright.
    if (text === "" || text === "." || text === "..") throw new PathSegmentError(`"${text}" is not a valid id`);
    if (UNSAFE.test(text)) throw new PathSegmentError(UNSAFE_ID_MESSAGE);
    path += encodeURIComponent(text) + (strings[index + 1] ?? "");
  });
  return path;
}

/**
 * Refuses a Graph path (the part after `/v1.0`) that could reach anything but
 * itself: it must start with `/`, have no empty or dot segments (plain or
 * percent-encoded, which URL parsing resolves), and no control characters,
 * `?`, `#` or `\`.
 */
export function assertGraphPath(path: string): void {
  if (!path.startsWith("/") || UNSAFE.test(path)) throw new PathSegmentError("not a valid Graph path");
  for (const segment of path.slice(1).split("/")) {
    const plain = segment.replace(/%2e/gi, ".");
    if (segment === "" || plain === "." || plain === "..") throw new PathSegmentError("not a valid Graph path");
  }
}

/** An OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A `$search` value: KQL phrase in double quotes, inner quotes and backslashes escaped. */
export function searchPhrase(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
