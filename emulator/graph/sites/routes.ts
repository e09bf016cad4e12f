import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { GRAPH_ERRORS, graphError } from "../errors";
import { presentDrive } from "../files/model";
import { listResponse, selectFields } from "../odata";
import { presentList, presentListItem, presentSite, type ListRecord, type SiteRecord } from "./model";
import { SITES_READ, sitesOf } from "./store";

/**
 * @module
 * Graph v1.0 SharePoint sites: search (`/sites?search=`), followed sites, a
 * site by id, its document libraries (`/sites/{id}/drives`), its lists, and
 * a list's items with `expand=fields`. Every user of the tenant reaches every
 * seeded site; a site, list or item that does not exist is `itemNotFound`.
 */
const itemNotFound = () => graphError(404, "itemNotFound", "The requested site, list or item was not found.");

/** Graph's site id is three comma-separated parts; a bare GUID or host also names a site, which the emulator does not serve. */
function siteOf(c: Context<GraphEnv>): SiteRecord | undefined {
  return sitesOf(c).sites.find((site) => site.id.toLowerCase() === c.req.param("siteId")?.toLowerCase());
}

function listOf(site: SiteRecord, id: string | undefined): ListRecord | undefined {
  return site.lists.find((list) => list.id === id || list.name.toLowerCase() === id?.toLowerCase());
}

/** GET /sites?search=: delegated callers must search; enumerating every site needs application permissions. */
function searchSites(c: Context<GraphEnv>): Response {
  const search = c.req.query("search") ?? c.req.query("$search");
  if (search === undefined || search.trim() === "") {
    return GRAPH_ERRORS.invalidRequest("Listing all sites needs application permissions; pass search={query} to find sites.");
  }
  return listResponse(c, sitesOf(c).sites, {
    allow: ["$search", "$select", "$top"],
    paging: "skiptoken",
    searchText: (site) => `${site.displayName} ${site.name} ${site.description}`,
    present: presentSite,
    defaultTop: 200,
    maxTop: 1000,
  });
}

function followedSites(c: Context<GraphEnv>): Response {
  const store = sitesOf(c);
  const { user } = c.get("caller");
  if (!store.followed.has(user.oid))
    store.followed.set(
      user.oid,
      store.sites.slice(0, 2).map((site) => site.id),
    );
  const ids = store.followed.get(user.oid) ?? [];
  return listResponse(
    c,
    store.sites.filter((site) => ids.includes(site.id)),
    { allow: [], present: presentSite, defaultTop: 200 },
  );
}

function getSite(c: Context<GraphEnv>): Response {
  const site = siteOf(c);
  return site ? c.json(selectFields(presentSite(site), c.req.query("$select"))) : itemNotFound();
}

function siteDrives(c: Context<GraphEnv>): Response {
  const site = siteOf(c);
  if (!site) return itemNotFound();
  const drive = {
    ...presentDrive(site.library),
    name: "Documents",
    driveType: "documentLibrary",
    webUrl: `${site.webUrl}/Shared%20Documents`,
  };
  return listResponse(c, [drive], { allow: ["$select", "$top", "$orderby"], paging: "skiptoken", defaultTop: 200, maxTop: 1000 });
}

function siteLists(c: Context<GraphEnv>): Response {
  const site = siteOf(c);
  if (!site) return itemNotFound();
  return listResponse(c, site.lists, {
    allow: ["$select", "$top"],
    paging: "skiptoken",
    present: (list) => presentList(site, list),
    defaultTop: 200,
    maxTop: 1000,
  });
}

function listItems(c: Context<GraphEnv>): Response {
  const site = siteOf(c);
  const list = site ? listOf(site, c.req.param("listId")) : undefined;
  if (!site || !list) return itemNotFound();
  const expand = (c.req.query("$expand") ?? c.req.query("expand") ?? "").toLowerCase();
  return listResponse(c, list.items, {
    allow: ["$expand", "$select", "$top"],
    expand: ["fields"],
    paging: "skiptoken",
    present: (item) => presentListItem(site, list, item, /(^|,)\s*fields\b/.test(expand)),
    defaultTop: 200,
    maxTop: 999,
  });
}

export const sitesRoutes = new Hono<GraphEnv>()
  .get("/sites", scopes(...SITES_READ), searchSites)
  .get("/me/followedSites", scopes(...SITES_READ), followedSites)
  .get("/sites/:siteId", scopes(...SITES_READ), getSite)
  .get("/sites/:siteId/drives", scopes(...SITES_READ), siteDrives)
  .get("/sites/:siteId/lists", scopes(...SITES_READ), siteLists)
  .get("/sites/:siteId/lists/:listId/items", scopes(...SITES_READ), listItems);
