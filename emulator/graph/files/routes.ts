import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import type { EmulatedUser } from "../../state";
import { missingScope, scopes } from "../auth";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import type { GraphStore } from "../store";
import { LinkInput } from "./input";
import { childrenOf, type DriveItemRecord, type DriveStore, findByPath, type PermissionRecord, presentDrive, presentItem } from "./model";
import { libraryDrive, SITES_READ, SITES_WRITE } from "../sites/store";
import { mimeTypeOf } from "./content";
import { searchBelow } from "./search";
import { seedDrive } from "./seed";

/**
 * @module
 * Graph v1.0 OneDrive: /me/drive (and /drives/{own drive id}, or a site library's id), items by id
 * or by path (`root:/a/b:`), children, content (a 302 to a download URL), search(q='…')
 * and createLink. One dispatcher parses the address, since Graph's
 * `root:/path:/action` and `search(q='…')` forms are not plain route segments.
 */
const READ = ["Files.Read", "Files.Read.All", "Files.ReadWrite", "Files.ReadWrite.All"];
const WRITE = ["Files.ReadWrite", "Files.ReadWrite.All"];

const itemNotFound = () => graphError(404, "itemNotFound", "The resource could not be found.");
const invalidRequest = (message: string) => graphError(400, "invalidRequest", message);

type Address = { kind: "drive" } | { kind: "item"; base: string; path: string[] | null; action: string | null };

class BadAddress extends Error {}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadAddress(`Invalid percent-encoding in '${segment}'`);
  }
}

/** Parses what follows `/me/drive`: "", "/root", "/items/{id}", "/root:/a/b:", "…:/children", "/root/search(q='x')". */
export function parseAddress(rest: string): Address | undefined {
  if (rest === "" || rest === "/") return { kind: "drive" };
  if (rest.startsWith("/search(")) return { kind: "item", base: "root", path: null, action: decode(rest.slice(1)) };
  const match = /^\/root(.*)$/.exec(rest) ?? /^\/items\/([^/:]+)(.*)$/.exec(rest);
  if (!match) return undefined;
  const base = match.length === 3 ? decode(match[1] ?? "") : "root";
  let tail = (match.length === 3 ? match[2] : match[1]) ?? "";
  let path: string[] | null = null;
  if (tail.startsWith(":")) {
    const close = tail.indexOf(":", 1);
    path = (close < 0 ? tail.slice(1) : tail.slice(1, close)).split("/").filter(Boolean).map(decode);
    tail = close < 0 ? "" : tail.slice(close + 1);
  }
  if (tail === "" || tail === "/") return { kind: "item", base, path, action: null };
  return tail.startsWith("/") ? { kind: "item", base, path, action: decode(tail.slice(1)) } : undefined;
}

/** `search(q='it''s')` → "it's". */
export function searchTerm(action: string): string | undefined {
  const match = /^search\(q='((?:[^']|'')*)'\)$/.exec(action);
  return match ? (match[1] ?? "").replace(/''/g, "'") : undefined;
}

/** A user's drive, seeded on first use. */
export function driveFor(graph: GraphStore, tenantId: string, user: EmulatedUser): DriveStore {
  return graph.forUser("files", tenantId, user, (owner, day) => seedDrive(tenantId, owner, day));
}

function driveOf(c: Context<GraphEnv>): DriveStore {
  const { tenant, user } = c.get("caller");
  return driveFor(c.get("graph"), tenant.tenantId, user);
}

