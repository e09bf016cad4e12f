import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { opaqueId, pick, seededRandom } from "../random";
import { DAY_MS, formatWall, fromWall, resolveZone } from "../timezones";
import { ALL_DAY, htmlBody, MEETINGS, peopleFor, ROOMS, withTeamsBlock } from "./content";
import {
  type AttendeeRecord,
  type CalendarStore,
  DAYS,
  type EmailAddress,
  type EventRecord,
  emptyLocation,
  NO_TIME,
  newICalUId,
  occurrenceId,
  type RecurrenceRecord,
  type ResponseType,
} from "./model";
import { isoDate, occurrenceOf } from "./recurrence";

/**
 * @module
 * A user's seeded calendar, deterministic per tenant and user, laid out
 * around the seed day (today, UTC): about sixty events over the past and
 * next thirty days in mixed zones, all-day events, Teams meetings, and
 * recurring series (a weekday stand-up, a weekly 1:1, a fortnightly sync,
 * a monthly review) with one moved and one cancelled occurrence.
 */
const SINGLE_EVENTS = 52;

/** A Teams joinUrl and conference id; `random` makes seeded ones stable. */
export function onlineMeetingFor(random: () => number, tenantId: string, organizerOid: string): NonNullable<EventRecord["onlineMeeting"]> {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const thread = Array.from({ length: 48 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  const context = encodeURIComponent(JSON.stringify({ Tid: tenantId, Oid: organizerOid }));
  const conferenceId = Array.from({ length: 12 }, () => Math.floor(random() * 10)).join("");
  return {
    joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0?context=${context}`,
    conferenceId,
    tollNumber: "+1 323-555-0150",
  };
}

export function ownerAddress(user: EmulatedUser): EmailAddress {
  return { name: user.displayName, address: user.mail || user.userPrincipalName };
}

/** The fields every new record starts with; callers override the rest. */
export function baseEvent(id: string, iCalUId: string, createdAt: number, organizer: EmailAddress, isOrganizer: boolean): EventRecord {
  const created = new Date(createdAt).toISOString();
  return {
    id,
    iCalUId,
    createdDateTime: created,
    lastModifiedDateTime: created,
    transactionId: null,
    categories: [],
    subject: "",
    body: { contentType: "html", content: "" },
    importance: "normal",
    sensitivity: "normal",
    isAllDay: false,
    isCancelled: false,
    isOrganizer,
    isReminderOn: true,
    reminderMinutesBeforeStart: 15,
    responseRequested: true,
    allowNewTimeProposals: true,
    showAs: "busy",
    type: "singleInstance",
    seriesMasterId: null,
    recurrence: null,
    start: { dateTime: formatWall(createdAt), timeZone: "UTC" },
    end: { dateTime: formatWall(createdAt), timeZone: "UTC" },
    location: emptyLocation(),
    locations: [],
    attendees: [],
    organizer: { emailAddress: organizer },
    isOnlineMeeting: false,
    onlineMeetingProvider: "unknown",
    onlineMeeting: null,
    responseStatus: isOrganizer ? { response: "organizer", time: created } : { response: "notResponded", time: NO_TIME },
  };
}

/**
 * A user's calendar: events around `seedDay` (UTC midnight of the seed date);
 * created, modified and response stamps before `historyEnd(seedDay)`. Draws
 * are keyed by the user's oid alone, so a user with a fixed oid gets the same
 * calendar in every tenant and on every seed date.
 */
export function seedCalendar(tenantId: string, user: EmulatedUser, seedDay: number): CalendarStore {
  const random = seededRandom(`calendar:${user.oid}`);
  const now = historyEnd(seedDay);
  const today = Math.floor(seedDay / DAY_MS);
  const me = ownerAddress(user);
  const { colleagues, partners } = peopleFor(me.address.split("@")[1] ?? "example.com");
  const ownZone = user.timeZone && resolveZone(user.timeZone) ? user.timeZone : "UTC";
  const zones = [ownZone, ownZone, "Pacific Standard Time", "Eastern Standard Time", "India Standard Time", "UTC"];
  const events = new Map<string, EventRecord>();
  let serial = 0;

  const attendee = (who: EmailAddress, response: ResponseType, type: AttendeeRecord["type"] = "required"): AttendeeRecord => ({
    type,
    status: {
      response,
      time: response === "none" || response === "notResponded" ? NO_TIME : new Date(now - Math.floor(random() * 5 * DAY_MS)).toISOString(),
    },
    emailAddress: who,
  });
  const someResponse = (): ResponseType =>
    pick(random, ["accepted", "accepted", "accepted", "tentativelyAccepted", "declined", "none"] as const);

  /** One record; `day` and `minutes` are wall-clock in `zone`. */
  function make(spec: {
    subject: string;
    note: string;
    zone: string;
    day: number;
    minutes: number;
    duration: number;
    allDayDays?: number;
    organizer?: EmailAddress;
    guests: EmailAddress[];
    online: boolean;
    room?: string;
  }): EventRecord {
    const id = opaqueId(`event:${tenantId}:${user.oid}:${serial++}`);
    const iana = resolveZone(spec.zone) ?? "UTC";
    const startWall = spec.day * DAY_MS + (spec.allDayDays ? 0 : spec.minutes * 60_000);
    const endWall = spec.allDayDays ? startWall + spec.allDayDays * DAY_MS : startWall + spec.duration * 60_000;
    const startInstant = fromWall(iana, startWall);
    const created = Math.min(now - 3_600_000, startInstant - Math.floor((2 + random() * 20) * DAY_MS));
    const organizer = spec.organizer ?? me;
    const isOrganizer = organizer.address === me.address;
    const event = baseEvent(id, newICalUId(`${tenantId}:${user.oid}:${id}`), created, organizer, isOrganizer);
    event.subject = spec.subject;
    event.start = { dateTime: formatWall(startWall), timeZone: spec.zone };
    event.end = { dateTime: formatWall(endWall), timeZone: spec.zone };
    event.isAllDay = Boolean(spec.allDayDays);
    event.importance = random() < 0.1 ? "high" : "normal";
    event.sensitivity = random() < 0.05 ? "private" : "normal";
    event.categories = random() < 0.2 ? [pick(random, ["Blue category", "Green category", "Orange category"])] : [];
    const guests = spec.guests.filter((g) => g.address !== me.address && g.address !== organizer.address);
    event.attendees = guests.map((g) => attendee(g, isOrganizer ? someResponse() : "none", random() < 0.2 ? "optional" : "required"));
    if (!isOrganizer) {
      const mine = pick(random, ["accepted", "accepted", "accepted", "tentativelyAccepted", "notResponded"] as const);
      event.responseStatus =
        mine === "notResponded" ? { response: mine, time: NO_TIME } : { response: mine, time: new Date(created + 3_600_000).toISOString() };
      event.attendees.push(attendee(me, mine === "notResponded" ? "none" : mine));
      event.showAs = mine === "accepted" ? "busy" : "tentative";
    }
    const paragraphs = [spec.note, isOrganizer ? "Thanks," : `Thanks, ${organizer.name.split(" ")[0]}`];
    event.body = { contentType: "html", content: htmlBody(paragraphs) };
    if (spec.room) {
      event.location = emptyLocation(spec.room);
      event.locations = [event.location];
    }
    if (spec.online) {
      event.isOnlineMeeting = true;
      event.onlineMeetingProvider = "teamsForBusiness";
      event.onlineMeeting = onlineMeetingFor(random, tenantId, user.oid);
      event.body.content = withTeamsBlock(event.body.content, event.onlineMeeting.joinUrl, event.onlineMeeting.conferenceId);
      if (!spec.room) {
        event.location = emptyLocation("Microsoft Teams Meeting");
        event.locations = [event.location];
      }
    }
    events.set(id, event);
    return event;
  }

  for (let n = 0; n < SINGLE_EVENTS; n++) {
    const day = today + Math.floor(random() * 61) - 30;
    const guests = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, random() < 0.75 ? colleagues : partners));
    const unique = [...new Map(guests.map((g) => [g.address, g])).values()];
    const external = random() < 0.5 ? pick(random, random() < 0.7 ? colleagues : partners) : undefined;
    if (random() < 0.1) {
      const [subject, showAs] = pick(random, ALL_DAY);
      const event = make({
        subject,
        note: `${subject}.`,
        zone: ownZone,
        day,
        minutes: 0,
        duration: 0,
        allDayDays: 1 + Math.floor(random() * 2),
        guests: showAs === "oof" ? [] : unique,
        online: false,
      });
      event.showAs = showAs;
      event.isReminderOn = false;
      continue;
    }
    const [subject, note] = pick(random, MEETINGS);
    const online = random() < 0.45;
    make({
      subject,
      note,
      zone: pick(random, zones),
      day,
      minutes: (8 + Math.floor(random() * 9)) * 60 + pick(random, [0, 0, 30]),
      duration: pick(random, [30, 30, 45, 60, 60, 90]),
      organizer: external,
      guests: unique,
      online,
      room: online && random() < 0.7 ? undefined : pick(random, ROOMS),
    });
  }

  // Recurring series: the master starts on its first occurrence.
  const lead = colleagues[0] ?? me;
  const manager = colleagues[1] ?? me;
  const nextOn = (from: number, dow: number) => from + ((dow - ((from + 4) % 7) + 7) % 7);
  const series = (master: EventRecord, pattern: Partial<RecurrenceRecord["pattern"]>, range: Partial<RecurrenceRecord["range"]>) => {
    master.type = "seriesMaster";
    master.recurrence = {
      pattern: {
        type: "weekly",
        interval: 1,
        month: 0,
        dayOfMonth: 0,
        daysOfWeek: [],
        firstDayOfWeek: "sunday",
        index: "first",
        ...pattern,
      },
      range: {
        type: "noEnd",
        startDate: master.start.dateTime.slice(0, 10),
        endDate: "0001-01-01",
        recurrenceTimeZone: master.start.timeZone,
        numberOfOccurrences: 0,
        ...range,
      },
    };
    return master;
  };
  const standup = series(
    make({
      subject: "Daily stand-up",
      note: "Fifteen minutes: yesterday, today, blockers. Keep it short.",
      zone: ownZone,
      day: nextOn(today - 60, 1),
      minutes: 9 * 60 + 30,
      duration: 15,
      organizer: lead,
      guests: colleagues.slice(0, 6),
      online: true,
    }),
    { daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"] },
    {},
  );
  const oneOnOne = series(
    make({
      subject: `1:1 ${me.name.split(" ")[0]} / ${manager.name.split(" ")[0]}`,
      note: "Standing 1:1. Agenda lives in our shared notes.",
      zone: ownZone,
      day: nextOn(today - 56, 4),
      minutes: 14 * 60,
      duration: 30,
      guests: [manager],
      online: true,
    }),
    { daysOfWeek: ["thursday"] },
    { type: "endDate", endDate: isoDate(today + 120) },
  );
  const reviewDay = today - 75;
  series(
    make({
      subject: "Monthly business review",
      note: "Numbers, pipeline and hiring. Slides are due the day before.",
      zone: "Eastern Standard Time",
      day: reviewDay,
      minutes: 11 * 60,
      duration: 60,
      organizer: partners[1],
      guests: [...colleagues.slice(2, 5), ...partners.slice(0, 2)],
      online: true,
    }),
    { type: "absoluteMonthly", dayOfMonth: new Date(reviewDay * DAY_MS).getUTCDate() },
    { type: "numbered", numberOfOccurrences: 12 },
  );
  series(
    make({
      subject: "Architecture sync",
      note: "Fortnightly: decisions log, open RFCs, platform health.",
      zone: "Pacific Standard Time",
      day: nextOn(today - 40, 2),
      minutes: 8 * 60,
      duration: 45,
      organizer: colleagues[3],
      guests: colleagues.slice(3, 8),
      online: true,
    }),
    { daysOfWeek: ["tuesday"], interval: 2, firstDayOfWeek: "monday" },
    { type: "endDate", endDate: isoDate(today + 90) },
  );

  // One cancelled stand-up and one moved 1:1, as exceptions.
  const exceptionOf = (master: EventRecord, day: number, change: (e: EventRecord) => void) => {
    const date = isoDate(day);
    const exception: EventRecord = {
      ...occurrenceOf(master, date),
      type: "exception",
      occurrenceDate: date,
      id: occurrenceId(master.id, date),
    };
    change(exception);
    events.set(exception.id, exception);
  };
  const weekday = DAYS.indexOf("wednesday");
  exceptionOf(standup, nextOn(today + 2, weekday), (e) => {
    e.isCancelled = true;
    e.subject = `Canceled: ${e.subject}`;
    e.showAs = "free";
  });
  exceptionOf(oneOnOne, nextOn(today + 1, 4), (e) => {
    e.start = { ...e.start, dateTime: e.start.dateTime.replace("T14:00", "T15:30") };
    e.end = { ...e.end, dateTime: e.end.dateTime.replace("T14:30", "T16:00") };
    e.lastModifiedDateTime = new Date(now - DAY_MS).toISOString();
  });
  return { calendarId: opaqueId(`calendar:${tenantId}:${user.oid}`), owner: me, events };
}
