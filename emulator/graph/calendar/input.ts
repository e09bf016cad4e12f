import type { Context } from "hono";
import { z } from "zod";
import { readGraphBody } from "../body";
import { GRAPH_ERRORS, graphError } from "../errors";
import { formatWall, fromWall, parseInstant, parseWall, resolveZone, toWall } from "../timezones";
import { withTeamsBlock } from "./content";
import { type AttendeeRecord, DAYS, type EventRecord, emptyLocation, type LocationRecord, NO_TIME, type RecurrenceRecord } from "./model";

/**
 * @module
 * Request bodies of the calendar endpoints, parsed with zod. Graph reads
 * enum values case-insensitively ("HTML", "High"), so these do too; unknown
 * properties are refused as Graph refuses them.
 */
function ci<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((value, ctx): T[number] => {
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (found === undefined) ctx.addIssue({ code: "custom", message: `must be one of ${values.join(", ")}` });
    return found ?? values[0];
  });
}

export const DateTimeTz = z.strictObject({ dateTime: z.string().min(1).max(40), timeZone: z.string().max(100).optional() });
const Email = z.strictObject({ address: z.string().min(3).max(320), name: z.string().max(256).optional() });
const Location = z.strictObject({
  displayName: z.string().max(255).optional(),
  locationType: z.string().max(50).optional(),
  locationUri: z.string().max(2048).optional(),
  locationEmailAddress: z.string().max(320).optional(),
  uniqueId: z.string().max(255).optional(),
  uniqueIdType: z.string().max(50).optional(),
  address: z.record(z.string(), z.string().max(255)).optional(),
  coordinates: z.record(z.string(), z.number()).optional(),
});
const Recurrence = z.strictObject({
  pattern: z.strictObject({
    type: ci(["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"]),
    interval: z.number().int().min(1).max(999).default(1),
    month: z.number().int().min(0).max(12).default(0),
    dayOfMonth: z.number().int().min(0).max(31).default(0),
    daysOfWeek: z.array(ci(DAYS)).max(7).default([]),
    firstDayOfWeek: ci(DAYS).default("sunday"),
    index: ci(["first", "second", "third", "fourth", "last"]).default("first"),
  }),
  range: z.strictObject({
    type: ci(["endDate", "noEnd", "numbered"]),
    startDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    endDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    recurrenceTimeZone: z.string().max(100).optional(),
    numberOfOccurrences: z.number().int().min(0).max(999).default(0),
  }),
});

export const EventInput = z
  .strictObject({
    subject: z.string().max(255),
    body: z.strictObject({ contentType: ci(["text", "html"]).default("text"), content: z.string().max(1_000_000) }),
    start: DateTimeTz,
    end: DateTimeTz,
    isAllDay: z.boolean(),
    location: Location,
    locations: z.array(Location).max(50),
    attendees: z
      .array(
        z.strictObject({
          emailAddress: Email,
          type: ci(["required", "optional", "resource"]).default("required"),
          status: z.unknown().optional(),
        }),
      )
      .max(500),
    isOnlineMeeting: z.boolean(),
    onlineMeetingProvider: ci(["teamsForBusiness", "skypeForBusiness", "skypeForConsumer", "unknown"]),
    importance: ci(["low", "normal", "high"]),
    sensitivity: ci(["normal", "personal", "private", "confidential"]),
    showAs: ci(["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"]),
    recurrence: Recurrence.nullable(),
    categories: z.array(z.string().max(255)).max(25),
    reminderMinutesBeforeStart: z.number().int().min(0).max(525_600),
    isReminderOn: z.boolean(),
    responseRequested: z.boolean(),
    allowNewTimeProposals: z.boolean(),
    hideAttendees: z.boolean(),
    transactionId: z.string().max(100),
  })
  .partial();
export type EventPatch = z.infer<typeof EventInput>;

export const ResponseInput = z.strictObject({
  comment: z.string().max(10_000).optional(),
  Comment: z.string().max(10_000).optional(),
  sendResponse: z.boolean().optional(),
  proposedNewTime: z.strictObject({ start: DateTimeTz, end: DateTimeTz }).optional(),
});

// POST /me/events/{id}/cancel
export const CancelInput = z.strictObject({ comment: z.string().max(10_000).optional(), Comment: z.string().max(10_000).optional() });

