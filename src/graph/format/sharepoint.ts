import { oneLine } from "./text";

/**
 * @module SharePoint sites, libraries, lists and list items as one line each.
 * A list item shows its own columns only: SharePoint's system fields (content
 * type, edit links, compliance tags, lookup ids…) cost tokens and say nothing.
 */

export interface Site {
  id: string;
  displayName?: string;
  name?: string;
  webUrl?: string;
}

export interface Drive {
  id: string;
  name?: string;
}

export interface List {
  id: string;
  displayName?: string;
  list?: { template?: string; hidden?: boolean };
}

export interface ListItem {
  id: string;
  lastModifiedDateTime?: string;
  fields?: Record<string, unknown>;
}

export const SITE_SELECT = "id,displayName,name,webUrl";

export const siteLine = (site: Site) => [site.displayName || site.name, site.webUrl, `id: ${site.id}`].filter(Boolean).join(" · ");

export const libraryLine = (drive: Drive) => `${drive.name ?? ""} · driveId: ${drive.id}`;

export const listLine = (list: List) => `${list.displayName ?? ""} · listId: ${list.id}`;

const SYSTEM_FIELDS = new Set([
  "id",
  "ContentType",
  "Modified",
  "Created",
  "Edit",
  "LinkTitle",
  "LinkTitleNoMenu",
  "ItemChildCount",
  "FolderChildCount",
  "Attachments",
  "DocIcon",
]);

/** A column worth showing: not OData annotations, `_`-prefixed internals, lookup ids or system columns. */
const isOwnField = (name: string) =>
  !name.startsWith("@") && !name.startsWith("_") && !name.endsWith("LookupId") && !SYSTEM_FIELDS.has(name);

function fieldValue(value: unknown): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "string") return oneLine(value, 100);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** `#7 · Title: Webinar 7 · Status: Done · Owner: … · modified 2026-…`, Title first. */
export function listItemLine(item: ListItem): string {
  const fields = Object.entries(item.fields ?? {})
    .filter(([name]) => isOwnField(name))
    .sort(([a], [b]) => (a === "Title" ? -1 : b === "Title" ? 1 : 0))
    .map(([name, value]) => [name, fieldValue(value)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  const modified = item.lastModifiedDateTime ? `modified ${item.lastModifiedDateTime.slice(0, 10)}` : undefined;
  return [`#${item.id}`, ...fields, modified].filter(Boolean).join(" · ");
}
