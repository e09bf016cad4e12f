import type { EmulatedUser } from "../../state";
import { seededId, seededRandom } from "../random";
import { historyEnd } from "../day";
import { contentContext, FILES, FOLDERS, isText, mimeTypeOf } from "./content";

/**
 * A user's OneDrive as a flat map of driveItems linked by parent id, plus
 * the functions that walk it and present items in Graph's driveItem shape.
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

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DAY_MS = 86_400_000;
const QUOTA_TOTAL = 1_099_511_627_776;

/** OneDrive for Business item ids: "01" + 32 base32 characters. */
function itemId(seed: string): string {
  const random = seededRandom(`driveitem:${seed}`);
  return `01${Array.from({ length: 32 }, () => BASE32[Math.floor(random() * 32)]).join("")}`;
}

function driveIdFor(seed: string): string {
  const random = seededRandom(`drive:${seed}`);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return `b!${Array.from({ length: 64 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("")}`;
}

/** A drive whose items were created and modified before `historyEnd(seedDay)`; draws keyed by the owner's oid, ids by tenant and oid. */
export function seedDrive(tenantId: string, user: EmulatedUser, seedDay: number): DriveStore {
  const seed = `${tenantId}:${user.oid}`;
  const random = seededRandom(`files:${user.oid}`);
  const today = historyEnd(seedDay);
  const created = today - 400 * DAY_MS;
  const slug = (user.userPrincipalName.split("@")[1] ?? "tenant").split(".")[0]?.replace(/[^a-z0-9]/gi, "").toLowerCase() || "tenant";
  const store: DriveStore = {
    driveId: driveIdFor(seed),
    rootId: itemId(`${seed}:/`),
    owner: user,
    webBase: `https://${slug}-my.sharepoint.com/personal/${user.userPrincipalName.toLowerCase().replace(/[^a-z0-9]/g, "_")}`,
    createdDateTime: new Date(created).toISOString(),
    items: new Map(),
  };
  const add = (path: string, record: Omit<DriveItemRecord, "id" | "name" | "parentId" | "permissions" | "createdDateTime" | "lastModifiedDateTime">, age: number) => {
    const slash = path.lastIndexOf("/");
    const parentPath = slash < 0 ? "" : path.slice(0, slash);
    const at = today - Math.floor(age * DAY_MS) + Math.floor(random() * DAY_MS);
    const item: DriveItemRecord = {
      id: itemId(`${seed}:/${path}`),
      name: path.slice(slash + 1),
      parentId: itemId(`${seed}:/${parentPath}`),
      createdDateTime: new Date(at).toISOString(),
      lastModifiedDateTime: new Date(Math.min(today, at + Math.floor(random() * 20 * DAY_MS))).toISOString(),
      permissions: [],
      ...record,
    };
    store.items.set(item.id, item);
  };
  store.items.set(store.rootId, {
    id: store.rootId,
    name: "root",
    parentId: null,
    createdDateTime: store.createdDateTime,
    lastModifiedDateTime: store.createdDateTime,
    folder: true,
    permissions: [],
  });
  for (const path of FOLDERS) add(path, { folder: true }, 300 + random() * 60);
  for (const spec of FILES) {
    const name = spec.path.slice(spec.path.lastIndexOf("/") + 1);
    const body = spec.content?.(contentContext(`file:${user.oid}:${spec.path}`, user.displayName));
    add(spec.path, { folder: false, mimeType: mimeTypeOf(name), content: body, large: spec.large }, random() * 200);
  }
  return store;
}

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

/** Files and folders below `base` whose name, or text content, contains `term`. */
export function searchBelow(store: DriveStore, base: DriveItemRecord, term: string): DriveItemRecord[] {
  const needle = term.toLowerCase();
  const decoder = new TextDecoder();
  const below = (item: DriveItemRecord): boolean => {
    for (let at = item.parentId ? store.items.get(item.parentId) : undefined; at; at = at.parentId ? store.items.get(at.parentId) : undefined) {
      if (at.id === base.id) return true;
    }
    return false;
  };
  return [...store.items.values()].filter((item) => {
    if (!below(item)) return false;
    if (item.name.toLowerCase().includes(needle)) return true;
    return Boolean(item.content && item.mimeType && isText(item.mimeType) && decoder.decode(item.content).toLowerCase().includes(needle));
  });
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
      ? { driveType: "business", driveId: store.driveId, id: parent.id, name: parent.parentId ? parent.name : "Documents", path: `/drive/root:${pathOf(store, parent).map((name) => `/${name}`).join("")}` }
      : { driveType: "business", driveId: store.driveId },
    fileSystemInfo: { createdDateTime: item.createdDateTime, lastModifiedDateTime: item.lastModifiedDateTime },
  };
  if (item.folder) shape.folder = { childCount: childrenOf(store, item.id).length };
  else shape.file = { mimeType: item.mimeType ?? "application/octet-stream" };
  if (!item.parentId) shape.root = {};
  if (item.permissions.length > 0) shape.shared = { scope: item.permissions.some((p) => p.link.scope === "anonymous") ? "anonymous" : "organization" };
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
