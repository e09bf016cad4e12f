import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { mailboxAccess, mailboxOwner } from "../mailbox-access";
import { GRAPH_ERRORS, graphError } from "../errors";
import { listResponse, QUERY_RULES, selectFields } from "../odata";
import { opaqueId } from "../random";
import { DAY_MS, parseInstant } from "../timezones";
import {
  applyEventInput,
  CancelInput,
  EventInput,
  MeetingTimesInput,
  normaliseTime,
  readBody,
  ResponseInput,
  ScheduleInput,
} from "./input";
import { type EventRecord, newICalUId, presentEvent, type ResponseType, type ViewOptions, viewFor } from "./model";
import { findOccurrence, instancesIn, seriesInstances } from "./recurrence";
import { findMeetingTimes, schedule } from "./schedule";
import { baseEvent, onlineMeetingFor, ownerAddress, seedCalendar } from "./seed";
import { deliver, reportResponse, type TenantCalendars } from "./sync";

/**
 * @module
 * Graph v1.0 calendar, mounted at `/me` and at `/users/{id | address}` for
 * shared and delegated calendars (../mailbox-access.ts): the default calendar, its events
 * and calendar view (recurring series expanded), meeting responses and
 * cancellation, free/busy and meeting-time suggestions. Data is per user
 * (seeded on first use); meetings between users of one tenant are delivered
 * to each other's calendars.
 */
const READ = ["Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"];
const WRITE = ["Calendars.ReadWrite"];
// Microsoft documents findMeetingTimes with the .Shared permissions only.
const FIND_TIMES = ["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"];
const canRead = mailboxAccess("calendar", "read", READ);
const canWrite = mailboxAccess("calendar", "write", WRITE);
const canFindTimes = mailboxAccess("calendar", "read", FIND_TIMES);

type C = Context<GraphEnv>;
const notFound = () => GRAPH_ERRORS.notFound("The specified object was not found in the store.");
const invalidParameter = (message: string) => graphError(400, "ErrorInvalidParameter", message);

function calendars(c: C): TenantCalendars {
  const { tenant } = c.get("caller");
  const graph = c.get("graph");
  return {
    tenant,
    now: Date.now(),
    storeOf: (user) => graph.forUser("calendar", tenant.tenantId, user, (owner, day) => seedCalendar(tenant.tenantId, owner, day)),
  };
}
/** The calendar the request addresses: the caller's own (`/me`), or a shared one the route's guard let through. */
const myStore = (c: C) => calendars(c).storeOf(mailboxOwner(c));

/** Response options from the Prefer header and the token's scopes; sets Preference-Applied. */
function view(c: C, fallbackZone?: string): ViewOptions {
  const scopesHeld = c.get("caller").scopes;
  const full = ["Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"];
  const result = viewFor(c.req.header("prefer"), !full.some((scope) => scopesHeld.has(scope)), fallbackZone);
  if (result.applied.length) c.header("Preference-Applied", result.applied.join(", "));
  return result;
}

