import type { Context } from "hono";
import type { GraphEnv } from "../../context";
import { missingScope } from "../auth";
import type { EmulatedTenant } from "../../state";
import type { DriveStore } from "../files/model";
import type { GraphStore } from "../store";
import type { SitesStore } from "./model";
import { seedSites } from "./seed";

/**
 * @module
 * Where a request finds its tenant's SharePoint: the sites store (seeded on
 * first use, on the tenant's `<name>.sharepoint.com` host), and a site's
 * document library by drive id, for the OneDrive routes that serve
 * `/drives/{id}` beside the user's own drive.
 */

/** Delegated permissions that read any site the user can reach. */
export const SITES_READ = ["Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"];
/** Reading a library's files: the Sites permissions, or Files.*.All (Files.Read reaches only the user's own drive). */
const LIBRARY_READ = ["Files.Read.All", "Files.ReadWrite.All", ...SITES_READ];
/** Delegated permissions that change items in any site the user can reach. */
export const SITES_WRITE = ["Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"];
const LIBRARY_WRITE = ["Files.ReadWrite.All", ...SITES_WRITE];

/** A tenant's sites, on a host named after its users' domain (the first user's, so every caller agrees). */
export function sitesFor(graph: GraphStore, tenant: EmulatedTenant): SitesStore {
  const first = tenant.users.values().next().value;
  const domain = first?.userPrincipalName.split("@")[1] ?? "tenant";
  const name =
    domain
      .split(".")[0]
      ?.replace(/[^a-z0-9]/gi, "")
      .toLowerCase() || "tenant";
  return graph.forTenant("sites", tenant.tenantId, (day) => seedSites(tenant.tenantId, `${name}.sharepoint.com`, day));
}

export const sitesOf = (c: Context<GraphEnv>): SitesStore => sitesFor(c.get("graph"), c.get("caller").tenant);

/** A library by the id of its owner (the site's system account), for pre-authenticated downloads, which carry no token. */
export function libraryOwnedBy(graph: GraphStore, tenant: EmulatedTenant, oid: string): DriveStore | undefined {
  return sitesFor(graph, tenant).sites.find((site) => site.library.owner.oid === oid)?.library;
}

/** The site library with this drive id, a 403 when the token cannot reach libraries, or undefined when there is none. */
export function libraryDrive(c: Context<GraphEnv>, driveId: string): DriveStore | Response | undefined {
  const library = sitesOf(c).sites.find((site) => site.library.driveId === driveId)?.library;
  if (!library) return undefined;
  return missingScope(c, c.req.method === "GET" ? LIBRARY_READ : LIBRARY_WRITE) ?? library;
}
