import type { DriveStore } from "../files/model";

/**
 * @module
 * SharePoint as stored per tenant: sites, each with its document library (a
 * drive served by the OneDrive routes) and its lists of items, and the
 * functions that present them in Graph's site, list and listItem shapes.
 */
export interface ListItemRecord {
  /** The item's id within its list: a whole number, as SharePoint numbers items. */
  id: string;
  /** The item's GUID, which Microsoft Search answers as the hit's id. */
  uniqueId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  author: string;
  /** The list's own columns (Title first), without SharePoint's system fields. */
  fields: Record<string, string | number | boolean>;
}

export interface ListRecord {
  id: string;
  name: string;
  displayName: string;
  description: string;
  template: "genericList" | "documentLibrary";
  createdDateTime: string;
  lastModifiedDateTime: string;
  items: ListItemRecord[];
}

export interface SiteRecord {
  /** `{hostname},{site collection id},{web id}`, as Graph names a site. */
  id: string;
  name: string;
  displayName: string;
  description: string;
  webUrl: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** The site's "Documents" library; its list is among `lists`. */
  library: DriveStore;
  lists: ListRecord[];
}

export interface SitesStore {
  hostname: string;
  sites: SiteRecord[];
  /** Users (oid) → ids of the sites they follow; seeded with the first two sites. */
  followed: Map<string, string[]>;
}

/** The site collection and web ids inside a site id. */
export const siteIds = (site: SiteRecord) => {
  const [, collection = "", web = ""] = site.id.split(",");
  return { collection, web };
};

export function presentSite(site: SiteRecord): Record<string, unknown> {
  const { collection, web } = siteIds(site);
  return {
    id: site.id,
    createdDateTime: site.createdDateTime,
    lastModifiedDateTime: site.lastModifiedDateTime,
    name: site.name,
    displayName: site.displayName,
    description: site.description,
    webUrl: site.webUrl,
    root: {},
    siteCollection: { hostname: site.id.split(",")[0] ?? "" },
    sharepointIds: { siteId: collection, webId: web, siteUrl: site.webUrl },
  };
}

const system = { user: { displayName: "System Account" } };

export function presentList(site: SiteRecord, list: ListRecord): Record<string, unknown> {
  return {
    "@odata.etag": `"${list.id},1"`,
    id: list.id,
    name: list.name,
    displayName: list.displayName,
    description: list.description,
    createdDateTime: list.createdDateTime,
    lastModifiedDateTime: list.lastModifiedDateTime,
    webUrl: list.template === "documentLibrary" ? `${site.webUrl}/Shared%20Documents` : `${site.webUrl}/Lists/${list.name}`,
    createdBy: system,
    parentReference: { siteId: site.id },
    list: { contentTypesEnabled: false, hidden: false, template: list.template },
  };
}

/** SharePoint's system columns, which `expand=fields` returns beside the list's own. */
function systemFields(item: ListItemRecord): Record<string, unknown> {
  return {
    ContentType: "Item",
    Modified: item.lastModifiedDateTime,
    Created: item.createdDateTime,
    AuthorLookupId: "11",
    EditorLookupId: "11",
    _UIVersionString: "1.0",
    Attachments: false,
    Edit: "",
    LinkTitleNoMenu: item.fields.Title ?? "",
    LinkTitle: item.fields.Title ?? "",
    ItemChildCount: "0",
    FolderChildCount: "0",
    _ComplianceFlags: "",
    _ComplianceTag: "",
    _ComplianceTagWrittenTime: "",
    _ComplianceTagUserId: "",
    AppAuthorLookupId: "",
  };
}

export function listItemUrl(site: SiteRecord, list: ListRecord, item: ListItemRecord): string {
  return `${site.webUrl}/Lists/${list.name}/DispForm.aspx?ID=${item.id}`;
}

export function presentListItem(site: SiteRecord, list: ListRecord, item: ListItemRecord, withFields: boolean): Record<string, unknown> {
  const presented: Record<string, unknown> = {
    "@odata.etag": `"${item.uniqueId},1"`,
    id: item.id,
    eTag: `"${item.uniqueId},1"`,
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    webUrl: listItemUrl(site, list, item),
    createdBy: { user: { displayName: item.author } },
    lastModifiedBy: { user: { displayName: item.author } },
    parentReference: { id: list.id, siteId: site.id },
    contentType: { id: "0x0100A1B2C3D4E5F60718293A4B5C6D7E8F90", name: "Item" },
  };
  if (withFields) {
    presented["fields@odata.context"] = `${site.webUrl}/_api/v2.0/$metadata#listItems('${item.id}')/fields/$entity`;
    presented.fields = { "@odata.etag": `"${item.uniqueId},1"`, id: item.id, ...item.fields, ...systemFields(item) };
  }
  return presented;
}