/** Query parameters are matched case-insensitively, as Graph does for startDateTime. */
function queryParam(c: C, name: string): string | undefined {
  for (const [key, value] of new URL(c.req.url).searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

function timeWindow(c: C): { from: number; to: number } | Response {
  const values: number[] = [];
  for (const name of ["startDateTime", "endDateTime"]) {
    const text = queryParam(c, name);
    if (!text)
      return invalidParameter(
        `The value of the parameter '${name}' is missing. This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.`,
      );
    const instant = parseInstant(text, "UTC");
    if (instant === undefined) return invalidParameter(`The value '${text}' of the parameter '${name}' is not a valid date and time.`);
    values.push(instant);
  }
  const [from = 0, to = 0] = values;
  if (to < from) return invalidParameter("The parameter 'endDateTime' must be later than 'startDateTime'.");
  return { from, to };
}

/** Guards /me/calendars/{calendarId}/…: only the default calendar exists. */
function wrongCalendar(c: C): Response | undefined {
  const id = c.req.param("calendarId");
  return id !== undefined && id !== myStore(c).calendarId ? notFound() : undefined;
}

function findEvent(c: C): EventRecord | undefined {
  const events = myStore(c).events;
  const id = c.req.param("id") ?? "";
  return events.get(id) ?? findOccurrence(events, id);
}

/** An occurrence becomes an exception once it is changed or answered. */
function materialise(c: C, event: EventRecord): EventRecord {
  if (event.type !== "occurrence") return event;
  const exception: EventRecord = { ...event, type: "exception" };
  myStore(c).events.set(exception.id, exception);
  return exception;
}

function presentCalendar(c: C) {
  const store = myStore(c);
  return {
    id: store.calendarId,
    name: "Calendar",
    color: "auto",
    hexColor: "",
    isDefaultCalendar: true,
    changeKey: opaqueId(`calendar-ck:${store.calendarId}`).slice(4, 44),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ["teamsForBusiness"],
    defaultOnlineMeetingProvider: "teamsForBusiness",
    isTallyingResponses: true,
    isRemovable: false,
    owner: store.owner,
  };
}

/** Removes an event (or one occurrence) and, for an organizer, tells the invitees. */
function removeEvent(c: C, event: EventRecord, comment?: string): void {
  const ctx = calendars(c);
  const user = mailboxOwner(c);
  const events = myStore(c).events;
  if (event.isOrganizer) {
    const exceptions = event.type === "seriesMaster" ? [...events.values()].filter((e) => e.seriesMasterId === event.id) : [];
    for (const cancelled of [...exceptions, event]) deliver(ctx, user, cancelled, { cancelled: true, comment });
  }
  const master = event.seriesMasterId ? events.get(event.seriesMasterId) : undefined;
  if (master && event.occurrenceDate) {
    master.cancelledDates = [...(master.cancelledDates ?? []), event.occurrenceDate];
    if (event.isOrganizer) deliver(ctx, user, master);
  }
  events.delete(event.id);
  if (event.type === "seriesMaster") for (const other of events.values()) if (other.seriesMasterId === event.id) events.delete(other.id);
}

const RESPONSES: Record<string, ResponseType> = { accept: "accepted", decline: "declined", tentativelyAccept: "tentativelyAccepted" };

async function respond(c: C, action: string): Promise<Response> {
  const found = findEvent(c);
  if (!found) return notFound();
  const input = await readBody(c, ResponseInput, true);
  if (input instanceof Response) return input;
  if (found.isOrganizer)
    return graphError(
      400,
      "ErrorInvalidRequest",
      "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.",
    );
  if (action === "accept" && input.proposedNewTime)
    return GRAPH_ERRORS.badRequest("Invalid request body: proposedNewTime: not allowed when accepting.");
  const response = RESPONSES[action] ?? "accepted";
  const ctx = calendars(c);
  const user = mailboxOwner(c);
  const target = materialise(c, found);
  const related =
    target.type === "seriesMaster" ? [...myStore(c).events.values()].filter((e) => e.seriesMasterId === target.id && !e.isCancelled) : [];
  for (const event of [target, ...related]) {
    event.responseStatus = { response, time: new Date(ctx.now).toISOString() };
    event.showAs = response === "accepted" ? "busy" : response === "declined" ? "free" : "tentative";
    for (const attendee of event.attendees) {
      if ([user.mail, user.userPrincipalName].some((a) => a?.toLowerCase() === attendee.emailAddress.address.toLowerCase()))
        attendee.status = event.responseStatus;
    }
  }
  if (input.sendResponse !== false) reportResponse(ctx, user, target, response);
  return c.body(null, 202);
}

const EVENTS = ["/events", "/calendar/events", "/calendars/:calendarId/events"];
const VIEWS = ["/calendarView", "/calendar/calendarView", "/calendars/:calendarId/calendarView"];

export const calendarRoutes = new Hono<GraphEnv>()
  .get("/calendars", canRead, (c) => listResponse(c, [presentCalendar(c)], QUERY_RULES.outlook))
  .on(
    "GET",
    ["/calendar", "/calendars/:calendarId"],
    canRead,
    (c) => wrongCalendar(c) ?? c.json(selectFields(presentCalendar(c), c.req.query("$select"))),
  )
  .on("GET", EVENTS, canRead, (c) => {
    const refused = wrongCalendar(c);
    if (refused) return refused;
    const options = view(c);
    const events = [...myStore(c).events.values()].filter((e) => e.type === "singleInstance" || e.type === "seriesMaster");
    return listResponse(
      c,
      events.map((e) => presentEvent(e, options)),
      { ...QUERY_RULES.outlook, maxTop: 1000 },
    );
  })
  .on("GET", VIEWS, canRead, (c) => {
    const refused = wrongCalendar(c);
    if (refused) return refused;
    const window = timeWindow(c);
    if (window instanceof Response) return window;
    const options = view(c);
    const instances = instancesIn(myStore(c).events, window.from, window.to, options.zone.iana);
    return listResponse(
      c,
      instances.map((i) => presentEvent(i.event, options)),
      { ...QUERY_RULES.outlook, maxTop: 1000 },
    );
  })
  .get("/events/:id/instances", canRead, (c) => {
    const master = findEvent(c);
    if (!master) return notFound();
    const window = timeWindow(c);
    if (window instanceof Response) return window;
    const options = view(c);
    const exceptions = [...myStore(c).events.values()].filter((e) => e.type === "exception" && e.seriesMasterId === master.id);
    const found = seriesInstances(master, exceptions, window.from, window.to, options.zone.iana).sort((a, b) => a.start - b.start);
    return listResponse(
      c,
      found.map((i) => presentEvent(i.event, options)),
      { ...QUERY_RULES.outlook, maxTop: 1000 },
    );
  })
  .on("GET", ["/events/:id", "/calendar/events/:id"], canRead, (c) => {
    const event = findEvent(c);
    return event ? c.json(selectFields(presentEvent(event, view(c)), c.req.query("$select"))) : notFound();
  })
  .on("POST", EVENTS, canWrite, async (c) => {
    const refused = wrongCalendar(c);
    if (refused) return refused;
    const input = await readBody(c, EventInput);
    if (input instanceof Response) return input;
    if (!input.start || !input.end)
      return graphError(
        400,
        "ErrorPropertyValidationFailure",
        "At least one property failed validation: an event needs both start and end.",
      );
    const { tenant } = c.get("caller");
    const user = mailboxOwner(c);
    const store = myStore(c);
    const repeat = input.transactionId ? [...store.events.values()].find((e) => e.transactionId === input.transactionId) : undefined;
    if (repeat) return c.json(presentEvent(repeat, view(c, repeat.start.timeZone)), 201);
    const now = Date.now();
    const id = opaqueId(`event:${tenant.tenantId}:${user.oid}:${crypto.randomUUID()}`);
    const event = baseEvent(id, newICalUId(`${tenant.tenantId}:${id}`), now, ownerAddress(user), true);
    const error = applyEventInput(event, input, { now, newMeeting: () => onlineMeetingFor(Math.random, tenant.tenantId, user.oid) });
    if (error) return error;
    store.events.set(id, event);
    deliver(calendars(c), user, event);
    return c.json(presentEvent(event, view(c, event.start.timeZone)), 201);
  })
  .patch("/events/:id", canWrite, async (c) => {
    const found = findEvent(c);
    if (!found) return notFound();
    const input = await readBody(c, EventInput);
    if (input instanceof Response) return input;
    const { tenant } = c.get("caller");
    const user = mailboxOwner(c);
    const updated = structuredClone(found.type === "occurrence" ? { ...found, type: "exception" as const } : found);
    const error = applyEventInput(updated, input, {
      now: Date.now(),
      newMeeting: () => onlineMeetingFor(Math.random, tenant.tenantId, user.oid),
    });
    if (error) return error;
    myStore(c).events.set(updated.id, updated);
    if (updated.isOrganizer) {
      const kept = new Set(updated.attendees.map((a) => a.emailAddress.address.toLowerCase()));
      const removed = found.attendees.map((a) => a.emailAddress.address).filter((a) => !kept.has(a.toLowerCase()));
      if (removed.length) deliver(calendars(c), user, found, { cancelled: true, only: removed });
      deliver(calendars(c), user, updated);
    }
    return c.json(presentEvent(updated, view(c, updated.start.timeZone)));
  })
  .delete("/events/:id", canWrite, (c) => {
    const found = findEvent(c);
    if (!found) return notFound();
    removeEvent(c, found);
    return c.body(null, 204);
  })
  .post("/events/:id/cancel", canWrite, async (c) => {
    const found = findEvent(c);
    if (!found) return notFound();
    const input = await readBody(c, CancelInput, true);
    if (input instanceof Response) return input;
    if (!found.isOrganizer)
      return graphError(400, "ErrorAccessDenied", "Your request can't be completed. You need to be an organizer to cancel a meeting.");
    removeEvent(c, found, input.comment ?? input.Comment);
    return c.body(null, 202);
  })
  .post("/events/:id/accept", canWrite, (c) => respond(c, "accept"))
  .post("/events/:id/decline", canWrite, (c) => respond(c, "decline"))
  .post("/events/:id/tentativelyAccept", canWrite, (c) => respond(c, "tentativelyAccept"))
  .post("/calendar/getSchedule", canRead, async (c) => {
    const input = await readBody(c, ScheduleInput);
    if (input instanceof Response) return input;
    if (input.schedules.length > 20) return invalidParameter("The number of schedules requested exceeds the limit of 20.");
    const from = normaliseTime(input.startTime);
    const to = normaliseTime(input.endTime);
    if (from instanceof Response) return from;
    if (to instanceof Response) return to;
    const window = { from: parseInstant(from.dateTime, from.timeZone) ?? 0, to: parseInstant(to.dateTime, to.timeZone) ?? 0 };
    if (window.to <= window.from) return invalidParameter("The start time must be before the end time.");
    if (window.to - window.from >= 62 * DAY_MS) return invalidParameter("The requested time window must be shorter than 62 days.");
    const value = schedule(calendars(c), {
      addresses: input.schedules,
      ...window,
      interval: input.availabilityViewInterval,
      zone: view(c).zone,
    });
    return c.json({
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`,
      value,
    });
  })
  .post("/findMeetingTimes", canFindTimes, async (c) => {
    const input = await readBody(c, MeetingTimesInput);
    if (input instanceof Response) return input;
    const given = input.timeConstraint?.timeslots ?? input.timeConstraint?.timeSlots;
    const slots: { start: number; end: number }[] = [];
    for (const slot of given ?? []) {
      const start = normaliseTime(slot.start);
      const end = normaliseTime(slot.end);
      if (start instanceof Response) return start;
      if (end instanceof Response) return end;
      slots.push({ start: parseInstant(start.dateTime, start.timeZone) ?? 0, end: parseInstant(end.dateTime, end.timeZone) ?? 0 });
    }
    if (!given?.length) {
      const from = Math.ceil(Date.now() / 1_800_000) * 1_800_000;
      slots.push({ start: from, end: from + 2 * DAY_MS });
    }
    if (slots.some((s) => s.end <= s.start))
      return GRAPH_ERRORS.badRequest("Invalid request body: timeConstraint: each time slot must end after it starts.");
    const result = findMeetingTimes(calendars(c), mailboxOwner(c), input, slots, view(c).zone);
    return c.json({
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult`,
      ...result,
    });
  });
