import { z } from "zod";
import type { GraphRequest, GraphResponse } from "../client";
import type { RawContent } from "../download";
import { graphPath, odataString, pathSafeText } from "../path";
import {
  cutPoint,
  DETAIL_SELECT,
  type DriveItem,
  folderPath,
  humanSize,
  ITEM_SELECT,
  itemLine,
  partialCharacterBytes,
  SEARCH_SELECT,
} from "../format/files";
import { type DocumentKind, documentKind } from "../format/documents";
import { lines } from "../format/text";
import {
  cursorField,
  driveBase,
  driveIdField,
  idField,
  integerField,
  limitField,
  listPage,
  MORE_MATCHES,
  offsetField,
  textField,
} from "./common";
import { documentWindow } from "./document-window";
import { CREATE, defineTool, expectOk, READ, type ToolContext } from "./types";

/** @module OneDrive: browse and search the user's drive, read files' text in windows (from another drive too, by id), and share. */

const FILES_READ = ["Files.Read", "Files.ReadWrite"];
/** The most one plain-text window downloads. */
const MAX_RAW_BYTES = 1024 * 1024;

const fileId = idField("file");
const searchText = textField(255, { expected: "something to search for" });

const continueLine = (tool: string, offset: number) => `\nMore: call ${tool} with offset ${offset}.`;

/**
 * A window of a plain-text file, read from the download URL with a byte
 * Range (or cut from the stream when the download ignores Range), so any
 * part of a large file costs one small download. Offsets are byte offsets,
 * always cut at a character boundary, so the next window starts exactly
 * here; maxChars bounds bytes (one per ASCII character, so non-Latin text
 * gets fewer).
 */
async function textWindow(ctx: ToolContext, item: DriveItem, base: string, start: number, maxChars: number): Promise<string> {
  const size = item.size ?? 0;
  if (start > 0 && start >= size) return `Content: nothing after offset ${start}; the file has ${size} bytes.`;
  // A few bytes past the window show whether its last character is whole.
  const want = Math.min(maxChars + 4, MAX_RAW_BYTES);
  const response = await ctx.graph({
    method: "GET",
    path: `${base}${graphPath`/items/${item.id}/content`}`,
    download: { offset: start, length: want },
  });
  const raw = expectOk<RawContent>(response, "read the file's content");
  const skipped = partialCharacterBytes(raw.bytes);
  const bytes = raw.bytes.subarray(skipped);
  const from = start + skipped;
  const cut = cutPoint(bytes, maxChars, from + bytes.length < size || isTruncated(response));
  const end = from + cut;
  if (cut === 0) return start > 0 ? `Content: nothing readable at offset ${start}.` : "Content: (empty)";
  const text = new TextDecoder().decode(bytes.subarray(0, cut));
  return `Content (bytes ${from}–${end} of ${size}):\n${text}${end < size ? continueLine(ctx.tool, end) : ""}`;
}

const isTruncated = (response: GraphResponse) => response.ok && Boolean(response.truncated);

/** A document (Word, Excel, PowerPoint, PDF, HTML) as text: offsets count characters of that text. */
async function extractedWindow(ctx: ToolContext, item: DriveItem, base: string, kind: DocumentKind, start: number, maxChars: number) {
  const source = {
    name: item.name ?? "the file",
    size: item.size,
    kind,
    request: { method: "GET", path: `${base}${graphPath`/items/${item.id}/content`}` } satisfies GraphRequest,
    link: item.webUrl,
  };
  const part = await documentWindow(ctx, source, start, maxChars);
  if (!part.text) return start > 0 ? `Content: nothing after offset ${start}; the text has ${part.total} characters.` : "Content: (empty)";
  const more = part.nextOffset !== undefined ? continueLine(ctx.tool, part.nextOffset) : "";
  return `Content (text characters ${part.start}–${part.end} of ${part.total}):\n${part.text}${more}`;
}