/** Resolves the request's drive address to the drive or an item of the caller's own drive. */
function resolve(c: Context<GraphEnv>): { drive: DriveStore; item?: DriveItemRecord; action: string | null } | Response {
  const own = driveOf(c);
  const pathname = new URL(c.req.url).pathname;
  const match = /^\/v1\.0\/(?:me\/drive|drives\/([^/]+))(.*)$/.exec(pathname);
  if (!match) return itemNotFound();
  try {
    // Another drive id may name a SharePoint site's document library.
    const isOwn = match[1] === undefined || decode(match[1]) === own.driveId;
    // `/drives/{id}` also admits the Sites permissions (for libraries); the user's own drive still needs a Files permission.
    const refused = isOwn ? missingScope(c, c.req.method === "GET" ? READ : WRITE) : undefined;
    if (refused) return refused;
    const drive = isOwn ? own : libraryDrive(c, decode(match[1] ?? ""));
    if (drive === undefined) return itemNotFound();
    if (drive instanceof Response) return drive;
    const address = parseAddress(match[2] ?? "");
    if (!address) return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${match[2] ?? ""}'.`);
    if (address.kind === "drive") return { drive, action: null };
    const base = drive.items.get(address.base === "root" ? drive.rootId : address.base);
    const item = base && address.path ? findByPath(drive, base, address.path) : base;
    return item ? { drive, item, action: address.action } : itemNotFound();
  } catch (error) {
    if (error instanceof BadAddress) return invalidRequest(error.message);
    throw error;
  }
}

/**
 * Graph does not serve the bytes itself: it answers 302 to a short-lived
 * pre-authenticated download URL. Range belongs on that URL, not on
 * `/content`, so a Range sent here is refused (Microsoft only says where it
 * must go; refusing it keeps clients honest).
 */
async function content(c: Context<GraphEnv>, drive: DriveStore, item: DriveItemRecord): Promise<Response> {
  if (item.folder) return invalidRequest("The item is a folder; only files have content.");
  if (c.req.header("range") !== undefined) {
    return invalidRequest("Send the Range header to the download URL this request redirects to, not to /content.");
  }
  const { tenant } = c.get("caller");
  const location = await c.get("downloads").mint(new URL(c.req.url).origin, { tid: tenant.tenantId, oid: drive.owner.oid, item: item.id });
  return c.body(null, 302, { location });
}

function itemList(c: Context<GraphEnv>, drive: DriveStore, items: DriveItemRecord[], defaultOrderBy?: string): Response {
  return listResponse(c, items, {
    ...QUERY_RULES.driveItems,
    present: (item) => presentItem(drive, item),
    defaultOrderBy,
    defaultTop: 200,
    maxTop: 1000,
  });
}

async function getDrive(c: Context<GraphEnv>): Promise<Response> {
  const target = resolve(c);
  if (target instanceof Response) return target;
  const { drive, item, action } = target;
  const select = c.req.query("$select");
  if (!item) return c.json(selectFields(presentDrive(drive), select));
  if (action === null) return c.json(selectFields(presentItem(drive, item), select));
  if (action === "children") return itemList(c, drive, item.folder ? childrenOf(drive, item.id) : [], "name");
  if (action === "content") return await content(c, drive, item);
  const term = searchTerm(action);
  if (term !== undefined) return itemList(c, drive, item.folder ? searchBelow(drive, item, term) : []);
  if (action.startsWith("search(")) return invalidRequest("Invalid search syntax; expected search(q='text').");
  return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${action}'.`);
}

function randomToken(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => alphabet[byte % 64]).join("");
}

function linkKind(item: DriveItemRecord): string {
  if (item.folder) return "f";
  const extension = item.name.split(".").pop()?.toLowerCase();
  return extension === "docx" ? "w" : extension === "xlsx" ? "x" : extension === "pptx" ? "p" : extension === "pdf" ? "b" : "u";
}

