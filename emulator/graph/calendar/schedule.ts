import type { z } from "zod";
import type { EmulatedUser } from "../../state";
import { dateTimeIn, DAY_MS, type OutputZone, resolveZone, toWall } from "../timezones";
import type { MeetingTimesInput } from "./input";
import type { EventRecord } from "./model";
import { instancesIn } from "./recurrence";
import { type TenantCalendars, tenantUser } from "./sync";

/**
 * @module
 * Free/busy: POST /me/calendar/getSchedule and POST /me/findMeetingTimes,
 * computed from the emulated calendars of the tenant's users. Addresses
 * outside the tenant are unknown, as they are to Exchange.
 */
export type Status = "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
const RANK: Record<Status, number> = { free: 0, unknown: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };
const DIGIT: Record<Status, string> = { free: "0", unknown: "0", tentative: "1", busy: "2", oof: "3", workingElsewhere: "4" };

export function durationMs(text: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text);
  const [, d = "0", h = "0", m = "0", s = "0"] = match ?? [];
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}

interface Busy {
  event: EventRecord;
  start: number;
  end: number;
  status: Status;
}

/** What blocks a user's time in [from, to): non-cancelled, not-free, not-declined instances. */
export function busyTimes(ctx: TenantCalendars, user: EmulatedUser, from: number, to: number): Busy[] {
  const iana = resolveZone(user.timeZone ?? "UTC") ?? "UTC";
  return instancesIn(ctx.storeOf(user).events, from, to, iana)
    .filter(
      ({ event }) =>
        !event.isCancelled && event.showAs !== "free" && event.showAs !== "unknown" && event.responseStatus.response !== "declined",
    )
    .map((instance) => ({ ...instance, status: instance.event.showAs as Status }));
}

function statusIn(busy: readonly Busy[], start: number, end: number): Status {
  let status: Status = "free";
  for (const item of busy) if (item.start < end && item.end > start && RANK[item.status] > RANK[status]) status = item.status;
  return status;
}

const WORKING_HOURS = (user: EmulatedUser) => ({
  daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
  startTime: "09:00:00.0000000",
  endTime: "17:00:00.0000000",
  timeZone: { name: user.timeZone ?? "UTC" },
});

export function schedule(
  ctx: TenantCalendars,
  input: { addresses: string[]; from: number; to: number; interval: number; zone: OutputZone },
) {
  return input.addresses.map((address) => {
    const user = tenantUser(ctx.tenant, address);
    if (!user)
      return {
        scheduleId: address,
        error: { message: `Unable to resolve e-mail address ${address} to an Active Directory object.`, responseCode: "5009" },
      };
    const busy = busyTimes(ctx, user, input.from, input.to);
    const step = input.interval * 60_000;
    let view = "";
    for (let t = input.from; t < input.to; t += step) view += DIGIT[statusIn(busy, t, Math.min(t + step, input.to))];
    return {
      scheduleId: address,
      availabilityView: view,
      scheduleItems: busy.map(({ event, start, end, status }) => ({
        isPrivate: event.sensitivity === "private",
        status,
        ...(event.sensitivity === "private" ? {} : { subject: event.subject, location: event.location.displayName }),
        isMeeting: event.attendees.length > 0,
        isRecurring: event.type === "occurrence" || event.type === "exception",
        isException: event.type === "exception",
        isReminderSet: event.isReminderOn,
        start: dateTimeIn(start, input.zone),
        end: dateTimeIn(end, input.zone),
      })),
      workingHours: WORKING_HOURS(user),
    };
  });
}

function withinHours(domain: string, iana: string, start: number, end: number): boolean {
  if (domain === "unrestricted") return true;
  const startWall = toWall(iana, start);
  const endWall = toWall(iana, end);
  const day = Math.floor(startWall / DAY_MS);
  const weekday = (day + 4) % 7;
  const [open, close] = domain === "personal" ? [8, 20] : [9, 17];
  if (domain !== "personal" && (weekday === 0 || weekday === 6)) return false;
  return startWall >= day * DAY_MS + open * 3_600_000 && endWall <= day * DAY_MS + close * 3_600_000;
}

