/**
 * @module OneNote notebooks, sections and pages as one line each, ids last
 * for follow-up calls; a page's own HTML becomes text through htmlToText.
 */

export interface Notebook {
  id: string;
  displayName?: string;
  isDefault?: boolean;
}

export interface NoteSection {
  id: string;
  displayName?: string;
  parentNotebook?: { displayName?: string } | null;
}

export interface NotePage {
  id: string;
  title?: string;
  lastModifiedDateTime?: string;
}

export const NOTEBOOK_SELECT = "id,displayName,isDefault";
export const SECTION_SELECT = "id,displayName,parentNotebook";
export const PAGE_SELECT = "id,title,lastModifiedDateTime";

export const notebookLine = (notebook: Notebook): string =>
  [notebook.displayName || "(untitled)", notebook.isDefault ? "default" : undefined, `id: ${notebook.id}`].filter(Boolean).join(" · ");

export const sectionLine = (section: NoteSection): string =>
  [
    section.displayName || "(untitled)",
    section.parentNotebook?.displayName ? `in ${section.parentNotebook.displayName}` : undefined,
    `id: ${section.id}`,
  ]
    .filter(Boolean)
    .join(" · ");

export const pageLine = (page: NotePage): string =>
  [
    page.title || "(untitled)",
    page.lastModifiedDateTime ? `modified ${page.lastModifiedDateTime.slice(0, 10)}` : undefined,
    `id: ${page.id}`,
  ]
    .filter(Boolean)
    .join(" · ");

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The XHTML OneNote's create-page call takes: the title in <title>, and the
 * plain-text body as one paragraph per line, every character escaped so text
 * can never become markup.
 */
export function pageXhtml(title: string, body: string): string {
  const paragraphs = body
    .split(/\r?\n/)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("");
  return `<!DOCTYPE html><html><head><title>${escapeHtml(title)}</title><meta name="created" content="${new Date().toISOString()}" /></head><body>${paragraphs}</body></html>`;
}
