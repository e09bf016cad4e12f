import { describe, expect, it } from "vitest";
import { eventLine, recurrenceSummary, scheduleLine, suggestionLine } from "../src/graph/format/events";
import {
  eventTimes,
  formatDateTime,
  formatInstantRange,
  formatOffset,
  formatRange,
  isoDuration,
  offsetMinutes,
  parseTimeInput,
  resolveTimeInput,
  resolveZone,
  startOfToday,
  toGraphDateTime,
  UTC_ZONE,
} from "../src/graph/format/time";

/** Time-zone arithmetic and the text calendar tools print, without Graph. */
const berlin = { name: "W. Europe Standard Time", iana: "Europe/Berlin" };
const newYork = { name: "Eastern Standard Time", iana: "America/New_York" };

describe("time zones by Windows or IANA name", () => {
  it("maps Windows names case-insensitively and keeps Outlook's spelling for Graph", () => {
    expect(resolveZone("w. europe standard time")).toEqual(berlin);
    expect(resolveZone("Tokyo Standard Time")).toEqual({ name: "Tokyo Standard Time", iana: "Asia/Tokyo" });
    expect(resolveZone("India Standard Time")?.iana).toBe("Asia/Kolkata");
    expect(resolveZone("tzone://Microsoft/Utc")).toEqual(UTC_ZONE);
  });

  it("accepts IANA names and sends them under their Windows name when one exists", () => {
    expect(resolveZone("Europe/Berlin")).toEqual(berlin);
    expect(resolveZone("America/New_York")).toEqual(newYork);
    expect(resolveZone("Asia/Calcutta")?.name).toBe("India Standard Time");
    expect(resolveZone("America/Boise")).toEqual({ name: "America/Boise", iana: "America/Boise" });
  });

  it("refuses unknown zones and strings that are not zone names", () => {
    for (const name of ["Mars/Olympus_Mons", "Not A Zone Standard Time", "../etc", ""]) expect(resolveZone(name)).toBeUndefined();
  });

  it("computes offsets with DST, including half-hour zones and southern summers", () => {
    expect(offsetMinutes("Europe/Berlin", Date.UTC(2026, 6, 1))).toBe(120);
    expect(offsetMinutes("Europe/Berlin", Date.UTC(2026, 11, 1))).toBe(60);
    expect(offsetMinutes("America/New_York", Date.UTC(2026, 10, 25))).toBe(-300);
    expect(offsetMinutes("Asia/Kolkata", Date.UTC(2026, 0, 1))).toBe(330);
    expect(offsetMinutes("Australia/Sydney", Date.UTC(2026, 0, 1))).toBe(660);
    expect(formatOffset(-300)).toBe("-05:00");
    expect(formatOffset(330)).toBe("+05:30");
  });
});

describe("user-typed times", () => {
  it("parses dates, local date-times and date-times with offsets", () => {
    expect(parseTimeInput("2026-11-25")).toEqual({ wall: Date.UTC(2026, 10, 25), dateOnly: true });
    expect(parseTimeInput("2026-11-25T09:30")).toEqual({ wall: Date.UTC(2026, 10, 25, 9, 30), dateOnly: false });
    expect(parseTimeInput("2026-11-25T09:30:00+05:30")).toMatchObject({ offsetMinutes: 330 });
    expect(parseTimeInput("2026-11-25T09:30:00.123Z")).toMatchObject({ offsetMinutes: 0 });
  });

  it("refuses impossible dates and malformed text", () => {
    for (const text of ["2026-02-30", "2026-13-01", "2026-11-25T24:00", "25/11/2026", "tomorrow", "2026-11-25T09:00+15:00"]) {
      expect(parseTimeInput(text), text).toBeUndefined();
    }
  });

  it("reads a time without offset in the zone, and a date alone as an end covers that day", () => {
    const local = parseTimeInput("2026-11-25T09:00");
    const day = parseTimeInput("2026-11-25");
    if (!local || !day) throw new Error("unparsed");
    expect(new Date(resolveTimeInput(local, berlin)).toISOString()).toBe("2026-11-25T08:00:00.000Z");
    expect(new Date(resolveTimeInput(day, berlin, true)).toISOString()).toBe("2026-11-25T23:00:00.000Z");
    const explicit = parseTimeInput("2026-11-25T09:00:00-05:00");
    if (!explicit) throw new Error("unparsed");
    expect(new Date(resolveTimeInput(explicit, berlin)).toISOString()).toBe("2026-11-25T14:00:00.000Z");
  });

  it("moves a time inside the spring-forward gap to after it", () => {
    const gap = parseTimeInput("2026-03-29T02:30");
    if (!gap) throw new Error("unparsed");
    expect(formatDateTime(toGraphDateTime(resolveTimeInput(gap, berlin), berlin), berlin)).toBe("2026-03-29 03:30 +02:00");
  });

  it("finds local midnight", () => {
    expect(new Date(startOfToday(newYork, Date.UTC(2026, 10, 25, 3))).toISOString()).toBe("2026-11-24T05:00:00.000Z");
  });
});