export const filesTools = [
  defineTool({
    name: "list_files",
    group: "files",
    description: "List a folder's files and subfolders, in OneDrive or a library (driveId).",
    input: {
      folderId: idField("folder").optional().describe("Leave out for the root folder."),
      driveId: driveIdField.optional(),
      limit: limitField(50),
      cursor: cursorField,
    },
    scopes: FILES_READ,
    annotations: READ,
    audit: { targets: ["folderId", "driveId"], options: ["cursor"] },
    async run(ctx, input) {
      const drive = driveBase(input.driveId);
      const path = input.folderId ? `${drive}${graphPath`/items/${input.folderId}/children`}` : `${drive}/root/children`;
      const first: GraphRequest = { method: "GET", path, query: { $select: ITEM_SELECT, $top: String(input.limit) } };
      return listPage<DriveItem>(ctx, first, {
        cursor: input.cursor,
        what: "list the folder",
        empty: "This folder is empty.",
        line: (item) => itemLine(item),
      });
    },
  }),
  defineTool({
    name: "search_files",
    group: "files",
    description: "Search your OneDrive, or a library (driveId), by file name and content.",
    input: { query: searchText, driveId: driveIdField.optional(), limit: limitField(50) },
    scopes: FILES_READ,
    annotations: READ,
    audit: { text: ["query"], targets: ["driveId"] },
    async run(ctx, { query, driveId, limit }) {
      // graphPath refuses ?, #, \ and control characters in a path value; they carry no meaning for file search.
      const path = `${driveBase(driveId)}${graphPath`/root/search(q=${odataString(pathSafeText(query))})`}`;
      const request: GraphRequest = { method: "GET", path, query: { $select: SEARCH_SELECT, $top: String(limit) } };
      return listPage<DriveItem>(ctx, request, {
        what: "search your files",
        empty: `No files match "${query}".`,
        line: (item) => itemLine(item, true),
        more: MORE_MATCHES,
      });
    },
  }),
  defineTool({
    name: "get_file",
    group: "files",
    description: "Show a file's details and its text (Word, Excel, PowerPoint, PDF, text, HTML) in windows.",
    input: {
      id: fileId,
      driveId: driveIdField.optional(),
      offset: offsetField,
      maxChars: integerField(500, 20_000).default(6000),
    },
    scopes: FILES_READ,
    annotations: READ,
    audit: { targets: ["id", "driveId"] },
    async run(ctx, input) {
      const base = driveBase(input.driveId);
      const item = expectOk<DriveItem>(
        await ctx.graph({ method: "GET", path: `${base}${graphPath`/items/${input.id}`}`, query: { $select: DETAIL_SELECT } }),
        "read the file",
      );
      const start = input.offset;
      const mimeType = item.file?.mimeType;
      // A continuation only needs to say which file it is.
      const header =
        start > 0
          ? `Name: ${item.name ?? ""} (continued)`
          : lines([
              ["Name", item.name],
              ["Id", item.id],
              ["Folder", folderPath(item)],
              ["Size", humanSize(item.size)],
              ["Modified", item.lastModifiedDateTime?.slice(0, 10)],
              ["Type", item.folder ? "folder" : mimeType],
              ["Link", item.webUrl],
            ]);
      if (item.folder) return `${header}\nThis is a folder with ${item.folder.childCount ?? 0} items; list it with list_files.`;
      const kind = documentKind(item.name ?? "", mimeType);
      if (!kind) return `${header}\nContent: not text (${mimeType ?? "unknown type"}); open the link to view it.`;
      // Plain text is read by byte ranges, so any part of a large log or CSV costs one small download.
      const content =
        kind === "text"
          ? await textWindow(ctx, item, base, start, input.maxChars)
          : await extractedWindow(ctx, item, base, kind, start, input.maxChars);
      return `${header}\n${content}`;
    },
  }),
  defineTool({
    name: "create_share_link",
    group: "files",
    description: "Create a sharing link for a file or folder in OneDrive or a library (driveId).",
    input: {
      id: fileId,
      driveId: driveIdField.optional(),
      type: z.enum(["view", "edit"]).default("view"),
      scope: z.enum(["organization", "anonymous"]).default("organization").describe("anonymous: anyone with the link, no sign-in."),
    },
    scopes: ["Files.ReadWrite"],
    // Shares outside the user's own data; Graph hands back the existing link when one of that type and scope exists.
    annotations: { ...CREATE, idempotentHint: true, openWorldHint: true },
    audit: { targets: ["id", "driveId"] },
    async run(ctx, input) {
      const response = await ctx.graph({
        method: "POST",
        path: `${driveBase(input.driveId)}${graphPath`/items/${input.id}/createLink`}`,
        body: { type: input.type, scope: input.scope },
        idempotent: true,
      });
      const permission = expectOk<{ link?: { webUrl?: string; type?: string; scope?: string } }>(response, "create the sharing link");
      return `Sharing link (${permission.link?.type ?? input.type}, ${permission.link?.scope ?? input.scope}): ${permission.link?.webUrl ?? "(none returned)"}`;
    },
  }),
];
