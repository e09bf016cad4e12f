import type { EmulatedTenant, EmulatedUser } from "../../state";
import { opaqueId } from "../random";
import { type CalendarStore, type EventRecord, NO_TIME, occurrenceId, type ResponseType, type ShowAs } from "./model";

/**
 * @module
 * Meetings between users of one emulated tenant, as Exchange delivers them:
 * an organizer's meeting is copied into each invitee's calendar under the
 * same iCalUId (new id, isOrganizer false, not yet responded); updates and
 * cancellations follow; an invitee's answer updates the organizer's copy.
 */
export interface TenantCalendars {
  tenant: EmulatedTenant;
  storeOf: (user: EmulatedUser) => CalendarStore;
  now: number;
}

export function tenantUser(tenant: EmulatedTenant, address: string): EmulatedUser | undefined {
  const wanted = address.trim().toLowerCase();
  for (const user of tenant.users.values()) {
    if (user.mail?.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted) return user;
  }
  return undefined;
}

export function isAddressOf(user: EmulatedUser, address: string): boolean {
  const wanted = address.trim().toLowerCase();
  return user.mail?.toLowerCase() === wanted || user.userPrincipalName.toLowerCase() === wanted;
}

function byICalUId(store: CalendarStore, iCalUId: string): EventRecord | undefined {
  for (const event of store.events.values()) if (event.iCalUId === iCalUId) return event;
  return undefined;
}

export function showAsFor(response: ResponseType, meeting: ShowAs): ShowAs {
  if (response === "declined") return "free";
  if (response === "accepted") return meeting;
  return meeting === "free" ? "free" : "tentative";
}

/**
 * Puts the organizer's current version of `event` into invitees' calendars:
 * every same-tenant attendee, or only `only` (addresses) when given. A
 * cancelled delivery marks the copy cancelled, as a cancellation notice does.
 */
export function deliver(
  ctx: TenantCalendars,
  organizer: EmulatedUser,
  event: EventRecord,
  options: { cancelled?: boolean; only?: string[]; comment?: string } = {},
): void {
  const organizerStore = ctx.storeOf(organizer);
  const master = event.seriesMasterId ? organizerStore.events.get(event.seriesMasterId) : undefined;
  const addresses = options.only ?? event.attendees.map((a) => a.emailAddress.address);
  for (const address of addresses) {
    const invitee = tenantUser(ctx.tenant, address);
    if (!invitee || invitee.oid === organizer.oid) continue;
    const store = ctx.storeOf(invitee);
    const existing = byICalUId(store, event.iCalUId);
    let id = existing?.id;
    let seriesMasterId: string | null = null;
    if (event.type === "occurrence" || event.type === "exception") {
      const masterCopy = master ? byICalUId(store, master.iCalUId) : undefined;
      if (!masterCopy || !event.occurrenceDate) continue;
      id = occurrenceId(masterCopy.id, event.occurrenceDate);
      seriesMasterId = masterCopy.id;
    }
    if (!existing && options.cancelled && !seriesMasterId) continue;
    const response = existing?.responseStatus ?? { response: "notResponded" as const, time: NO_TIME };
    const copy: EventRecord = structuredClone({
      ...event,
      id: id ?? opaqueId(`event:${ctx.tenant.tenantId}:${invitee.oid}:${crypto.randomUUID()}`),
      type: event.type === "occurrence" ? "exception" : event.type,
      seriesMasterId,
      isOrganizer: false,
      responseStatus: response,
      showAs: showAsFor(response.response, event.showAs),
      categories: existing?.categories ?? [],
      isReminderOn: existing?.isReminderOn ?? true,
      reminderMinutesBeforeStart: existing?.reminderMinutesBeforeStart ?? 15,
      transactionId: null,
      createdDateTime: existing?.createdDateTime ?? new Date(ctx.now).toISOString(),
      lastModifiedDateTime: new Date(ctx.now).toISOString(),
    });
    if (options.cancelled) {
      copy.isCancelled = true;
      copy.showAs = "free";
      if (!copy.subject.startsWith("Canceled: ")) copy.subject = `Canceled: ${copy.subject}`;
      if (options.comment)
        copy.body = {
          contentType: "html",
          content: `<p>${escapeHtml(options.comment)}</p>${copy.body.contentType === "html" ? copy.body.content : escapeHtml(copy.body.content)}`,
        };
    }
    store.events.set(copy.id, copy);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An invitee's answer, recorded on the organizer's copy when the organizer is in the tenant. */
export function reportResponse(ctx: TenantCalendars, invitee: EmulatedUser, event: EventRecord, response: ResponseType): void {
  const organizer = tenantUser(ctx.tenant, event.organizer.emailAddress.address);
  if (!organizer || organizer.oid === invitee.oid) return;
  const original = byICalUId(ctx.storeOf(organizer), event.iCalUId);
  if (!original?.isOrganizer) return;
  for (const attendee of original.attendees) {
    if (isAddressOf(invitee, attendee.emailAddress.address)) attendee.status = { response, time: new Date(ctx.now).toISOString() };
  }
}
