import { humanSize } from "./files";
import { oneLine } from "./text";

/**
 * @module Microsoft Search hits as one line each, led by what the hit is and
 * ending with the ids the other tools take: a message or event id for
 * get_message / get_event, a drive id and item id for the file tools, a
 * site and list id (and the item's number) for list_items, a site id for
 * list_site_contents.
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

export function hitLine(hit: SearchHit): string {
  const r = hit.resource ?? {};
  const type = (r["@odata.type"] ?? "").replace("#microsoft.graph.", "");
  const parts: (string | undefined)[] = (() => {
    switch (type) {
      case "message":
        return [
          "mail",
          r.subject || "(no subject)",
          r.from?.emailAddress?.name || r.from?.emailAddress?.address,
          day(r.receivedDateTime),
          `id: ${hit.hitId}`,
        ];
      case "event":
        return [
          "event",
          r.subject || "(no subject)",
          `${r.start?.dateTime?.slice(0, 16).replace("T", " ")} ${r.start?.timeZone ?? ""}`.trim(),
          `id: ${hit.hitId}`,
        ];
      case "driveItem":
        return [
          r.folder ? "folder" : "file",
          r.name,
          r.folder ? undefined : humanSize(r.size),
          day(r.lastModifiedDateTime) && `modified ${day(r.lastModifiedDateTime)}`,
          `driveId: ${r.parentReference?.driveId}`,
          `id: ${r.id ?? hit.hitId}`,
        ];
      case "listItem":
        return [
          "list item",
          plainSummary(hit.summary),
          `siteId: ${r.parentReference?.siteId}`,
          `listId: ${r.sharepointIds?.listId}`,
          `itemId: ${r.sharepointIds?.listItemId}`,
        ];
      case "site":
        return ["site", r.displayName || r.name, r.webUrl, `siteId: ${r.id ?? hit.hitId}`];
      default:
        return [type || "item", r.name || r.subject || plainSummary(hit.summary), `id: ${hit.hitId}`];
    }
  })();
  return parts.filter(Boolean).join(" · ");
}
