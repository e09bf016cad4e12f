import { z } from "zod";
import type { GraphRequest } from "../client";
import { graphPath } from "../path";
import {
  type CalendarEvent,
  EMPTY_SUGGESTIONS_REASON,
  EVENT_DETAIL_SELECT,
  EVENT_LINE_SELECT,
  eventDetails,
  eventLine,
} from "../format/events";
import { type MeetingTimeSuggestion, type ScheduleInformation, scheduleLine, suggestionLine } from "../format/events";
import { toRecipients } from "../format/people";
import {
  DAY_MS,
  dayOfInput,
  eventTimes,
  formatInstant,
  formatInstantRange,
  fromWall,
  instantOf,
  isoDuration,
  parseTimeInput,
  parseWall,
} from "../format/time";
import { resolveTimeInput, resolveZone, startOfToday, toGraphDateTime, toWall, utcQueryTime, UTC_ZONE, type Zone } from "../format/time";
import {
  cursorField,
  emailField,
  idField,
  inMailbox,
  integerField,
  limitField,
  listPage,
  mailboxBase,
  mailboxInput,
  offsetField,
  type Page,
  recipientsField,
  textField,
} from "./common";
import { CREATE, DELETE, defineTool, expectOk, READ, type ToolContext, ToolError, UPDATE } from "./types";

/** @module Outlook calendar: the user's events, meeting responses, free/busy and meeting-time suggestions. */

// The .Shared forms reach a shared or delegated calendar (`mailbox`).
const CALENDAR_READ = ["Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"];
const CALENDAR_WRITE = ["Calendars.ReadWrite", "Calendars.ReadWrite.Shared"];
// Microsoft documents findMeetingTimes with the .Shared permissions only.
const CALENDAR_SHARED = ["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"];
// Writes may send invitations, updates, cancellations or responses to other people.
const NOTIFIES = { openWorldHint: true };
// getSchedule allows windows shorter than 62 days.
const MAX_SCHEDULE_DAYS = 62;

const eventId = idField("event");
const TIME_FORMAT = "expected an ISO date or date-time, e.g. 2026-11-25 or 2026-11-25T09:00";
const time = z
  .string()
  .trim()
  .max(40)
  .refine((text) => parseTimeInput(text) !== undefined, TIME_FORMAT);
const TIME_HELP = "ISO date or date-time; without offset, in timeZone";
const zoneName = z
  .string()
  .trim()
  .max(100)
  .refine((name) => resolveZone(name) !== undefined, "unknown time zone; use e.g. Europe/Berlin");
const timeZoneField = zoneName.optional().describe("IANA or Windows zone; default your mailbox zone.");
const subject = textField(255, { expected: "a subject" });
const location = textField(255);
const bodyField = textField(100_000, { verbatim: true }).describe("Plain text.");
const commentField = textField(10_000, { verbatim: true });
const attendeesField = recipientsField.describe('"a@b.com" or "Name <a@b.com>"');

function invalidArgument(field: string, message: string): ToolError {
  return new ToolError(`Invalid arguments: ${field}: ${message}`);
}

/** The requested zone, else the mailbox's; a mailbox zone this gateway cannot evaluate falls back to UTC. */
async function zoneFor(ctx: ToolContext, requested: string | undefined): Promise<Zone> {
  return resolveZone(requested ?? (await ctx.timeZone())) ?? UTC_ZONE;
}

/** Graph answers in this zone, so dates it computes (all-day, calendar view edges) match what is shown. */
const inZone = (zone: Zone) => ({ Prefer: `outlook.timezone="${zone.name}"` });

/** A user-typed time as an instant (a date alone as an end covers that day); all-day: the day, as wall ms at midnight. */
function timeFrom(field: string, text: string, zone: Zone, options: { asEnd?: boolean; allDay?: boolean } = {}): number {
  const parsed = parseTimeInput(text);
  if (!parsed) throw invalidArgument(field, TIME_FORMAT);
  if (options.allDay) return dayOfInput(parsed) + (options.asEnd ? DAY_MS : 0);
  return resolveTimeInput(parsed, zone, options.asEnd);
}

