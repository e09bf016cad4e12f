import type { Context } from "hono";
import type { GraphEnv } from "../../context";
import { seedCalendar } from "../calendar/seed";
import { spanOf } from "../calendar/model";
import { isText } from "../files/content";
import { type DriveItemRecord, type DriveStore, presentItem } from "../files/model";
import { driveFor } from "../files/routes";
import { mailboxOf, presentMessage } from "../mail/store";
import { type ListItemRecord, type ListRecord, presentSite, type SiteRecord, siteIds, listItemUrl } from "../sites/model";
import { sitesOf } from "../sites/store";
import type { EntityType } from "./input";

/**
 * @module
 * What Microsoft Search finds in the emulated tenant for one entity type:
 * every word of the query (case-insensitive) in an item's searchable text,
 * newest first, each as a hit with Graph's resource shape and a summary
 * that marks the first matched word with `<c0>` and cuts with `<ddd/>`.
 */
export interface Hit {
  hitId: string;
  summary: string;
  resource: Record<string, unknown>;
  /** Newest first across the types of one request. */
  at: string;
}

const decoder = new TextDecoder();

/** Every word of `terms` is in `text`. */
const matches = (terms: string[], text: string) => terms.every((term) => text.toLowerCase().includes(term));

function summary(text: string, terms: string[]): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const at = Math.max(0, flat.toLowerCase().indexOf(terms[0] ?? ""));
  const start = Math.max(0, at - 40);
  const term = flat.slice(at, at + (terms[0]?.length ?? 0));
  const before = flat.slice(start, at);
  const after = flat.slice(at + term.length, at + term.length + 80);
  return `${start > 0 ? "<ddd/>" : ""}${before}<c0>${term}</c0>${after}<ddd/>`;
}

function messageHits(c: Context<GraphEnv>, terms: string[]): Hit[] {
  const { tenant, user } = c.get("caller");
  const store = mailboxOf(c.get("graph"), tenant.tenantId, user);
  return [...store.messages.values()]
    .filter((message) => !message.isDraft)
    .filter((message) => matches(terms, `${message.subject} ${message.bodyPreview} ${message.from?.emailAddress.name ?? ""}`))
    .map((message) => {
      const { id: _id, body: _body, uniqueBody: _unique, "@odata.etag": _etag, ...resource } = presentMessage(message);
      return {
        hitId: message.id,
        summary: summary(`${message.subject} ${message.bodyPreview}`, terms),
        resource: { "@odata.type": "#microsoft.graph.message", ...resource },
        at: message.receivedDateTime,
      };
    });
}

function eventHits(c: Context<GraphEnv>, terms: string[]): Hit[] {
  const { tenant, user } = c.get("caller");
  const store = c.get("graph").forUser("calendar", tenant.tenantId, user, (owner, day) => seedCalendar(tenant.tenantId, owner, day));
  return [...store.events.values()]
    .filter((event) => event.type !== "occurrence" && matches(terms, `${event.subject} ${event.location.displayName}`))
    .map((event) => {
      const span = spanOf(event, "UTC");
      const utc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace("Z", "0000"), timeZone: "UTC" });
      return {
        hitId: event.id,
        summary: summary(event.subject, terms),
        resource: {
          "@odata.type": "#microsoft.graph.event",
          subject: event.subject,
          start: utc(span.start),
          end: utc(span.end),
          location: { displayName: event.location.displayName },
          organizer: event.organizer,
          isAllDay: event.isAllDay,
          hasAttachments: false,
        },
        at: new Date(span.start).toISOString(),
      };
    });
}

function driveHits(drive: DriveStore, terms: string[], site?: SiteRecord): Hit[] {
  const searchable = (item: DriveItemRecord) =>
    `${item.name} ${item.content && item.mimeType && isText(item.mimeType) ? decoder.decode(item.content) : ""}`;
  return [...drive.items.values()]
    .filter((item) => item.parentId !== null && !item.folder && matches(terms, searchable(item)))
    .map((item) => {
      const { eTag: _e, cTag: _c, ...shape } = presentItem(drive, item);
      const parent = shape.parentReference as Record<string, unknown>;
      const ids = site ? siteIds(site) : undefined;
      return {
        hitId: item.id,
        summary: summary(searchable(item), terms),
        resource: {
          "@odata.type": "#microsoft.graph.driveItem",
          ...shape,
          parentReference: {
            ...parent,
            ...(site && ids
              ? { driveType: "documentLibrary", siteId: site.id, sharepointIds: { siteId: ids.collection, webId: ids.web } }
              : {}),
          },
        },
        at: item.lastModifiedDateTime,
      };
    });
}

function listItemHits(site: SiteRecord, list: ListRecord, terms: string[]): Hit[] {
  const text = (item: ListItemRecord) => Object.values(item.fields).join(" ");
  const ids = siteIds(site);
  return list.items
    .filter((item) => matches(terms, text(item)))
    .map((item) => ({
      hitId: item.uniqueId,
      summary: summary(text(item), terms),
      resource: {
        "@odata.type": "#microsoft.graph.listItem",
        id: item.uniqueId,
        createdDateTime: item.createdDateTime,
        lastModifiedDateTime: item.lastModifiedDateTime,
        webUrl: listItemUrl(site, list, item),
        createdBy: { user: { displayName: item.author } },
        parentReference: { id: list.id, siteId: site.id },
        sharepointIds: { listId: list.id, listItemId: item.id, listItemUniqueId: item.uniqueId, siteId: ids.collection, webId: ids.web },
      },
      at: item.lastModifiedDateTime,
    }));
}

/** The hits for one entity type. */
export function hitsFor(c: Context<GraphEnv>, type: EntityType, terms: string[]): Hit[] {
  const sites = () => sitesOf(c).sites;
  switch (type) {
    case "message":
      return messageHits(c, terms);
    case "event":
      return eventHits(c, terms);
    case "driveItem": {
      const { tenant, user } = c.get("caller");
      const own = driveHits(driveFor(c.get("graph"), tenant.tenantId, user), terms);
      return [...own, ...sites().flatMap((site) => driveHits(site.library, terms, site))];
    }
    case "listItem":
      return sites().flatMap((site) => site.lists.flatMap((list) => listItemHits(site, list, terms)));
    case "site":
      return sites()
        .filter((site) => matches(terms, `${site.displayName} ${site.description}`))
        .map((site) => ({
          hitId: site.id,
          summary: summary(`${site.displayName} ${site.description}`, terms),
          resource: { "@odata.type": "#microsoft.graph.site", ...presentSite(site) },
          at: site.lastModifiedDateTime,
        }));
    case "drive":
    case "list":
      return [];
  }
}
