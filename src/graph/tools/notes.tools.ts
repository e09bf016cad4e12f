import type { GraphRequest } from "../client";
import type { RawContent } from "../download";
import { graphPath } from "../path";
import {
  type NotePage,
  NOTEBOOK_SELECT,
  notebookLine,
  PAGE_SELECT,
  pageLine,
  pageXhtml,
  SECTION_SELECT,
  sectionLine,
} from "../format/notes";
import { htmlToText, windowedText } from "../format/text";
import { cursorField, idField, integerField, listPage, offsetField, textField } from "./common";
import { CREATE, defineTool, expectOk, READ } from "./types";

/**
 * @module OneNote (/me/onenote): notebooks, sections, pages, a page as text
 * read in windows, and a new page in a section. OneNote serves a page as HTML
 * and takes a new one as XHTML, never JSON.
 */

const NOTES_READ = ["Notes.Read", "Notes.ReadWrite"];
// Notes.Create is the least privileged permission that adds pages; Notes.ReadWrite covers it too.
const NOTES_CREATE = ["Notes.Create", "Notes.ReadWrite"];

/** A page's HTML is read whole up to this size before it becomes text; larger pages are cut here. */
const MAX_PAGE_BYTES = 2_000_000;

const sectionId = idField("section");

export const notesTools = [
  defineTool({
    name: "list_notebooks",
    group: "notes",
    description: "List your OneNote notebooks.",
    input: { cursor: cursorField },
    scopes: NOTES_READ,
    annotations: READ,
    audit: { options: ["cursor"] },
    async run(ctx, { cursor }) {
      const first: GraphRequest = { method: "GET", path: "/me/onenote/notebooks", query: { $select: NOTEBOOK_SELECT } };
      return listPage(ctx, first, { cursor, what: "list your notebooks", empty: "No notebooks.", line: notebookLine });
    },
  }),
  defineTool({
    name: "list_sections",
    group: "notes",
    description: "List OneNote sections, all or a notebook's.",
    input: { notebookId: idField("notebook").optional(), cursor: cursorField },
    scopes: NOTES_READ,
    annotations: READ,
    audit: { targets: ["notebookId"], options: ["cursor"] },
    async run(ctx, { notebookId, cursor }) {
      const path = notebookId ? graphPath`/me/onenote/notebooks/${notebookId}/sections` : "/me/onenote/sections";
      const first: GraphRequest = { method: "GET", path, query: { $select: SECTION_SELECT } };
      return listPage(ctx, first, { cursor, what: "list the sections", empty: "No sections.", line: sectionLine });
    },
  }),
  defineTool({
    name: "list_pages",
    group: "notes",
    description: "List OneNote pages, newest first, all or a section's.",
    input: { sectionId: sectionId.optional(), cursor: cursorField },
    scopes: NOTES_READ,
    annotations: READ,
    audit: { targets: ["sectionId"], options: ["cursor"] },
    async run(ctx, input) {
      const path = input.sectionId ? graphPath`/me/onenote/sections/${input.sectionId}/pages` : "/me/onenote/pages";
      const query = { $select: PAGE_SELECT, $orderby: "lastModifiedDateTime desc", $top: "20" };
      return listPage<NotePage>(
        ctx,
        { method: "GET", path, query },
        { cursor: input.cursor, what: "list the pages", empty: "No pages.", line: pageLine },
      );
    },
  }),
  defineTool({
    name: "read_page",
    group: "notes",
    description: "Read a OneNote page as text.",
    input: { pageId: idField("page"), offset: offsetField, maxChars: integerField(200, 20_000).default(4000) },
    scopes: NOTES_READ,
    annotations: READ,
    audit: { targets: ["pageId"] },
    async run(ctx, { pageId, offset, maxChars }) {
      const response = await ctx.graph({
        method: "GET",
        path: graphPath`/me/onenote/pages/${pageId}/content`,
        download: { offset: 0, length: MAX_PAGE_BYTES },
      });
      const content = expectOk<RawContent>(response, "read the page");
      const text = htmlToText(new TextDecoder().decode(content.bytes));
      const cut =
        response.ok && response.truncated ? `\n[The page is longer than ${MAX_PAGE_BYTES / 1_000_000} MB; only its start was read.]` : "";
      return windowedText(text, offset, maxChars, ctx.tool, `pageId "${pageId}", `) + cut;
    },
  }),
  defineTool({
    name: "create_page",
    group: "notes",
    description: "Add a page to a OneNote section; the body is plain text.",
    input: { sectionId, title: textField(255, { expected: "a title" }), body: textField(100_000, { verbatim: true }) },
    scopes: NOTES_CREATE,
    annotations: CREATE,
    audit: { targets: ["sectionId"], text: ["title", "body"], creates: true },
    async run(ctx, { sectionId: section, title, body }) {
      const response = await ctx.graph({
        method: "POST",
        path: graphPath`/me/onenote/sections/${section}/pages`,
        rawBody: { contentType: "application/xhtml+xml", text: pageXhtml(title, body) },
      });
      return `Created page: ${pageLine(expectOk<NotePage>(response, "create the page"))}`;
    },
  }),
];
