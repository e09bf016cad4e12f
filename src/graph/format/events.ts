import { formatAddress, type Recipient } from "./people";
import { bodyText, lines, window } from "./text";
import { formatInstantRange, formatRange, type GraphDateTime, instantOf, type Zone } from "./time";

/**
 * @module Calendar events, free/busy and meeting suggestions as compact text: one
 * line per event with its time range in the user's zone and UTC offset,
 * only the fields that tell events apart, and the id last for follow-ups.
 */

export interface EventAttendee extends Recipient {
  type?: string;
  status?: { response?: string };
}

export interface Recurrence {
  pattern?: { type?: string; interval?: number; daysOfWeek?: string[]; dayOfMonth?: number; month?: number; index?: string };
  range?: { type?: string; startDate?: string; endDate?: string; numberOfOccurrences?: number };
}

export interface CalendarEvent {
  id: string;
  subject?: string;
  start?: GraphDateTime;
  end?: GraphDateTime;
  isAllDay?: boolean;
  isCancelled?: boolean;
  isOrganizer?: boolean;
  organizer?: Recipient;
  responseStatus?: { response?: string };
  location?: { displayName?: string };
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: string;
  onlineMeeting?: { joinUrl?: string } | null;
  type?: string;
  seriesMasterId?: string | null;
  attendees?: EventAttendee[];
  recurrence?: Recurrence | null;
  body?: { contentType?: string; content?: string };
  importance?: string;
  sensitivity?: string;
  showAs?: string;
}

/** Exactly what eventLine prints (attendees only for their count and responses). */
export const EVENT_LINE_SELECT =
  "id,subject,start,end,isAllDay,isCancelled,isOrganizer,organizer,responseStatus,location,isOnlineMeeting,onlineMeetingProvider,attendees";
export const EVENT_DETAIL_SELECT = `${EVENT_LINE_SELECT},type,seriesMasterId,recurrence,body,onlineMeeting,importance,sensitivity,showAs`;

// The organizer's own status ("organizer") and "none" on personal appointments say nothing.
const RESPONSE_LABEL: Record<string, string> = {
  accepted: "accepted",
  tentativelyAccepted: "tentative",
  declined: "declined",
  notResponded: "not responded",
  none: "not responded",
};

const TEAMS_LOCATION = "Microsoft Teams Meeting";

function meetingMarker(event: CalendarEvent): string | undefined {
  if (!event.isOnlineMeeting) return undefined;
  return event.onlineMeetingProvider === "teamsForBusiness" ? "Teams" : "online";
}

function locationOf(event: CalendarEvent): string | undefined {
  const place = event.location?.displayName?.trim();
  // Outlook fills the location of Teams meetings with this text; the marker already says it.
  return place && !(place === TEAMS_LOCATION && event.isOnlineMeeting) ? place : undefined;
}

/** The signed-in user's answer to an invitation: "you: accepted", "you: not responded"… */
function ownResponse(event: CalendarEvent): string | undefined {
  const label = RESPONSE_LABEL[event.responseStatus?.response ?? ""];
  return label ? `you: ${label}` : undefined;
}

export function eventRange(event: CalendarEvent, zone: Zone): string {
  return formatRange(event.start, event.end, zone, event.isAllDay);
}

/**
 * "4 attendees" (rooms left out), and for the organizer how many accepted, so
 * a list answers "who is coming" without a get_event per meeting.
 */
function attendeeCount(event: CalendarEvent): string | undefined {
  const people = (event.attendees ?? []).filter((attendee) => attendee.type !== "resource");
  if (people.length === 0) return undefined;
  const count = `${people.length} attendee${people.length === 1 ? "" : "s"}`;
  if (event.isOrganizer !== true) return count;
  return `${count}, ${people.filter((attendee) => attendee.status?.response === "accepted").length} accepted`;
}

/** "Wed 2026-11-25 09:00–09:30 +01:00 · Design review · Room 4 · organizer: Ada · 4 attendees · you: tentative · Teams · id: …" */
export function eventLine(event: CalendarEvent, zone: Zone): string {
  const organizer = event.isOrganizer === false ? event.organizer?.emailAddress?.name || event.organizer?.emailAddress?.address : undefined;
  return [
    eventRange(event, zone),
    event.subject || "(no subject)",
    locationOf(event),
    organizer ? `organizer: ${organizer}` : undefined,
    attendeeCount(event),
    event.isOrganizer === false ? ownResponse(event) : undefined,
    meetingMarker(event),
    event.isCancelled ? "cancelled" : undefined,
    `id: ${event.id}`,
  ]
    .filter(Boolean)
    .join(" · ");
}

