import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { seededRandom } from "../random";
import { contentContext, FILES, FOLDERS, mimeTypeOf } from "./content";
import type { DriveItemRecord, DriveStore } from "./model";
import { DAY_MS } from "../timezones";

/**
 * @module
 * A user's seeded OneDrive: invented folders and files (Office documents,
 * text, a large file read in ranges), the same for the same user every time.
 */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
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
  const slug =
    (user.userPrincipalName.split("@")[1] ?? "tenant")
      .split(".")[0]
      ?.replace(/[^a-z0-9]/gi, "")
      .toLowerCase() || "tenant";
  const store: DriveStore = {
    driveId: driveIdFor(seed),
    rootId: itemId(`${seed}:/`),
    owner: user,
    webBase: `https://${slug}-my.sharepoint.com/personal/${user.userPrincipalName.toLowerCase().replace(/[^a-z0-9]/g, "_")}`,
    createdDateTime: new Date(created).toISOString(),
    items: new Map(),
  };
  const add = (
    path: string,
    record: Omit<DriveItemRecord, "id" | "name" | "parentId" | "permissions" | "createdDateTime" | "lastModifiedDateTime">,
    age: number,
  ) => {
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
