/**
 * Builds Graph paths and OData values from user input without letting it
 * change the request: every interpolated value becomes one encoded path
 * segment (so `../../users/x` stays inside its segment), and OData string
 * literals double their quotes.
 */
export class PathSegmentError extends Error {
  override name = "PathSegmentError";
}

export function graphPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let path = strings[0] ?? "";
  values.forEach((value, index) => {
    const text = String(value);
    // "." and ".." survive encodeURIComponent, and URL parsing also reads
    // "%2E%2E" as "..": no id is ever spelt that way, so refuse them outright.
    if (text === "" || text === "." || text === "..") throw new PathSegmentError(`"${text}" is not a valid id`);
    path += encodeURIComponent(text) + (strings[index + 1] ?? "");
  });
  return path;
}

/** An OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A `$search` value: KQL phrase in double quotes, inner quotes and backslashes escaped. */
export function searchPhrase(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
