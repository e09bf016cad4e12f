import type { EmulatedUser } from "../../state";
import { seededId } from "../random";

/**
 * @module
 * A user's OneDrive as stored: a flat map of driveItems linked by parent id,
 * plus the functions that walk it and present items in Graph's driveItem
 * shape.
 */
export interface PermissionRecord {
  id: string;
  roles: string[];
  shareId: string;
  hasPassword: boolean;
  link: { scope: string; type: string; webUrl: string; preventsDownload: boolean };
}

export interface DriveItemRecord {
  id: string;
  name: string;
  parentId: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  folder: boolean;
  mimeType?: string;
  content?: Uint8Array;
  large?: { size: number; read: (start: number, endExclusive: number) => Uint8Array };
  permissions: PermissionRecord[];
}

export interface DriveStore {
  driveId: string;
  rootId: string;
  owner: EmulatedUser;
  /** https://<tenant>-my.sharepoint.com/personal/<upn> */
  webBase: string;
  createdDateTime: string;
  items: Map<string, DriveItemRecord>;
}

const QUOTA_TOTAL = 1_099_511_627_776;

export function childrenOf(store: DriveStore, id: string): DriveItemRecord[] {
  return [...store.items.values()].filter((item) => item.parentId === id);
}

export function sizeOf(store: DriveStore, item: DriveItemRecord): number {
  if (!item.folder) return item.large?.size ?? item.content?.length ?? 0;
  return childrenOf(store, item.id).reduce((total, child) => total + sizeOf(store, child), 0);
}

/** Names from the root down to `item` (empty for the root). */
export function pathOf(store: DriveStore, item: DriveItemRecord): string[] {
  const names: string[] = [];
  for (let at: DriveItemRecord | undefined = item; at?.parentId; at = store.items.get(at.parentId)) names.unshift(at.name);
  return names;
}

/** Resolves already-decoded path segments below `base`; names match case-insensitively, as OneDrive does. */
export function findByPath(store: DriveStore, base: DriveItemRecord, segments: readonly string[]): DriveItemRecord | undefined {
  let at: DriveItemRecord | undefined = base;
  for (const segment of segments) {
    if (!at?.folder) return undefined;
    const parentId: string = at.id;
    at = childrenOf(store, parentId).find((child) => child.name.toLowerCase() === segment.toLowerCase());
  }
  return at;
}

export function readBytes(item: DriveItemRecord, start: number, endExclusive: number): Uint8Array<ArrayBuffer> {
  if (item.large) return new Uint8Array(item.large.read(start, endExclusive));
  return new Uint8Array(item.content?.slice(start, endExclusive) ?? []);
}

function identity(user: EmulatedUser) {
  return { user: { email: user.mail, id: user.oid, displayName: user.displayName } };
}

export function itemWebUrl(store: DriveStore, item: DriveItemRecord): string {
  const path = pathOf(store, item);
  if (/\.(docx|xlsx|pptx)$/i.test(item.name)) {
    return `${store.webBase}/_layouts/15/Doc.aspx?sourcedoc=%7B${seededId(item.id).toUpperCase()}%7D&file=${encodeURIComponent(item.name)}&action=default&mobileredirect=true`;
  }
  return `${store.webBase}/Documents${path.map((name) => `/${encodeURIComponent(name)}`).join("")}`;
}

/** Graph's driveItem shape. */
export function presentItem(store: DriveStore, item: DriveItemRecord): Record<string, unknown> {
  const parent = item.parentId ? store.items.get(item.parentId) : undefined;
  const tag = seededId(`${item.id}:${item.lastModifiedDateTime}`).toUpperCase();
  const shape: Record<string, unknown> = {
    id: item.id,
    name: item.name,
    eTag: `"{${tag}},1"`,
    cTag: `"c:{${tag}},1"`,
    size: sizeOf(store, item),
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    webUrl: itemWebUrl(store, item),
    createdBy: identity(store.owner),
    lastModifiedBy: identity(store.owner),
    parentReference: parent
      ? {
          driveType: "business",
          driveId: store.driveId,
          id: parent.id,
          name: parent.parentId ? parent.name : "Documents",
          path: `/drive/root:${pathOf(store, parent)
            .map((name) => `/${name}`)
            .join("")}`,
        }
      : { driveType: "business", driveId: store.driveId },
    fileSystemInfo: { createdDateTime: item.createdDateTime, lastModifiedDateTime: item.lastModifiedDateTime },
  };
  if (item.folder) shape.folder = { childCount: childrenOf(store, item.id).length };
  else shape.file = { mimeType: item.mimeType ?? "application/octet-stream" };
  if (!item.parentId) shape.root = {};
  if (item.permissions.length > 0)
    shape.shared = { scope: item.permissions.some((p) => p.link.scope === "anonymous") ? "anonymous" : "organization" };
  return shape;
}

export function presentDrive(store: DriveStore): Record<string, unknown> {
  const root = store.items.get(store.rootId);
  const used = root ? sizeOf(store, root) : 0;
  return {
    id: store.driveId,
    driveType: "business",
    name: "OneDrive",
    description: "",
    createdDateTime: store.createdDateTime,
    lastModifiedDateTime: root?.lastModifiedDateTime ?? store.createdDateTime,
    webUrl: `${store.webBase}/Documents`,
    createdBy: { user: { displayName: "System Account" } },
    owner: identity(store.owner),
    quota: { deleted: 0, remaining: QUOTA_TOTAL - used, state: "normal", total: QUOTA_TOTAL, used },
  };
}
