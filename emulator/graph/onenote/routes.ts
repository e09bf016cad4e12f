import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { graphError } from "../errors";
import { listResponse, type QueryOption } from "../odata";
import { seededRandom } from "../random";
import { type OneNoteStore, type PageRecord, pageHtml, presentNotebook, presentPage, presentSection } from "./model";
import { seedOneNote } from "./seed";

/**
 * @module
 * Graph v1.0 OneNote, per user: notebooks, sections (all, or a notebook's),
 * pages (all, or a section's) newest first, a page's HTML content, and
 * creating a page in a section from an HTML/XHTML body (not JSON, as
 * OneNote requires). Errors use OneNote's numeric codes.
 */
const READ = ["Notes.Read", "Notes.ReadWrite", "Notes.Read.All", "Notes.ReadWrite.All"];
const CREATE = ["Notes.Create", "Notes.ReadWrite", "Notes.ReadWrite.All"];

/** The list pages document the usual OData options; pages come 20 at a time by default, at most 100. */
const OPTIONS: readonly QueryOption[] = ["$filter", "$orderby", "$top", "$skip", "$select", "$count", "$expand"];
const LIST = { allow: OPTIONS, expand: ["parentNotebook", "parentSection"], maxTop: 100 };

const notFound = () => graphError(404, "20102", "The requested resource does not exist.");

function notesOf(c: Context<GraphEnv>): OneNoteStore {
  const { tenant, user } = c.get("caller");
  return c.get("graph").forUser("onenote", tenant.tenantId, user, (owner, day) => seedOneNote(tenant.tenantId, owner, day));
}

function sectionsIn(store: OneNoteStore, notebookId?: string) {
  return [...store.sections.values()]
    .filter((section) => notebookId === undefined || section.notebookId === notebookId)
    .map((section) => presentSection(section, store.notebooks.get(section.notebookId)));
}

function pagesIn(store: OneNoteStore, sectionId?: string) {
  return [...store.pages.values()].filter((page) => sectionId === undefined || page.sectionId === sectionId);
}

const decodeEntities = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** The title and body of an HTML page as OneNote's create-page input documents it; undefined when it is not an HTML document. */
function readPageInput(html: string): { title: string; body: string } | undefined {
  if (!/<html[\s>]/i.test(html) || !/<\/html>\s*$/i.test(html.trim())) return undefined;
  const title = /<title>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "";
  const body = /<body[^>]*>([\s\S]*?)<\/body>/i.exec(html)?.[1] ?? "";
  return { title: decodeEntities(title.trim()), body: body.trim() };
}

export const onenoteRoutes = new Hono<GraphEnv>()
  .get("/me/onenote/notebooks", scopes(...READ), (c) =>
    listResponse(c, [...notesOf(c).notebooks.values()].map(presentNotebook), {
      ...LIST,
      defaultOrderBy: "lastModifiedDateTime desc",
      defaultTop: 20,
    }),
  )
  .get("/me/onenote/sections", scopes(...READ), (c) => listResponse(c, sectionsIn(notesOf(c)), { ...LIST, defaultTop: 20 }))
  .get("/me/onenote/notebooks/:notebookId/sections", scopes(...READ), (c) => {
    const store = notesOf(c);
    const notebookId = c.req.param("notebookId");
    if (!store.notebooks.has(notebookId)) return notFound();
    return listResponse(c, sectionsIn(store, notebookId), { ...LIST, defaultTop: 20 });
  })
  .get("/me/onenote/pages", scopes(...READ), (c) =>
    listResponse(c, pagesIn(notesOf(c)).map(presentPage), { ...LIST, defaultOrderBy: "lastModifiedDateTime desc", defaultTop: 20 }),
  )
  .get("/me/onenote/sections/:sectionId/pages", scopes(...READ), (c) => {
    const store = notesOf(c);
    const sectionId = c.req.param("sectionId");
    if (!store.sections.has(sectionId)) return notFound();
    return listResponse(c, pagesIn(store, sectionId).map(presentPage), {
      ...LIST,
      defaultOrderBy: "lastModifiedDateTime desc",
      defaultTop: 20,
    });
  })
  .get("/me/onenote/pages/:pageId", scopes(...READ), (c) => {
    const page = notesOf(c).pages.get(c.req.param("pageId"));
    return page ? c.json(presentPage(page)) : notFound();
  })
  .get("/me/onenote/pages/:pageId/content", scopes(...READ), (c) => {
    const page = notesOf(c).pages.get(c.req.param("pageId"));
    return page ? c.body(pageHtml(page), 200, { "content-type": "text/html; charset=utf-8" }) : notFound();
  })
  .post("/me/onenote/sections/:sectionId/pages", scopes(...CREATE), async (c) => {
    const store = notesOf(c);
    const section = store.sections.get(c.req.param("sectionId"));
    if (!section) return notFound();
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "text/html" && type !== "application/xhtml+xml") {
      return graphError(415, "20147", "The Content-Type of the request must be text/html, application/xhtml+xml or multipart/form-data.");
    }
    const input = readPageInput(await c.req.text());
    if (!input) return graphError(400, "20109", "The page's HTML is not valid: it must be an html document with a head and a body.");
    const now = new Date().toISOString();
    const random = seededRandom(`page:${section.id}:${crypto.randomUUID()}`);
    const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
    const page: PageRecord = {
      id: `1-${hex(32)}!${hex(2)}-${hex(16).toUpperCase()}!${hex(3)}`,
      sectionId: section.id,
      title: input.title,
      bodyHtml: input.body,
      createdDateTime: now,
      lastModifiedDateTime: now,
      order: pagesIn(store, section.id).length,
    };
    store.pages.set(page.id, page);
    return c.json(presentPage(page), 201);
  });