describe("Graph dateTimeTimeZone values as text", () => {
  it("shows a Graph value in the user's zone with its offset, converting from another zone", () => {
    expect(formatDateTime({ dateTime: "2026-11-25T09:00:00.0000000", timeZone: "W. Europe Standard Time" }, berlin)).toBe(
      "2026-11-25 09:00 +01:00",
    );
    expect(formatDateTime({ dateTime: "2026-11-25T08:00:00.0000000", timeZone: "UTC" }, berlin)).toBe("2026-11-25 09:00 +01:00");
    expect(formatDateTime({ dateTime: "2026-07-01T08:00:00.0000000", timeZone: "UTC" }, berlin)).toBe("2026-07-01 10:00 +02:00");
  });

  it("formats ranges with weekday, across midnight and across a DST change", () => {
    const range = (a: string, b: string, zone = berlin) =>
      formatRange({ dateTime: a, timeZone: "UTC" }, { dateTime: b, timeZone: "UTC" }, zone);
    expect(range("2026-11-25T08:00:00", "2026-11-25T08:30:00")).toBe("Wed 2026-11-25 09:00–09:30 +01:00");
    expect(range("2026-11-25T22:00:00", "2026-11-26T00:30:00")).toBe("Wed 2026-11-25 23:00 +01:00 – Thu 2026-11-26 01:30 +01:00");
    expect(range("2026-10-24T23:00:00", "2026-10-25T03:00:00")).toBe("Sun 2026-10-25 01:00 +02:00 – 04:00 +01:00");
    expect(range("2026-10-30T13:00:00", "2026-10-30T14:00:00", newYork)).toBe("Fri 2026-10-30 09:00–10:00 -04:00");
    expect(range("2026-11-02T14:00:00", "2026-11-02T15:00:00", newYork)).toBe("Mon 2026-11-02 09:00–10:00 -05:00");
  });

  it("shows all-day events by their dates, the exclusive end made inclusive", () => {
    const day = (d: string) => ({ dateTime: `${d}T00:00:00.0000000`, timeZone: "W. Europe Standard Time" });
    expect(formatRange(day("2026-11-25"), day("2026-11-26"), berlin, true)).toBe("Wed 2026-11-25 all day");
    expect(formatRange(day("2026-11-25"), day("2026-11-28"), berlin, true)).toBe("Wed 2026-11-25 – Fri 2026-11-27 all day");
  });

  it("builds Graph start/end for timed and all-day events", () => {
    const start = Date.UTC(2026, 10, 25, 8);
    expect(eventTimes(start, start + 1_800_000, berlin, false)).toEqual({
      start: { dateTime: "2026-11-25T09:00:00", timeZone: "W. Europe Standard Time" },
      end: { dateTime: "2026-11-25T09:30:00", timeZone: "W. Europe Standard Time" },
    });
    expect(eventTimes(Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26), berlin, true).end).toEqual({
      dateTime: "2026-11-26T00:00:00",
      timeZone: "W. Europe Standard Time",
    });
    expect([isoDuration(30), isoDuration(60), isoDuration(90)]).toEqual(["PT30M", "PT1H", "PT1H30M"]);
  });

  it("writes a duration of zero minutes as PT0M, not a bare PT", () => {
    expect(isoDuration(0)).toBe("PT0M");
  });

  it("keeps formatInstantRange short when the offset is the same", () => {
    expect(formatInstantRange(Date.UTC(2026, 10, 25, 8), Date.UTC(2026, 10, 25, 9), UTC_ZONE)).toBe("Wed 2026-11-25 08:00–09:00 +00:00");
  });
});

