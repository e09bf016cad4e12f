import { type Context, Hono } from "hono";
import { z } from "zod";
import type { EmulatorEnv } from "../../context";
import { graphError } from "../errors";
import { DOWNLOAD_PATH } from "./downloads";
import { type DriveItemRecord, readBytes, sizeOf } from "./model";
import { libraryOwnedBy } from "../sites/store";
import { driveFor } from "./routes";

/**
 * @module
 * The download host: serves the URLs Graph's `/content` redirects to, with
 * no Authorization header (one that arrives is refused: the URL is the
 * credential, and a client that forwards its Graph token here leaks it),
 * honouring `Range: bytes=a-b` with 206 and Content-Range unless the
 * tenant's setting says to ignore it (200 with the whole file).
 * Also the control endpoint for those settings, under /_emulator.
 */
const SettingsSchema = z.strictObject({
  tenantId: z.string().min(1),
  ignoreRange: z.boolean().optional(),
  lifetimeSeconds: z.number().int().min(-3600).max(3600).optional(),
});

function parseRange(header: string, size: number): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  return end < start ? undefined : { start, end };
}

function bytesOf(item: DriveItemRecord, size: number, rangeHeader: string | undefined): Response {
  const headers: Record<string, string> = {
    "content-type": item.mimeType ?? "application/octet-stream",
    "accept-ranges": "bytes",
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
  };
  const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
  if (range === "unsatisfiable") {
    return graphError(416, "invalidRange", "The requested range is not satisfiable.", { "content-range": `bytes */${size}` });
  }
  if (range) {
    const bytes = readBytes(item, range.start, range.end + 1);
    return new Response(bytes, {
      status: 206,
      headers: { ...headers, "content-range": `bytes ${range.start}-${range.end}/${size}`, "content-length": String(bytes.length) },
    });
  }
  const bytes = readBytes(item, 0, size);
  return new Response(bytes, { status: 200, headers: { ...headers, "content-length": String(bytes.length) } });
}

async function download(c: Context<EmulatorEnv>): Promise<Response> {
  const links = c.get("downloads");
  const claims = await links.open(c.req.param("token") ?? "");
  if (claims === "expired") return graphError(401, "unauthenticated", "The download URL has expired; request the item's content again.");
  if (claims === "invalid") return graphError(401, "unauthenticated", "The download URL is not valid.");
  if (c.req.header("authorization") !== undefined) {
    links.record(claims.tid, "refusedAuthorization");
    return graphError(401, "unauthenticated", "Pre-authenticated download URLs take no Authorization header.");
  }
  const tenant = c.get("state").tenant(claims.tid);
  const user = tenant?.users.get(claims.oid);
  const drive = user ? driveFor(c.get("graph"), claims.tid, user) : tenant && libraryOwnedBy(c.get("graph"), tenant, claims.oid);
  const item = drive?.items.get(claims.item);
  if (!drive || !item || item.folder) return graphError(404, "itemNotFound", "The resource could not be found.");
  links.record(claims.tid, "served");
  const ignoreRange = links.settings(claims.tid).ignoreRange;
  return bytesOf(item, sizeOf(drive, item), ignoreRange ? undefined : c.req.header("range"));
}

export const downloadRoutes = new Hono<EmulatorEnv>()
  .get(`${DOWNLOAD_PATH}:token`, download)
  // Per-tenant download behaviour: ignore Range (as Microsoft says it may), or hand out already-expired URLs.
  .post("/_emulator/downloads", async (c) => {
    const input = SettingsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!input.success) {
      return c.json(
        { error: "invalid_request", issues: input.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })) },
        400,
      );
    }
    const { tenantId, ...change } = input.data;
    return c.json(c.get("downloads").configure(tenantId, change));
  })
  // How many downloads a tenant's URLs served, and how many were refused for carrying an Authorization header.
  .get("/_emulator/downloads", (c) => {
    const tenantId = c.req.query("tenantId");
    if (!tenantId) return c.json({ error: "invalid_request", issues: [{ field: "tenantId", message: "required" }] }, 400);
    return c.json({ ...c.get("downloads").settings(tenantId), ...c.get("downloads").stats(tenantId) });
  });