const ORDINAL: Record<string, string> = { first: "first", second: "second", third: "third", fourth: "fourth", last: "last" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const dayName = (day: string) => day.charAt(0).toUpperCase() + day.slice(1, 3);

/** "every 2 weeks on Tue, Thu from 2026-09-01 until 2027-01-01". */
export function recurrenceSummary(recurrence: Recurrence | null | undefined): string | undefined {
  const pattern = recurrence?.pattern;
  if (!pattern?.type) return undefined;
  const every = pattern.interval && pattern.interval > 1 ? pattern.interval : 1;
  const days = (pattern.daysOfWeek ?? []).map(dayName).join(", ");
  const month = MONTHS[(pattern.month ?? 1) - 1] ?? "";
  const nth = ORDINAL[pattern.index ?? "first"] ?? "first";
  const unit: Record<string, [one: string, many: string]> = {
    daily: ["daily", `every ${every} days`],
    weekly: [`weekly on ${days}`, `every ${every} weeks on ${days}`],
    absoluteMonthly: [`monthly on day ${pattern.dayOfMonth}`, `every ${every} months on day ${pattern.dayOfMonth}`],
    relativeMonthly: [`monthly on the ${nth} ${days}`, `every ${every} months on the ${nth} ${days}`],
    absoluteYearly: [`yearly on ${month} ${pattern.dayOfMonth}`, `every ${every} years on ${month} ${pattern.dayOfMonth}`],
    relativeYearly: [`yearly on the ${nth} ${days} of ${month}`, `every ${every} years on the ${nth} ${days} of ${month}`],
  };
  const [one, many] = unit[pattern.type] ?? [pattern.type, `${pattern.type} every ${every}`];
  const range = recurrence?.range;
  const from = range?.startDate ? ` from ${range.startDate}` : "";
  const until =
    range?.type === "endDate" && range.endDate
      ? ` until ${range.endDate}`
      : range?.type === "numbered"
        ? `, ${range.numberOfOccurrences} times`
        : "";
  return `${every > 1 ? many : one}${from}${until}`;
}

const MAX_ATTENDEES = 50;

function attendeeText(attendee: EventAttendee): string {
  const response = RESPONSE_LABEL[attendee.status?.response ?? ""] ?? attendee.status?.response;
  const kind = attendee.type === "optional" ? "optional" : attendee.type === "resource" ? "room" : undefined;
  return [formatAddress(attendee.emailAddress), response, kind].filter(Boolean).join(" ");
}

function attendeesText(attendees: EventAttendee[] | undefined): string | undefined {
  if (!attendees?.length) return undefined;
  const shown = attendees.slice(0, MAX_ATTENDEES).map(attendeeText).join("; ");
  const more = attendees.length > MAX_ATTENDEES ? `; … and ${attendees.length - MAX_ATTENDEES} more` : "";
  return `(${attendees.length}) ${shown}${more}`;
}

function seriesText(event: CalendarEvent): string | undefined {
  if (event.type === "seriesMaster") return recurrenceSummary(event.recurrence) ?? "recurring series";
  if ((event.type === "occurrence" || event.type === "exception") && event.seriesMasterId) {
    return `one occurrence of series ${event.seriesMasterId}`;
  }
  return undefined;
}

export const BODY_WINDOW = 4000;

/** Everything get_event shows; the body comes in windows with a continuation line. */
export function eventDetails(event: CalendarEvent, zone: Zone, bodyOffset: number): string {
  const organizer = event.isOrganizer ? "you" : formatAddress(event.organizer?.emailAddress);
  const flags = [
    event.isCancelled ? "cancelled" : undefined,
    event.importance === "high" ? "high importance" : undefined,
    event.sensitivity && event.sensitivity !== "normal" ? event.sensitivity : undefined,
    event.showAs && event.showAs !== "busy" ? `shows as ${event.showAs}` : undefined,
  ].filter(Boolean);
  const head = lines([
    ["Subject", event.subject || "(no subject)"],
    ["When", eventRange(event, zone)],
    ["Repeats", seriesText(event)],
    ["Where", locationOf(event)],
    ["Online", event.isOnlineMeeting ? event.onlineMeeting?.joinUrl || meetingMarker(event) : undefined],
    ["Organizer", organizer],
    ["Your response", event.isOrganizer ? undefined : RESPONSE_LABEL[event.responseStatus?.response ?? ""]],
    ["Attendees", attendeesText(event.attendees)],
    ["Status", flags.join(", ")],
    ["Id", event.id],
  ]);
  // Outlook frames the Teams block with rows of underscores: tokens that say nothing.
  const body = bodyText(event.body)
    .replace(/^_{10,}$\n?/gm, "")
    .trim();
  if (!body) return bodyOffset > 0 ? `${head}\nBody: nothing after offset ${bodyOffset}.` : head;
  const part = window(body, bodyOffset, BODY_WINDOW);
  if (!part.text) return `${head}\nBody: nothing after offset ${bodyOffset}; it has ${part.total} characters.`;
  const more = part.nextOffset === undefined ? "" : `\nMore: call get_event with offset ${part.nextOffset}.`;
  return `${head}\nBody:\n${part.text}${more}`;
}

/** Graph's scheduleInformation, as getSchedule returns it per address. */
export interface ScheduleInformation {
  scheduleId?: string;
  availabilityView?: string;
  scheduleItems?: { status?: string; start?: GraphDateTime; end?: GraphDateTime }[];
  error?: { message?: string; responseCode?: string } | null;
}

interface Block {
  status: string;
  start: number;
  end: number;
}

// availabilityView digits, one per interval.
const VIEW_STATUS: Record<string, string> = { "1": "tentative", "2": "busy", "3": "oof", "4": "workingElsewhere" };
const STATUS_LABEL: Record<string, string> = { oof: "away", workingElsewhere: "elsewhere" };

/** Busy blocks from scheduleItems, or from availabilityView when Graph gives only that; same-status overlaps merged. */
function busyBlocks(schedule: ScheduleInformation, windowStart: number, intervalMinutes: number): Block[] {
  const blocks: Block[] = [];
  for (const item of schedule.scheduleItems ?? []) {
    const start = instantOf(item.start);
    const end = instantOf(item.end);
    if (start !== undefined && end !== undefined && item.status && item.status !== "free") blocks.push({ status: item.status, start, end });
  }
  if (blocks.length === 0) {
    [...(schedule.availabilityView ?? "")].forEach((digit, index) => {
      const status = VIEW_STATUS[digit];
      const start = windowStart + index * intervalMinutes * 60_000;
      if (status) blocks.push({ status, start, end: start + intervalMinutes * 60_000 });
    });
  }
  blocks.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Block[] = [];
  for (const block of blocks) {
    const last = merged[merged.length - 1];
    if (last && last.status === block.status && block.start <= last.end) last.end = Math.max(last.end, block.end);
    else merged.push({ ...block });
  }
  return merged;
}

/** "ada@contoso.com: busy Wed 2026-11-25 09:00–10:00 +01:00; tentative …" or "…: free". */
export function scheduleLine(schedule: ScheduleInformation, zone: Zone, windowStart: number, intervalMinutes: number): string {
  const who = schedule.scheduleId ?? "?";
  if (schedule.error) return `${who}: unknown (${schedule.error.message ?? "availability not available"})`;
  const blocks = busyBlocks(schedule, windowStart, intervalMinutes);
  if (blocks.length === 0) return `${who}: free`;
  return `${who}: ${blocks.map((b) => `${STATUS_LABEL[b.status] ?? b.status} ${formatInstantRange(b.start, b.end, zone)}`).join("; ")}`;
}

export interface MeetingTimeSuggestion {
  confidence?: number;
  organizerAvailability?: string;
  attendeeAvailability?: { attendee?: Recipient; availability?: string }[];
  meetingTimeSlot?: { start?: GraphDateTime; end?: GraphDateTime };
}

/** "Wed 2026-11-25 10:00–10:30 +01:00 · 100% · all free" or "… · 50% · tentative: bob@x". */
export function suggestionLine(suggestion: MeetingTimeSuggestion, zone: Zone): string {
  const notFree = new Map<string, string[]>();
  const note = (status: string, who: string) => notFree.set(status, [...(notFree.get(status) ?? []), who]);
  if (suggestion.organizerAvailability && suggestion.organizerAvailability !== "free") note(suggestion.organizerAvailability, "you");
  for (const entry of suggestion.attendeeAvailability ?? []) {
    if (entry.availability && entry.availability !== "free") note(entry.availability, entry.attendee?.emailAddress?.address ?? "?");
  }
  const availability = notFree.size ? [...notFree].map(([status, who]) => `${status}: ${who.join(", ")}`).join("; ") : "all free";
  const when = formatRange(suggestion.meetingTimeSlot?.start, suggestion.meetingTimeSlot?.end, zone);
  return `${when} · ${Math.round(suggestion.confidence ?? 0)}% · ${availability}`;
}

/** Why findMeetingTimes found nothing, in words a user can act on. */
export const EMPTY_SUGGESTIONS_REASON: Record<string, string> = {
  attendeesUnavailable: "every required attendee is busy at each possible time",
  attendeesUnavailableOrUnknown: "attendees are busy, or their availability is unknown (outside your organization or not shared)",
  locationsUnavailable: "the requested locations are not available",
  organizerUnavailable: "you are busy throughout the window",
  unknown: "no slot fits: the window may be too short or outside working hours (Mon–Fri 09:00–17:00)",
};