function requireAfter(start: number, end: number, endField: string, startField: string): void {
  if (end <= start) throw invalidArgument(endField, `must be after ${startField}`);
}

/** New start/end for update_event: moving only the start keeps the event's length. */
async function movedTimes(ctx: ToolContext, path: string, zone: Zone, input: { start?: string; end?: string }) {
  const current = expectOk<CalendarEvent>(
    await ctx.graph({ method: "GET", path, query: { $select: "start,end,isAllDay" }, headers: inZone(zone) }),
    "read the event",
  );
  const allDay = current.isAllDay === true;
  const read = allDay ? (value: CalendarEvent["start"]) => parseWall(value?.dateTime ?? "") : instantOf;
  const oldStart = read(current.start) ?? 0;
  const oldEnd = read(current.end) ?? oldStart;
  const newStart = input.start === undefined ? oldStart : timeFrom("start", input.start, zone, { allDay });
  const newEnd = input.end === undefined ? newStart + (oldEnd - oldStart) : timeFrom("end", input.end, zone, { allDay, asEnd: true });
  requireAfter(newStart, newEnd, "end", "start");
  return eventTimes(newStart, newEnd, zone, allDay);
}

function attendeesBody(addresses: readonly string[]) {
  return toRecipients(addresses).map((recipient) => ({ ...recipient, type: "required" }));
}

const RESPONSE_ACTIONS = {
  accept: ["accept", "Accepted"],
  decline: ["decline", "Declined"],
  tentative: ["tentativelyAccept", "Tentatively accepted"],
} as const;