const SLOT_STEP = 30 * 60_000;

export function findMeetingTimes(
  ctx: TenantCalendars,
  organizer: EmulatedUser,
  input: z.infer<typeof MeetingTimesInput>,
  slots: { start: number; end: number }[],
  zone: OutputZone,
) {
  const duration = durationMs(input.meetingDuration) || SLOT_STEP;
  const from = Math.min(...slots.map((s) => s.start));
  const to = Math.max(...slots.map((s) => s.end));
  const organizerBusy = busyTimes(ctx, organizer, from, to);
  const people = input.attendees.map((attendee) => {
    const user = tenantUser(ctx.tenant, attendee.emailAddress.address);
    return { attendee, busy: user ? busyTimes(ctx, user, from, to) : undefined };
  });
  const iana = resolveZone(organizer.timeZone ?? "UTC") ?? "UTC";
  const score = (status: Status) =>
    status === "free" || status === "workingElsewhere" ? 100 : status === "tentative" || status === "unknown" ? 50 : 0;
  const candidates = [];
  let organizerAlwaysBusy = true;
  for (const slot of slots) {
    for (let t = Math.ceil(slot.start / SLOT_STEP) * SLOT_STEP; t + duration <= slot.end && candidates.length < 2000; t += SLOT_STEP) {
      if (!withinHours(input.timeConstraint?.activityDomain ?? "work", iana, t, t + duration)) continue;
      const organizerAvailability = statusIn(organizerBusy, t, t + duration);
      if (organizerAvailability === "free" || organizerAvailability === "tentative") organizerAlwaysBusy = false;
      const attendeeAvailability = people.map(({ attendee, busy }) => ({
        attendee: { type: attendee.type, emailAddress: { address: attendee.emailAddress.address } },
        availability: busy ? statusIn(busy, t, t + duration) : ("unknown" as Status),
      }));
      const counted = [
        ...(input.isOrganizerOptional ? [] : [organizerAvailability]),
        ...attendeeAvailability.filter((a) => a.attendee.type === "required").map((a) => a.availability),
      ];
      const confidence = counted.length ? counted.reduce((sum, s) => sum + score(s), 0) / counted.length : 100;
      candidates.push({ t, confidence, organizerAvailability, attendeeAvailability });
    }
  }
  const locations = (input.locationConstraint?.locations ?? []).map((l) => ({ displayName: String(l.displayName ?? "") }));
  const suggestions = candidates
    .filter((candidate) => candidate.confidence >= input.minimumAttendeePercentage && candidate.confidence > 0)
    .sort((a, b) => b.confidence - a.confidence || a.t - b.t)
    .slice(0, input.maxCandidates ?? 10)
    .sort((a, b) => a.t - b.t)
    .map((candidate) => ({
      confidence: candidate.confidence,
      organizerAvailability: candidate.organizerAvailability,
      attendeeAvailability: candidate.attendeeAvailability,
      locations,
      meetingTimeSlot: { start: dateTimeIn(candidate.t, zone), end: dateTimeIn(candidate.t + duration, zone) },
      suggestionReason: !input.returnSuggestionReasons
        ? ""
        : candidate.confidence === 100
          ? "Suggested because it is one of the nearest times when all attendees are available."
          : "Suggested because it is one of the nearest times when most attendees are available.",
    }));
  let emptySuggestionsReason = "";
  if (suggestions.length === 0) {
    if (candidates.length === 0) emptySuggestionsReason = "unknown";
    else if (organizerAlwaysBusy && !input.isOrganizerOptional) emptySuggestionsReason = "organizerUnavailable";
    else emptySuggestionsReason = people.some((p) => !p.busy) ? "attendeesUnavailableOrUnknown" : "attendeesUnavailable";
  }
  return { emptySuggestionsReason, meetingTimeSuggestions: suggestions };
}