async function createLink(c: Context<GraphEnv>): Promise<Response> {
  const target = resolve(c);
  if (target instanceof Response) return target;
  const { drive, item, action } = target;
  if (!item || action !== "createLink") return GRAPH_ERRORS.badRequest(`Resource not found for the segment '${action ?? ""}'.`);
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return GRAPH_ERRORS.badRequest(
      "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    );
  }
  const parsed = LinkInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalidRequest(`Invalid request body: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  const input = parsed.data;
  const existing = item.permissions.find((p) => p.link.type === input.type && p.link.scope === input.scope);
  if (existing) return c.json(existing, 200);
  const webUrl = `${drive.webBase.replace("/personal/", `/:${linkKind(item)}:/g/personal/`)}/${randomToken(46)}`;
  const permission: PermissionRecord & { expirationDateTime?: string } = {
    id: crypto.randomUUID(),
    roles: [input.type === "edit" ? "write" : "read"],
    shareId: `u!${btoa(webUrl).replace(/=+$/, "").replace(/\//g, "_").replace(/\+/g, "-")}`,
    hasPassword: input.password !== undefined,
    link: { scope: input.scope, type: input.type, webUrl, preventsDownload: false },
    ...(input.expirationDateTime ? { expirationDateTime: new Date(input.expirationDateTime).toISOString() } : {}),
  };
  item.permissions.push(permission);
  return c.json(permission, 201);
}

const MAX_SIMPLE_UPLOAD = 250 * 1024 * 1024;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const newItemId = () => `01${Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => BASE32[byte % 32]).join("")}`;

/**
 * `PUT …/items/{parent-id}:/{filename}:/content` (or `root:/{path}:/content`):
 * the simple upload. Creates the file (201) or replaces an existing file's
 * content (200, the default conflict behaviour); a folder of that name
 * answers 409; more than 250 MB answers 413.
 */
async function upload(c: Context<GraphEnv>): Promise<Response> {
  const drive = driveOf(c);
  const match = /^\/v1\.0\/(?:me\/drive|drives\/([^/]+))(.*)$/.exec(new URL(c.req.url).pathname);
  let address: Address | undefined;
  try {
    if (match?.[1] !== undefined && decode(match[1]) !== drive.driveId) return itemNotFound();
    address = parseAddress(match?.[2] ?? "");
  } catch (error) {
    if (error instanceof BadAddress) return invalidRequest(error.message);
    throw error;
  }
  if (address?.kind !== "item" || address.action !== "content" || !address.path?.length) {
    return invalidRequest("Upload with PUT /items/{parent-id}:/{filename}:/content.");
  }
  const name = address.path.at(-1) ?? "";
  if (/[\\/:*?"<>|]/.test(name) || name.trim() === "") return invalidRequest(`The name '${name}' is not valid.`);
  const base = drive.items.get(address.base === "root" ? drive.rootId : address.base);
  const parent = base && findByPath(drive, base, address.path.slice(0, -1));
  if (!parent?.folder) return itemNotFound();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_SIMPLE_UPLOAD) return graphError(413, "requestTooLarge", "The request is too large; use an upload session.");
  const now = new Date().toISOString();
  const existing = childrenOf(drive, parent.id).find((child) => child.name.toLowerCase() === name.toLowerCase());
  if (existing?.folder) return graphError(409, "nameAlreadyExists", "A folder with that name already exists.");
  parent.lastModifiedDateTime = now;
  if (existing) {
    existing.content = bytes;
    existing.large = undefined;
    existing.lastModifiedDateTime = now;
    return c.json(presentItem(drive, existing), 200);
  }
  const item: DriveItemRecord = {
    id: newItemId(),
    name,
    parentId: parent.id,
    createdDateTime: now,
    lastModifiedDateTime: now,
    folder: false,
    mimeType: mimeTypeOf(name),
    content: bytes,
    permissions: [],
  };
  drive.items.set(item.id, item);
  return c.json(presentItem(drive, item), 201);
}

/** GET /me/drives: the drives the user can reach; here, their OneDrive. */
function listDrives(c: Context<GraphEnv>): Response {
  const drive = driveOf(c);
  return listResponse(c, [drive], { ...QUERY_RULES.drives, present: presentDrive, defaultTop: 200, maxTop: 1000 });
}

export const filesRoutes = new Hono<GraphEnv>()
  .get("/me/drives", scopes(...READ), listDrives)
  .get("/me/drive/*", scopes(...READ), getDrive)
  .get("/drives/:driveId/*", scopes(...READ, ...SITES_READ), getDrive)
  .post("/me/drive/*", scopes(...WRITE), createLink)
  .post("/drives/:driveId/*", scopes(...WRITE, ...SITES_WRITE), createLink)
  .put("/me/drive/*", scopes(...WRITE), upload)
  .put("/drives/:driveId/*", scopes(...WRITE), upload);