// POST /me/calendar/getSchedule
export const ScheduleInput = z.strictObject({
  schedules: z.array(z.string().min(1).max(320)).min(1),
  startTime: DateTimeTz,
  endTime: DateTimeTz,
  availabilityViewInterval: z.number().int().min(5).max(1440).default(30),
});

// POST /me/findMeetingTimes
const Attendee = z.strictObject({
  type: z
    .string()
    .transform((t) => (["required", "optional", "resource"].includes(t.toLowerCase()) ? t.toLowerCase() : "required"))
    .default("required"),
  emailAddress: z.strictObject({ address: z.string().min(3).max(320), name: z.string().max(256).optional() }),
});
const Slot = z.strictObject({ start: DateTimeTz, end: DateTimeTz });
export const MeetingTimesInput = z.strictObject({
  attendees: z.array(Attendee).max(100).default([]),
  locationConstraint: z
    .object({ locations: z.array(z.object({ displayName: z.string().max(255).optional() }).loose()).optional() })
    .loose()
    .optional(),
  timeConstraint: z
    .strictObject({
      activityDomain: z
        .string()
        .transform((d) => d.toLowerCase())
        .default("work"),
      timeslots: z.array(Slot).max(50).optional(),
      timeSlots: z.array(Slot).max(50).optional(),
    })
    .optional(),
  meetingDuration: z
    .string()
    .regex(/^P(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/i, "must be an ISO 8601 duration such as PT1H")
    .default("PT30M"),
  maxCandidates: z.number().int().min(1).max(1000).optional(),
  isOrganizerOptional: z.boolean().default(false),
  returnSuggestionReasons: z.boolean().default(false),
  minimumAttendeePercentage: z.number().min(0).max(100).default(50),
});

/** Parses an event-related JSON body as Graph does (`readGraphBody`), naming the event type for unknown properties. */
export function readBody<T>(c: Context, schema: z.ZodType<T>, emptyOk = false): Promise<T | Response> {
  return readGraphBody(c, schema, emptyOk, "microsoft.graph.event");
}

export const timeZoneError = (name: string) =>
  graphError(
    400,
    "TimeZoneNotSupportedException",
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`,
  );
export const validationError = (message = "At least one property failed validation.") =>
  graphError(400, "ErrorPropertyValidationFailure", message);

/** A dateTimeTimeZone as stored: wall-clock text in a supported zone. */
export function normaliseTime(input: z.infer<typeof DateTimeTz>): { dateTime: string; timeZone: string } | Response {
  const zone = input.timeZone?.trim() || "UTC";
  const iana = resolveZone(zone);
  if (!iana) return timeZoneError(zone);
  const instant = parseInstant(input.dateTime, zone);
  if (instant === undefined)
    return GRAPH_ERRORS.badRequest(`Cannot convert the literal '${input.dateTime}' to the expected type 'Edm.DateTimeOffset'.`);
  return { dateTime: formatWall(parseWall(input.dateTime) ?? toWall(iana, instant)), timeZone: zone };
}

function location(input: z.infer<typeof Location>): LocationRecord {
  const base = emptyLocation(input.displayName ?? "");
  return {
    ...base,
    ...(input.locationType ? { locationType: input.locationType } : {}),
    ...(input.address ? { address: input.address } : {}),
  };
}

export interface ApplyContext {
  now: number;
  /** Creates the Teams meeting when isOnlineMeeting is turned on. */
  newMeeting: () => NonNullable<EventRecord["onlineMeeting"]>;
}

/** Applies a create/update body to `event`; a Response when the result is invalid. */
export function applyEventInput(event: EventRecord, input: EventPatch, context: ApplyContext): Response | undefined {
  for (const key of [
    "subject",
    "importance",
    "sensitivity",
    "showAs",
    "categories",
    "reminderMinutesBeforeStart",
    "isReminderOn",
    "responseRequested",
    "allowNewTimeProposals",
    "transactionId",
    "isAllDay",
    "onlineMeetingProvider",
  ] as const) {
    if (input[key] !== undefined) Object.assign(event, { [key]: input[key] });
  }
  if (input.body) event.body = { contentType: input.body.contentType, content: input.body.content };
  for (const which of ["start", "end"] as const) {
    const value = input[which];
    if (!value) continue;
    const time = normaliseTime(value);
    if (time instanceof Response) return time;
    event[which] = time;
  }
  if (input.location) {
    event.location = location(input.location);
    if (!input.locations) event.locations = event.location.displayName ? [event.location] : [];
  }
  if (input.locations) {
    event.locations = input.locations.map(location);
    if (!input.location)
      event.location = emptyLocation(
        event.locations
          .map((l) => l.displayName)
          .filter(Boolean)
          .join("; "),
      );
  }
  if (input.attendees) {
    const previous = new Map(event.attendees.map((a) => [a.emailAddress.address.toLowerCase(), a]));
    event.attendees = input.attendees.map((a): AttendeeRecord => ({
      type: a.type,
      status: previous.get(a.emailAddress.address.toLowerCase())?.status ?? { response: "none", time: NO_TIME },
      emailAddress: { name: a.emailAddress.name ?? a.emailAddress.address, address: a.emailAddress.address },
    }));
  }
  if (input.recurrence !== undefined) {
    if (event.type === "occurrence" || event.type === "exception")
      return validationError("The recurrence of an occurrence or exception cannot be set.");
    event.recurrence = input.recurrence ? recurrence(input.recurrence, event) : null;
    event.type = event.recurrence ? "seriesMaster" : "singleInstance";
  }
  if (event.recurrence && !event.recurrence.range.startDate) event.recurrence.range.startDate = event.start.dateTime.slice(0, 10);
  if (input.isOnlineMeeting === true && !event.onlineMeeting) {
    event.isOnlineMeeting = true;
    if (event.onlineMeetingProvider === "unknown") event.onlineMeetingProvider = "teamsForBusiness";
    event.onlineMeeting = context.newMeeting();
    if (event.body.contentType === "html")
      event.body.content = withTeamsBlock(event.body.content, event.onlineMeeting.joinUrl, event.onlineMeeting.conferenceId);
    if (!event.location.displayName) {
      event.location = emptyLocation("Microsoft Teams Meeting");
      event.locations = [event.location];
    }
  } else if (input.isOnlineMeeting === false) {
    event.isOnlineMeeting = false;
    event.onlineMeeting = null;
  }
  event.lastModifiedDateTime = new Date(context.now).toISOString();
  return validateTimes(event);
}

function recurrence(input: z.infer<typeof Recurrence>, event: EventRecord): RecurrenceRecord {
  return {
    pattern: { ...input.pattern },
    range: {
      type: input.range.type,
      startDate: input.range.startDate ?? event.start.dateTime.slice(0, 10),
      endDate: input.range.endDate ?? "0001-01-01",
      recurrenceTimeZone: input.range.recurrenceTimeZone ?? event.start.timeZone,
      numberOfOccurrences: input.range.numberOfOccurrences,
    },
  };
}

function validateTimes(event: EventRecord): Response | undefined {
  const startZone = resolveZone(event.start.timeZone);
  const endZone = resolveZone(event.end.timeZone);
  const startWall = parseWall(event.start.dateTime);
  const endWall = parseWall(event.end.dateTime);
  if (!startZone || !endZone || startWall === undefined || endWall === undefined) return validationError();
  if (event.isAllDay) {
    if (startWall % 86_400_000 !== 0 || endWall % 86_400_000 !== 0 || endWall <= startWall) {
      return validationError(
        "Your request can't be completed. If the event is an all-day event, its start and end must be at midnight and its end after its start.",
      );
    }
  } else if (fromWall(endZone, endWall) <= fromWall(startZone, startWall)) {
    return validationError();
  }
  const pattern = event.recurrence?.pattern;
  const range = event.recurrence?.range;
  if (pattern && range) {
    const bad =
      (pattern.type === "weekly" && pattern.daysOfWeek.length === 0) ||
      (pattern.type.startsWith("relative") && pattern.daysOfWeek.length === 0) ||
      (pattern.type.startsWith("absolute") && pattern.dayOfMonth === 0) ||
      (pattern.type.endsWith("Yearly") && pattern.month === 0) ||
      (range.type === "numbered" && range.numberOfOccurrences < 1) ||
      (range.type === "endDate" && (range.endDate === "0001-01-01" || range.endDate < range.startDate));
    if (bad) return validationError("The recurrence pattern or range is not valid.");
  }
  return undefined;
}
