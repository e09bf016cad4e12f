import { opaqueId } from "../random";
import { DAY_MS, dateTimeIn, fromWall, type OutputZone, parseWall, preferredZone, resolveZone } from "../timezones";

/**
 * @module
 * The stored shape of an Outlook event and how it is shown on the wire.
 * A record keeps start/end as the client gave them (wall-clock text in its
 * own zone); instants are derived, so DST is applied where the event lives.
 * All-day events float: midnight to midnight in whatever zone views them.
 */
export const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type Day = (typeof DAYS)[number];
export const RESPONSES = ["none", "organizer", "tentativelyAccepted", "accepted", "declined", "notResponded"] as const;
export type ResponseType = (typeof RESPONSES)[number];
export const SHOW_AS = ["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"] as const;
export type ShowAs = (typeof SHOW_AS)[number];
export const NO_TIME = "0001-01-01T00:00:00Z";

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}
export interface EmailAddress {
  name: string;
  address: string;
}
export interface AttendeeRecord {
  type: "required" | "optional" | "resource";
  status: { response: ResponseType; time: string };
  emailAddress: EmailAddress;
}
export interface LocationRecord {
  displayName: string;
  locationType: string;
  uniqueId?: string;
  uniqueIdType: string;
  address?: Record<string, string>;
}
export interface RecurrenceRecord {
  pattern: {
    type: "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly";
    interval: number;
    month: number;
    dayOfMonth: number;
    daysOfWeek: Day[];
    firstDayOfWeek: Day;
    index: "first" | "second" | "third" | "fourth" | "last";
  };
  range: {
    type: "endDate" | "noEnd" | "numbered";
    startDate: string;
    endDate: string;
    recurrenceTimeZone: string;
    numberOfOccurrences: number;
  };
}

export interface EventRecord {
  id: string;
  iCalUId: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  transactionId: string | null;
  categories: string[];
  subject: string;
  body: { contentType: "html" | "text"; content: string };
  importance: "low" | "normal" | "high";
  sensitivity: "normal" | "personal" | "private" | "confidential";
  isAllDay: boolean;
  isCancelled: boolean;
  isOrganizer: boolean;
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  responseRequested: boolean;
  allowNewTimeProposals: boolean;
  showAs: ShowAs;
  type: "singleInstance" | "occurrence" | "exception" | "seriesMaster";
  seriesMasterId: string | null;
  recurrence: RecurrenceRecord | null;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  location: LocationRecord;
  locations: LocationRecord[];
  attendees: AttendeeRecord[];
  organizer: { emailAddress: EmailAddress };
  isOnlineMeeting: boolean;
  onlineMeetingProvider: "teamsForBusiness" | "skypeForBusiness" | "skypeForConsumer" | "unknown";
  onlineMeeting: { joinUrl: string; conferenceId: string; tollNumber: string } | null;
  responseStatus: { response: ResponseType; time: string };
  /** Occurrences and exceptions: the instant the occurrence was first scheduled for. */
  originalStart?: string;
  /** Exceptions: the series date (in the series' zone) the exception replaces. */
  occurrenceDate?: string;
  /** Series masters: dates whose occurrence was deleted. */
  cancelledDates?: string[];
}

export interface CalendarStore {
  calendarId: string;
  owner: EmailAddress;
  events: Map<string, EventRecord>;
}

export const emptyLocation = (displayName = ""): LocationRecord =>
  displayName
    ? { displayName, locationType: "default", uniqueId: displayName, uniqueIdType: "private" }
    : { displayName: "", locationType: "default", uniqueIdType: "unknown" };