export const calendarTools = [
  defineTool({
    name: "list_events",
    group: "calendar",
    description: "List calendar events in a time window, recurring ones expanded.",
    input: {
      start: time.optional().describe(`${TIME_HELP}; default today.`),
      end: time.optional().describe("Default start + 7 days; a date alone includes that day."),
      timeZone: timeZoneField,
      limit: limitField(100, 50),
      cursor: cursorField,
      mailbox: mailboxInput,
    },
    scopes: CALENDAR_READ,
    annotations: READ,
    audit: { targets: ["mailbox"], options: ["start", "end", "timeZone", "cursor"] },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const zone = await zoneFor(ctx, input.timeZone);
      const from = input.start === undefined ? startOfToday(zone) : timeFrom("start", input.start, zone);
      // Seven calendar days in the zone, not 168 hours, so a DST change does not shift the end by an hour.
      const to =
        input.end === undefined
          ? fromWall(zone.iana, toWall(zone.iana, from) + 7 * DAY_MS)
          : timeFrom("end", input.end, zone, { asEnd: true });
      requireAfter(from, to, "end", "start");
      const first: GraphRequest = {
        method: "GET",
        path: `${mailboxBase(input.mailbox)}/calendarView`,
        query: {
          startDateTime: utcQueryTime(from),
          endDateTime: utcQueryTime(to),
          $select: EVENT_LINE_SELECT,
          $orderby: "start/dateTime",
          $top: String(input.limit),
        },
        headers: inZone(zone),
      };
      const empty = `No events from ${formatInstant(from, zone)} to ${formatInstant(to, zone)}.`;
      return listPage<CalendarEvent>(ctx, first, {
        cursor: input.cursor,
        what: "list your events",
        empty,
        line: (event) => eventLine(event, zone),
      });
    },
  }),
  defineTool({
    name: "get_event",
    group: "calendar",
    description: "Read one event in full: attendees, join link, recurrence, body.",
    input: { id: eventId, offset: offsetField, mailbox: mailboxInput },
    scopes: CALENDAR_READ,
    annotations: READ,
    audit: { targets: ["id", "mailbox"] },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const zone = await zoneFor(ctx, undefined);
      const request: GraphRequest = {
        method: "GET",
        path: mailboxBase(input.mailbox) + graphPath`/events/${input.id}`,
        query: { $select: EVENT_DETAIL_SELECT },
        headers: inZone(zone),
      };
      return eventDetails(expectOk<CalendarEvent>(await ctx.graph(request), "read the event"), zone, input.offset);
    },
  }),
  defineTool({
    name: "create_event",
    group: "calendar",
    description: "Create an event; attendees get invitations.",
    input: {
      subject,
      start: time.describe(`${TIME_HELP}.`),
      end: time.describe("Same form; with allDay, the last day."),
      timeZone: timeZoneField,
      attendees: attendeesField.optional(),
      location: location.optional(),
      body: bodyField.optional(),
      teamsMeeting: z.boolean().optional().describe("Add a Teams meeting."),
      allDay: z.boolean().optional(),
      mailbox: mailboxInput,
    },
    scopes: CALENDAR_WRITE,
    annotations: { ...CREATE, ...NOTIFIES },
    audit: {
      targets: ["mailbox"],
      recipients: ["attendees"],
      text: ["subject", "location", "body"],
      options: ["start", "end", "timeZone"],
      creates: true,
    },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const zone = await zoneFor(ctx, input.timeZone);
      const allDay = input.allDay === true;
      const start = timeFrom("start", input.start, zone, { allDay });
      const end = timeFrom("end", input.end, zone, { allDay, asEnd: true });
      requireAfter(start, end, "end", "start");
      const event: Record<string, unknown> = {
        subject: input.subject,
        ...eventTimes(start, end, zone, allDay),
        isAllDay: allDay,
        // Graph returns the existing event for a repeated transactionId, so a retried POST cannot book twice.
        transactionId: crypto.randomUUID(),
      };
      if (input.location) event.location = { displayName: input.location };
      if (input.body) event.body = { contentType: "text", content: input.body };
      if (input.attendees?.length) event.attendees = attendeesBody(input.attendees);
      if (input.teamsMeeting) Object.assign(event, { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" });
      const path = `${mailboxBase(input.mailbox)}/events`;
      const request: GraphRequest = { method: "POST", path, body: event, headers: inZone(zone), idempotent: true };
      const created = expectOk<CalendarEvent>(await ctx.graph(request), "create the event");
      const invited = (created.attendees ?? []).map((a) => a.emailAddress?.address).filter(Boolean);
      const join = created.onlineMeeting?.joinUrl;
      return [`Created: ${eventLine(created, zone)}`, invited.length ? `Invited: ${invited.join(", ")}` : "", join ? `Join: ${join}` : ""]
        .filter(Boolean)
        .join("\n");
    },
  }),
  defineTool({
    name: "update_event",
    group: "calendar",
    description: "Change an event; moving only the start keeps its length.",
    input: {
      id: eventId,
      subject: subject.optional(),
      start: time.optional().describe(`${TIME_HELP}.`),
      end: time.optional(),
      timeZone: timeZoneField,
      location: location.optional(),
      body: bodyField.optional(),
      attendees: recipientsField.optional().describe("Replaces the attendee list."),
      mailbox: mailboxInput,
    },
    scopes: CALENDAR_WRITE,
    annotations: { ...UPDATE, ...NOTIFIES },
    audit: {
      targets: ["id", "mailbox"],
      recipients: ["attendees"],
      text: ["subject", "location", "body"],
      options: ["start", "end", "timeZone"],
    },
    async run(outer, input) {
      const ctx = inMailbox(outer, input.mailbox);
      const path = mailboxBase(input.mailbox) + graphPath`/events/${input.id}`;
      const zone = await zoneFor(ctx, input.timeZone);
      const patch: Record<string, unknown> = {};
      if (input.subject !== undefined) patch.subject = input.subject;
      if (input.location !== undefined) patch.location = { displayName: input.location };
      if (input.body !== undefined) patch.body = { contentType: "text", content: input.body };
      if (input.attendees !== undefined) patch.attendees = attendeesBody(input.attendees);
      if (input.start !== undefined || input.end !== undefined) Object.assign(patch, await movedTimes(ctx, path, zone, input));
      if (Object.keys(patch).length === 0) throw new ToolError("Nothing to update: give at least one field to change.");
      const request: GraphRequest = {
        method: "PATCH",
        path,
        body: patch,
        headers: inZone(zone),
        idempotent: true,
      };
      return `Updated: ${eventLine(expectOk<CalendarEvent>(await ctx.graph(request), "update the event"), zone)}`;
    },
  }),
  defineTool({
    name: "cancel_event",
    group: "calendar",
    description: "Cancel a meeting you organize and notify its attendees.",
    input: { id: eventId, comment: commentField.optional(), mailbox: mailboxInput },
    scopes: CALENDAR_WRITE,
    annotations: { ...DELETE, ...NOTIFIES },
    audit: { targets: ["id", "mailbox"], text: ["comment"] },
    async run(ctx, input) {
      const body = input.comment ? { comment: input.comment } : {};
      const path = mailboxBase(input.mailbox) + graphPath`/events/${input.id}/cancel`;
      const response = await inMailbox(ctx, input.mailbox).graph({ method: "POST", path, body });
      // Graph refuses a non-organizer with 400 ErrorAccessDenied ("You need to be an organizer…"); a plain 403
      // ErrorAccessDenied is a permission the organization has not granted, and keeps expectOk's hint for that.
      const notOrganizer =
        !response.ok && response.code === "ErrorAccessDenied" && (response.status === 400 || /organizer/i.test(response.message));
      if (notOrganizer) {
        throw new ToolError(
          "Could not cancel the meeting: only its organizer can cancel it.",
          "Use respond_to_event to decline it, or delete_event to remove it from your calendar.",
        );
      }
      expectOk(response, "cancel the meeting");
      return `Cancelled; attendees were notified. id: ${input.id}`;
    },
  }),
  defineTool({
    name: "delete_event",
    group: "calendar",
    description: "Delete an event.",
    input: { id: eventId, mailbox: mailboxInput },
    scopes: CALENDAR_WRITE,
    annotations: { ...DELETE, ...NOTIFIES },
    audit: { targets: ["id", "mailbox"] },
    async run(ctx, input) {
      const path = mailboxBase(input.mailbox) + graphPath`/events/${input.id}`;
      expectOk(await inMailbox(ctx, input.mailbox).graph({ method: "DELETE", path }), "delete the event");
      return `Deleted event ${input.id}`;
    },
  }),
  defineTool({
    name: "respond_to_event",
    group: "calendar",
    description: "Accept, tentatively accept or decline a meeting invitation.",
    input: {
      id: eventId,
      response: z.enum(["accept", "decline", "tentative"]),
      comment: commentField.optional(),
      sendResponse: z.boolean().default(true).describe("Notify the organizer."),
      mailbox: mailboxInput,
    },
    scopes: CALENDAR_WRITE,
    annotations: { ...UPDATE, ...NOTIFIES },
    audit: { targets: ["id", "mailbox"], text: ["comment"] },
    async run(ctx, input) {
      const [action, done] = RESPONSE_ACTIONS[input.response];
      const body = { sendResponse: input.sendResponse, ...(input.comment ? { comment: input.comment } : {}) };
      // Answering the same way twice has the same effect, so a 503 may be retried.
      const path = `${mailboxBase(input.mailbox)}${graphPath`/events/${input.id}`}/${action}`;
      const request: GraphRequest = { method: "POST", path, body, idempotent: true };
      expectOk(await inMailbox(ctx, input.mailbox).graph(request), "respond to the invitation");
      return `${done}${input.sendResponse ? "; the organizer was notified" : " without notifying the organizer"}. id: ${input.id}`;
    },
  }),
  defineTool({
    name: "get_free_busy",
    group: "calendar",
    description: "Show when people are busy in a time window.",
    input: {
      emails: z.array(emailField).min(1, "expected at least one address").max(20, "at most 20 addresses"),
      start: time.describe(`${TIME_HELP}.`),
      end: time,
      intervalMinutes: integerField(5, 1440).default(30),
    },
    scopes: CALENDAR_READ,
    annotations: READ,
    audit: { targets: ["emails"], options: ["start", "end"] },
    async run(ctx, input) {
      const zone = await zoneFor(ctx, undefined);
      const from = timeFrom("start", input.start, zone);
      const to = timeFrom("end", input.end, zone, { asEnd: true });
      requireAfter(from, to, "end", "start");
      if (to - from >= MAX_SCHEDULE_DAYS * DAY_MS)
        throw invalidArgument("end", `the window must be shorter than ${MAX_SCHEDULE_DAYS} days`);
      const body = {
        schedules: input.emails,
        startTime: toGraphDateTime(from, zone),
        endTime: toGraphDateTime(to, zone),
        availabilityViewInterval: input.intervalMinutes,
      };
      // A read sent as POST: safe to retry.
      const request: GraphRequest = { method: "POST", path: "/me/calendar/getSchedule", body, headers: inZone(zone), idempotent: true };
      const schedules = expectOk<Page<ScheduleInformation>>(await ctx.graph(request), "read free/busy").value ?? [];
      const lines = schedules.map((schedule) => scheduleLine(schedule, zone, from, input.intervalMinutes));
      return [`Busy times ${formatInstantRange(from, to, zone)}:`, ...lines].join("\n");
    },
  }),
  defineTool({
    name: "find_meeting_times",
    group: "calendar",
    description: "Suggest working-hours slots when you and the attendees are free.",
    input: {
      attendees: z.array(emailField).min(1, "expected at least one attendee").max(20, "at most 20 attendees"),
      durationMinutes: integerField(5, 1440),
      windowStart: time.describe(`${TIME_HELP}.`),
      windowEnd: time,
      maxCandidates: integerField(1, 20).default(5),
    },
    scopes: CALENDAR_SHARED,
    annotations: READ,
    audit: { targets: ["attendees"], options: ["windowStart", "windowEnd"] },
    async run(ctx, input) {
      const zone = await zoneFor(ctx, undefined);
      const from = timeFrom("windowStart", input.windowStart, zone);
      const to = timeFrom("windowEnd", input.windowEnd, zone, { asEnd: true });
      requireAfter(from, to, "windowEnd", "windowStart");
      if (to - from < input.durationMinutes * 60_000) throw invalidArgument("windowEnd", "the window is shorter than the meeting");
      const body = {
        attendees: input.attendees.map((address) => ({ type: "required", emailAddress: { address } })),
        timeConstraint: { activityDomain: "work", timeSlots: [{ start: toGraphDateTime(from, zone), end: toGraphDateTime(to, zone) }] },
        meetingDuration: isoDuration(input.durationMinutes),
        maxCandidates: input.maxCandidates,
      };
      const request: GraphRequest = { method: "POST", path: "/me/findMeetingTimes", body, headers: inZone(zone), idempotent: true };
      const result = expectOk<{ emptySuggestionsReason?: string; meetingTimeSuggestions?: MeetingTimeSuggestion[] }>(
        await ctx.graph(request),
        "find meeting times",
      );
      const suggestions = result.meetingTimeSuggestions ?? [];
      if (suggestions.length === 0) {
        const reason = EMPTY_SUGGESTIONS_REASON[result.emptySuggestionsReason ?? ""] ?? EMPTY_SUGGESTIONS_REASON.unknown;
        return `No suggestions: ${reason}. Try a wider window, a shorter meeting or fewer attendees.`;
      }
      return suggestions.map((suggestion) => suggestionLine(suggestion, zone)).join("\n");
    },
  }),
];
