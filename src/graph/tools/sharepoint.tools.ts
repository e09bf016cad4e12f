import type { GraphRequest } from "../client";
import {
  type Drive,
  type List,
  type ListItem,
  libraryLine,
  listItemLine,
  listLine,
  type Site,
  SITE_SELECT,
  siteLine,
} from "../format/sharepoint";
import { graphPath } from "../path";
import { cursorField, idField, limitField, listPage, type Page, textField } from "./common";
import { defineTool, expectOk, READ } from "./types";

/**
 * @module SharePoint: find sites, see a site's document libraries and lists,
 * and read a list's items with their fields. A library's files are read with
 * the file tools, given its drive id. Read-only, on Sites.Read.All.
 */

const SITES_READ = ["Sites.Read.All", "Sites.ReadWrite.All"];
const siteId = idField("site");

export const sharepointTools = [
  defineTool({
    name: "find_sites",
    group: "sharepoint",
    description: "Find SharePoint sites by name; without query, the sites you follow.",
    input: { query: textField(255).optional(), limit: limitField(50), cursor: cursorField },
    scopes: SITES_READ,
    annotations: READ,
    audit: { text: ["query"], options: ["cursor"] },
    async run(ctx, input) {
      const query = input.query?.trim();
      // Followed sites take no query options; a search takes its words, $select and $top.
      const first: GraphRequest = query
        ? { method: "GET", path: "/sites", query: { search: query, $select: SITE_SELECT, $top: String(input.limit) } }
        : { method: "GET", path: "/me/followedSites" };
      return listPage<Site>(ctx, first, {
        cursor: input.cursor,
        what: query ? "search sites" : "list the sites you follow",
        empty: query ? `No sites match "${query}".` : "You follow no sites; pass a query to find some.",
        line: siteLine,
      });
    },
  }),
  defineTool({
    name: "list_site_contents",
    group: "sharepoint",
    description: "A SharePoint site's document libraries (driveId for the file tools) and lists (listId for list_items).",
    input: { siteId },
    scopes: SITES_READ,
    annotations: READ,
    audit: { targets: ["siteId"] },
    async run(ctx, input) {
      const base = graphPath`/sites/${input.siteId}`;
      // One after the other: a refused first call spends no second one against a throttled or forbidden site.
      const drives = await ctx.graph({ method: "GET", path: `${base}/drives`, query: { $select: "id,name" } });
      const libraries = expectOk<Page<Drive>>(drives, "list the site's libraries");
      const lists = await ctx.graph({ method: "GET", path: `${base}/lists`, query: { $select: "id,displayName,list" } });
      // Libraries are lists too; they are shown once, as drives.
      const plain = (expectOk<Page<List>>(lists, "list the site's lists").value ?? []).filter(
        (list) => list.list?.template !== "documentLibrary" && !list.list?.hidden,
      );
      const more = libraries["@odata.nextLink"] ? "\nMore libraries exist than shown." : "";
      return (
        ["Libraries:", ...(libraries.value ?? []).map(libraryLine), "Lists:", ...(plain.length ? plain.map(listLine) : ["(none)"])].join(
          "\n",
        ) + more
      );
    },
  }),
  defineTool({
    name: "list_items",
    group: "sharepoint",
    description: "Items of a SharePoint list with their fields.",
    input: { siteId, listId: idField("list"), limit: limitField(100), cursor: cursorField },
    scopes: SITES_READ,
    annotations: READ,
    audit: { targets: ["siteId", "listId"], options: ["cursor"] },
    async run(ctx, input) {
      const path = graphPath`/sites/${input.siteId}/lists/${input.listId}/items`;
      const first: GraphRequest = { method: "GET", path, query: { $expand: "fields", $top: String(input.limit) } };
      return listPage<ListItem>(ctx, first, {
        cursor: input.cursor,
        what: "list the items",
        empty: "The list has no items.",
        line: listItemLine,
      });
    },
  }),
];
