import { humanSize } from "./files";
import { oneLine } from "./text";

/**
 * @module Microsoft Search hits as one line each under a heading per kind, with
 * the ids the other tools take: a message or event id for get_message /
 * get_event, a drive id (in the heading) and item id for the file tools, a
 * site and list id (in the heading) and the item's number for list_items, a
 * site id for list_site_contents.
 */

interface Identity {
  user?: { displayName?: string };
}

export interface SearchHit {
  hitId?: string;
  summary?: string;
  resource?: {
    "@odata.type"?: string;
    id?: string;
    name?: string;
    displayName?: string;
    subject?: string;
    size?: number;
    webUrl?: string;
    lastModifiedDateTime?: string;
    receivedDateTime?: string;
    start?: { dateTime?: string; timeZone?: string };
    from?: { emailAddress?: { name?: string; address?: string } };
    createdBy?: Identity;
    folder?: unknown;
    parentReference?: { driveId?: string; siteId?: string; id?: string };
    sharepointIds?: { listId?: string; listItemId?: string };
  };
}

/** One request's answer inside `value`. */
export interface SearchResponse {
  hitsContainers?: { hits?: SearchHit[]; total?: number; moreResultsAvailable?: boolean }[];
}

/** The summary without Search's `<c0>` highlight and `<ddd/>` cut marks. */
export function plainSummary(summary: string | undefined, max = 80): string {
  return oneLine((summary ?? "").replace(/<\/?c\d+>/g, "").replace(/<ddd\/>/g, "…"), max);
}

const day = (stamp: string | undefined) => stamp?.slice(0, 10);

/** Where a hit is listed: a heading naming the ids its lines share, and the hit's own line. */
function placeOf(hit: SearchHit): { key: string; heading: string; line: string } {
  const r = hit.resource ?? {};
  const type = (r["@odata.type"] ?? "").replace("#microsoft.graph.", "");
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" · ");
  switch (type) {
    case "message":
      return {
        key: "mail",
        heading: "Mail:",
        line: join(
          r.subject || "(no subject)",
          r.from?.emailAddress?.name || r.from?.emailAddress?.address,
          day(r.receivedDateTime),
          `id: ${hit.hitId}`,
        ),
      };
    case "event": {
      const start = `${r.start?.dateTime?.slice(0, 16).replace("T", " ") ?? ""} ${r.start?.timeZone ?? ""}`.trim();
      return { key: "events", heading: "Events:", line: join(r.subject || "(no subject)", start, `id: ${hit.hitId}`) };
    }
    case "driveItem": {
      const driveId = r.parentReference?.driveId ?? "";
      const modified = day(r.lastModifiedDateTime);
      return {
        key: `drive:${driveId}`,
        heading: `Files (driveId: ${driveId}):`,
        line: r.folder
          ? join(`${r.name ?? ""}/`, `id: ${r.id ?? hit.hitId}`)
          : join(r.name, humanSize(r.size), modified && `modified ${modified}`, `id: ${r.id ?? hit.hitId}`),
      };
    }
    case "listItem": {
      const siteId = r.parentReference?.siteId ?? "";
      const listId = r.sharepointIds?.listId ?? "";
      return {
        key: `list:${siteId}|${listId}`,
        heading: `List items (siteId: ${siteId}, listId: ${listId}):`,
        line: join(`#${r.sharepointIds?.listItemId ?? ""}`, plainSummary(hit.summary, 60)),
      };
    }
    case "site":
      return { key: "sites", heading: "Sites:", line: join(r.displayName || r.name, r.webUrl, `siteId: ${r.id ?? hit.hitId}`) };
    default:
      return { key: "other", heading: "Other:", line: join(type, r.name || r.subject || plainSummary(hit.summary), `id: ${hit.hitId}`) };
  }
}

/**
 * The hits under headings that carry the ids their lines share (a drive id
 * for files, a site and list id for list items), so each long id is written
 * once; headings come in the order of their best-ranked hit, lines in rank
 * order under them.
 */
export function hitsText(hits: readonly SearchHit[]): string {
  const groups = new Map<string, string[]>();
  for (const hit of hits) {
    const { key, heading, line } = placeOf(hit);
    const group = groups.get(key) ?? [heading];
    group.push(line);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => group.join("\n")).join("\n");
}