/** Outlook's GlobalObjectId as hex: a fixed class id, then an instance date (zero for a series), then a unique part. */
export function newICalUId(seed: string): string {
  const hex = Array.from(opaqueId(`ical:${seed}`).slice(4, 28), (ch) => ch.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  return `040000008200E00074C5B7101A82E00800000000${hex.toUpperCase()}`;
}

/** An occurrence's iCalUId: the series' with its date in the instance-date bytes, as Outlook does. */
export function occurrenceICalUId(masterUid: string, date: string): string {
  const [y = "0", m = "0", d = "0"] = date.split("-");
  const stamp = `${Number(y).toString(16).padStart(4, "0")}${Number(m).toString(16).padStart(2, "0")}${Number(d).toString(16).padStart(2, "0")}`;
  return `${masterUid.slice(0, 32)}${stamp.toUpperCase()}${masterUid.slice(40)}`;
}

/** Occurrence ids extend the master's id with the occurrence date, so they resolve without storage. */
export function occurrenceId(masterId: string, date: string): string {
  return `${masterId.replace(/=$/, "")}AAAQ${date.replace(/-/g, "")}=`;
}

export function parseOccurrenceId(id: string): { masterId: string; date: string } | undefined {
  const match = /^(.+)AAAQ(\d{4})(\d{2})(\d{2})=$/.exec(id);
  return match ? { masterId: `${match[1]}=`, date: `${match[2]}-${match[3]}-${match[4]}` } : undefined;
}

export function zoneOf(event: EventRecord): string {
  return resolveZone(event.start.timeZone) ?? "UTC";
}

/** The instants an event occupies; all-day events are read in `viewIana`. */
export function spanOf(event: EventRecord, viewIana: string): { start: number; end: number } {
  const startWall = parseWall(event.start.dateTime) ?? 0;
  const endWall = parseWall(event.end.dateTime) ?? startWall;
  if (event.isAllDay) {
    const startDay = Math.floor(startWall / DAY_MS) * DAY_MS;
    return {
      start: fromWall(viewIana, startDay),
      end: fromWall(viewIana, Math.max(startDay + DAY_MS, Math.floor(endWall / DAY_MS) * DAY_MS)),
    };
  }
  return { start: fromWall(zoneOf(event), startWall), end: fromWall(resolveZone(event.end.timeZone) ?? "UTC", endWall) };
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

export function bodyPreview(body: EventRecord["body"]): string {
  const text = body.contentType === "html" ? htmlToText(body.content) : body.content;
  return text.replace(/\s+/g, " ").trim().slice(0, 255);
}

export interface ViewOptions {
  zone: OutputZone;
  /** Calendars.ReadBasic: no body. */
  basic: boolean;
  /** `Prefer: outlook.body-content-type="text"`. */
  textBody: boolean;
  /** Preferences honoured, for the Preference-Applied header. */
  applied: string[];
}

/** Reads `Prefer`; without a time zone preference, times show in `fallbackZone` (else UTC). */
export function viewFor(prefer: string | undefined, basic: boolean, fallbackZone?: string): ViewOptions {
  let zone = preferredZone(prefer);
  const fallback = fallbackZone ? resolveZone(fallbackZone) : undefined;
  if (!zone.preferred && fallbackZone && fallback) zone = { name: fallbackZone, iana: fallback, preferred: false };
  const textBody = /outlook\.body-content-type\s*=\s*"?text"?/i.test(prefer ?? "");
  const applied = [
    ...(zone.preferred ? [`outlook.timezone="${zone.name}"`] : []),
    ...(textBody ? ['outlook.body-content-type="text"'] : []),
  ];
  return { zone, basic, textBody, applied };
}

function showTime(event: EventRecord, which: "start" | "end", instant: number, zone: OutputZone): DateTimeTimeZone {
  if (!event.isAllDay) return dateTimeIn(instant, zone);
  return { dateTime: `${event[which].dateTime.slice(0, 10)}T00:00:00.0000000`, timeZone: zone.name };
}

/** The wire shape of an event, in Graph's property order. */
export function presentEvent(event: EventRecord, view: ViewOptions): Record<string, unknown> {
  const span = spanOf(event, view.zone.iana);
  const changeKey = opaqueId(`ck:${event.id}:${event.lastModifiedDateTime}`).slice(4, 44);
  const wire: Record<string, unknown> = {
    "@odata.etag": `W/"${changeKey}"`,
    id: event.id,
    createdDateTime: event.createdDateTime,
    lastModifiedDateTime: event.lastModifiedDateTime,
    changeKey,
    categories: event.categories,
    transactionId: event.transactionId,
    originalStartTimeZone: event.start.timeZone,
    originalEndTimeZone: event.end.timeZone,
    iCalUId: event.iCalUId,
    uid: event.iCalUId,
    reminderMinutesBeforeStart: event.reminderMinutesBeforeStart,
    isReminderOn: event.isReminderOn,
    hasAttachments: false,
    subject: event.subject,
    bodyPreview: bodyPreview(event.body),
    importance: event.importance,
    sensitivity: event.sensitivity,
    isAllDay: event.isAllDay,
    isCancelled: event.isCancelled,
    isOrganizer: event.isOrganizer,
    responseRequested: event.responseRequested,
    seriesMasterId: event.seriesMasterId,
    showAs: event.showAs,
    type: event.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: event.isOnlineMeeting,
    onlineMeetingProvider: event.onlineMeetingProvider,
    allowNewTimeProposals: event.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: false,
    responseStatus: event.responseStatus,
    body:
      view.textBody && event.body.contentType === "html" ? { contentType: "text", content: htmlToText(event.body.content) } : event.body,
    start: showTime(event, "start", span.start, view.zone),
    end: showTime(event, "end", span.end, view.zone),
    location: event.location,
    locations: event.locations,
    recurrence: event.recurrence,
    attendees: event.attendees,
    organizer: event.organizer,
    onlineMeeting: event.onlineMeeting,
  };
  if (event.originalStart) wire.originalStart = event.originalStart;
  if (view.basic) {
    delete wire.body;
    delete wire.bodyPreview;
  }
  return wire;
}