describe("event, free/busy and suggestion lines", () => {
  const base = {
    id: "AAMkEvent=",
    subject: "Design review",
    start: { dateTime: "2026-11-25T08:00:00.0000000", timeZone: "UTC" },
    end: { dateTime: "2026-11-25T08:30:00.0000000", timeZone: "UTC" },
  };

  it("prints organizer and response only for other people's meetings, and a Teams marker instead of Teams' location", () => {
    expect(
      eventLine({ ...base, isOrganizer: true, location: { displayName: "Room 4" }, responseStatus: { response: "organizer" } }, berlin),
    ).toBe("Wed 2026-11-25 09:00–09:30 +01:00 · Design review · Room 4 · id: AAMkEvent=");
    const invited = {
      ...base,
      isOrganizer: false,
      organizer: { emailAddress: { name: "Ada Lovelace", address: "ada@x.example" } },
      responseStatus: { response: "tentativelyAccepted" },
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      location: { displayName: "Microsoft Teams Meeting" },
      isCancelled: true,
    };
    expect(eventLine(invited, berlin)).toBe(
      "Wed 2026-11-25 09:00–09:30 +01:00 · Design review · organizer: Ada Lovelace · you: tentative · Teams · cancelled · id: AAMkEvent=",
    );
  });

  it("summarises recurrence patterns", () => {
    expect(
      recurrenceSummary({
        pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday", "friday"] },
        range: { type: "noEnd", startDate: "2026-09-07" },
      }),
    ).toBe("weekly on Mon, Fri from 2026-09-07");
    expect(
      recurrenceSummary({
        pattern: { type: "weekly", interval: 2, daysOfWeek: ["tuesday"] },
        range: { type: "endDate", startDate: "2026-09-01", endDate: "2027-01-01" },
      }),
    ).toBe("every 2 weeks on Tue from 2026-09-01 until 2027-01-01");
    expect(
      recurrenceSummary({
        pattern: { type: "absoluteMonthly", interval: 1, dayOfMonth: 15 },
        range: { type: "numbered", numberOfOccurrences: 12 },
      }),
    ).toBe("monthly on day 15, 12 times");
    expect(
      recurrenceSummary({ pattern: { type: "relativeYearly", interval: 1, daysOfWeek: ["thursday"], index: "fourth", month: 11 } }),
    ).toBe("yearly on the fourth Thu of Nov");
  });

  it("merges overlapping busy blocks, falls back to the availability view, and reports unknown people", () => {
    const item = (status: string, from: string, to: string) => ({
      status,
      start: { dateTime: from, timeZone: "UTC" },
      end: { dateTime: to, timeZone: "UTC" },
    });
    const schedule = {
      scheduleId: "ada@x.example",
      scheduleItems: [
        item("busy", "2026-11-25T08:00:00", "2026-11-25T09:00:00"),
        item("busy", "2026-11-25T08:30:00", "2026-11-25T09:30:00"),
        item("tentative", "2026-11-25T13:00:00", "2026-11-25T13:30:00"),
      ],
    };
    const windowStart = Date.UTC(2026, 10, 25, 8);
    expect(scheduleLine(schedule, berlin, windowStart, 30)).toBe(
      "ada@x.example: busy Wed 2026-11-25 09:00–10:30 +01:00; tentative Wed 2026-11-25 14:00–14:30 +01:00",
    );
    expect(scheduleLine({ scheduleId: "bo@x.example", availabilityView: "0220" }, berlin, windowStart, 30)).toBe(
      "bo@x.example: busy Wed 2026-11-25 09:30–10:30 +01:00",
    );
    expect(scheduleLine({ scheduleId: "cy@x.example", availabilityView: "0000", scheduleItems: [] }, berlin, windowStart, 30)).toBe(
      "cy@x.example: free",
    );
    expect(scheduleLine({ scheduleId: "far@y.example", error: { message: "Unable to resolve" } }, berlin, windowStart, 30)).toBe(
      "far@y.example: unknown (Unable to resolve)",
    );
  });

  it("lists suggestions with confidence and who is not free", () => {
    const slot = { start: { dateTime: "2026-11-25T09:00:00", timeZone: "UTC" }, end: { dateTime: "2026-11-25T09:30:00", timeZone: "UTC" } };
    const attendee = (address: string, availability: string) => ({ attendee: { emailAddress: { address } }, availability });
    expect(
      suggestionLine(
        { confidence: 100, organizerAvailability: "free", attendeeAvailability: [attendee("a@x", "free")], meetingTimeSlot: slot },
        berlin,
      ),
    ).toBe("Wed 2026-11-25 10:00–10:30 +01:00 · 100% · all free");
    expect(
      suggestionLine(
        {
          confidence: 50,
          organizerAvailability: "free",
          attendeeAvailability: [attendee("a@x", "tentative"), attendee("b@y", "unknown")],
          meetingTimeSlot: slot,
        },
        berlin,
      ),
    ).toBe("Wed 2026-11-25 10:00–10:30 +01:00 · 50% · tentative: a@x; unknown: b@y");
  });
});
