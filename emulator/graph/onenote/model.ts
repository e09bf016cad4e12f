/**
 * @module
 * A user's OneNote as stored: notebooks, their sections, and pages whose
 * content is the HTML OneNote serves at `/pages/{id}/content`. Wire shapes
 * follow the notebook, onenoteSection and onenotePage resources.
 */
export interface NotebookRecord {
  id: string;
  displayName: string;
  isDefault: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface SectionRecord {
  id: string;
  notebookId: string;
  displayName: string;
  isDefault: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface PageRecord {
  id: string;
  sectionId: string;
  title: string;
  /** The inside of the page's <body>. */
  bodyHtml: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  order: number;
}

export interface OneNoteStore {
  notebooks: Map<string, NotebookRecord>;
  sections: Map<string, SectionRecord>;
  pages: Map<string, PageRecord>;
}

const API = "https://graph.microsoft.com/v1.0/me/onenote";

const links = (kind: string, id: string, name: string) => ({
  oneNoteClientUrl: { href: `onenote:https://contoso-my.sharepoint.com/personal/notes/${kind}/${encodeURIComponent(name)}` },
  oneNoteWebUrl: { href: `https://contoso-my.sharepoint.com/personal/notes/_layouts/OneNote.aspx?id=${encodeURIComponent(id)}` },
});

export function presentNotebook(notebook: NotebookRecord): Record<string, unknown> {
  return {
    id: notebook.id,
    self: `${API}/notebooks/${notebook.id}`,
    displayName: notebook.displayName,
    createdDateTime: notebook.createdDateTime,
    lastModifiedDateTime: notebook.lastModifiedDateTime,
    isDefault: notebook.isDefault,
    isShared: false,
    userRole: "Owner",
    sectionsUrl: `${API}/notebooks/${notebook.id}/sections`,
    sectionGroupsUrl: `${API}/notebooks/${notebook.id}/sectionGroups`,
    links: links("notebook", notebook.id, notebook.displayName),
  };
}

export function presentSection(section: SectionRecord, notebook: NotebookRecord | undefined): Record<string, unknown> {
  return {
    id: section.id,
    self: `${API}/sections/${section.id}`,
    displayName: section.displayName,
    isDefault: section.isDefault,
    createdDateTime: section.createdDateTime,
    lastModifiedDateTime: section.lastModifiedDateTime,
    pagesUrl: `${API}/sections/${section.id}/pages`,
    parentNotebook: notebook ? { id: notebook.id, displayName: notebook.displayName, self: `${API}/notebooks/${notebook.id}` } : null,
  };
}

export function presentPage(page: PageRecord): Record<string, unknown> {
  return {
    id: page.id,
    self: `${API}/pages/${page.id}`,
    title: page.title,
    createdDateTime: page.createdDateTime,
    lastModifiedDateTime: page.lastModifiedDateTime,
    contentUrl: `${API}/pages/${page.id}/content`,
    level: 0,
    order: page.order,
    createdByAppId: "",
    links: links("page", page.id, page.title),
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The page's HTML as OneNote returns it: a title, the created stamp, and the body's content in an absolutely positioned div. */
export function pageHtml(page: PageRecord): string {
  return [
    `<html lang="en-US">`,
    `<head><title>${escapeHtml(page.title)}</title><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><meta name="created" content="${page.createdDateTime}" /></head>`,
    `<body data-absolute-enabled="true" style="font-family:Calibri;font-size:11pt">`,
    `<div id="div:{${page.id.slice(0, 8)}}{1}" data-id="_default" style="position:absolute;left:48px;top:115px;width:624px">${page.bodyHtml}</div>`,
    `</body>`,
    `</html>`,
  ].join("\n");
}
