import { describe, expect, it } from "vitest";
import { EMULATOR, graph, graphToken, signedInUser } from "../helpers/emulator";
import { seedInstant, writeDay } from "../helpers/seed-date";

/** Events these tests write go in the year of writeDay(0): ahead of the real clock and of the seeded weeks. */
const Y = Number(writeDay(0).slice(0, 4));
/** A Monday weeks after the first write day, and the days after it. */
const pairing = (days: number) => writeDay(21 + days);
/** A Tuesday: a working day, as findMeetingTimes' work domain needs. */
const workTuesday = writeDay(22);
/** The first Monday of `month` (1–12) in year Y, `YYYY-MM-DD`. */
function firstMonday(month: number): string {
  const first = new Date(Date.UTC(Y, month - 1, 1));
  first.setUTCDate(1 + ((8 - first.getUTCDay()) % 7));
  return first.toISOString().slice(0, 10);
}

/** The emulated Graph calendar: events, calendar view, meetings between users, free/busy. */
interface Wire {
  id: string;
  iCalUId: string;
  type: string;
  subject: string;
  seriesMasterId: string | null;
  isOrganizer: boolean;
  isCancelled: boolean;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  responseStatus: { response: string; time: string };
  attendees: { type: string; status: { response: string }; emailAddress: { address: string } }[];
  onlineMeeting: { joinUrl: string } | null;
  body?: { contentType: string; content: string };
  bodyPreview?: string;
  recurrence: unknown;
}
interface Page {
  value: Wire[];
  "@odata.nextLink"?: string;
}

const RW = ["Calendars.ReadWrite"];
const json = async <T = Wire>(response: Response): Promise<T> => (await response.json()) as T;
const view = (from: string, to: string, extra = "") => `/me/calendarView?startDateTime=${from}&endDateTime=${to}${extra}`;
const meeting = (subject: string, start: string, end: string, timeZone: string, extra: Record<string, unknown> = {}) => ({
  subject,
  start: { dateTime: start, timeZone },
  end: { dateTime: end, timeZone },
  ...extra,
});

async function create(token: string, body: unknown): Promise<Wire> {
  const response = await graph(token, "/me/events", { json: body });
  expect(response.status).toBe(201);
  return json(response);
}

/** Follows @odata.nextLink to the end, returning every page. */
async function allPages(token: string, path: string, headers: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined = path;
  while (next) {
    const response = await graph(token, next, { headers });
    expect(response.status).toBe(200);
    const page: Page = await json(response);
    pages.push(page);
    next = page["@odata.nextLink"]?.slice(`${EMULATOR()}/v1.0`.length);
  }
  return pages;
}

describe("emulated Graph calendar: events and calendar view", () => {
  it("seeds about sixty events with recurring series, an exception and a cancelled occurrence", async () => {
    const { token } = await signedInUser(RW);
    const events: Page = await json(await graph(token, "/me/events?$top=1000"));
    expect(events.value.length).toBeGreaterThanOrEqual(50);
    expect(events.value.every((e) => e.type === "singleInstance" || e.type === "seriesMaster")).toBe(true);
    expect(events.value.filter((e) => e.type === "seriesMaster").length).toBeGreaterThanOrEqual(3);
    expect(new Set(events.value.map((e) => e.start.timeZone))).toEqual(new Set(["UTC"]));
    const from = seedInstant(-31);
    const to = seedInstant(31);
    const instances = (await allPages(token, view(from, to, "&$top=1000"))).flatMap((p) => p.value);
    expect(instances.some((e) => e.type === "exception" && e.isCancelled)).toBe(true);
    expect(instances.some((e) => e.type === "exception" && !e.isCancelled)).toBe(true);
    expect(instances.filter((e) => e.type === "occurrence").length).toBeGreaterThan(20);
    expect(instances.find((e) => e.onlineMeeting)?.onlineMeeting?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
  });

  it("expands a week of recurring occurrences in start order, paged with nextLink", async () => {
    const { token } = await signedInUser(RW);
    const series = await create(
      token,
      meeting("Pairing block", `${pairing(0)}T10:00:00`, `${pairing(0)}T11:00:00`, "UTC", {
        recurrence: {
          pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday", "wednesday", "friday"] },
          range: { type: "noEnd", startDate: `${pairing(0)}` },
        },
      }),
    );
    expect(series.type).toBe("seriesMaster");
    await create(token, meeting("Dentist", `${pairing(2)}T08:00:00`, `${pairing(2)}T09:00:00`, "UTC"));
    const pages = await allPages(token, view(`${pairing(0)}T00:00:00Z`, `${pairing(7)}T00:00:00Z`, "&$top=2"));
    const items = pages.flatMap((p) => p.value).filter((e) => ["Pairing block", "Dentist"].includes(e.subject));
    expect(pages.length).toBeGreaterThan(1);
    expect(items.map((e) => [e.subject, e.start.dateTime])).toEqual([
      ["Pairing block", `${pairing(0)}T10:00:00.0000000`],
      ["Dentist", `${pairing(2)}T08:00:00.0000000`],
      ["Pairing block", `${pairing(2)}T10:00:00.0000000`],
      ["Pairing block", `${pairing(4)}T10:00:00.0000000`],
    ]);
    const occurrences = items.filter((e) => e.subject === "Pairing block");
    expect(occurrences.every((e) => e.type === "occurrence" && e.seriesMasterId === series.id)).toBe(true);
    const all = pages.flatMap((p) => p.value).map((e) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`));
    expect(all).toEqual([...all].sort((a, b) => a - b));
    // An occurrence id resolves on its own.
    const one = await graph(token, `/me/events/${encodeURIComponent(occurrences[1]?.id ?? "")}`);
    expect((await json(one)).start.dateTime).toBe(`${pairing(2)}T10:00:00.0000000`);
  });

  it("shows 09:00 Berlin in Pacific time across the US and EU daylight-saving switches", async () => {
    const { token } = await signedInUser(RW);
    await create(
      token,
      meeting("Berlin sync", `${Y}-03-04T09:00:00`, `${Y}-03-04T09:30:00`, "W. Europe Standard Time", {
        recurrence: { pattern: { type: "daily", interval: 1 }, range: { type: "endDate", startDate: `${Y}-03-04`, endDate: `${Y}-04-05` } },
      }),
    );
    const pacific = { prefer: 'outlook.timezone="Pacific Standard Time"' };
    const at = async (day: string, headers: Record<string, string>) => {
      const response = await graph(token, view(`${day}T00:00:00Z`, `${day}T23:59:59Z`, "&$filter=subject eq 'Berlin sync'"), { headers });
      return { response, event: (await json<Page>(response)).value[0] };
    };
    // Both on standard time: UTC-8 vs UTC+1.
    const before = await at(`${Y}-03-06`, pacific);
    expect(before.response.headers.get("preference-applied")).toBe('outlook.timezone="Pacific Standard Time"');
    expect(before.event?.start).toEqual({ dateTime: `${Y}-03-06T00:00:00.0000000`, timeZone: "Pacific Standard Time" });
    // US on daylight time (from the second Sunday of March), Europe not yet (from the last).
    expect((await at(`${Y}-03-20`, pacific)).event?.start.dateTime).toBe(`${Y}-03-20T01:00:00.0000000`);
    // Both on daylight time.
    expect((await at(`${Y}-04-03`, pacific)).event?.start.dateTime).toBe(`${Y}-04-03T00:00:00.0000000`);
    // IANA names work too; without a preference Graph answers in UTC.
    expect((await at(`${Y}-04-03`, { prefer: 'outlook.timezone="America/Los_Angeles"' })).event?.start.timeZone).toBe(
      "America/Los_Angeles",
    );
    const utc = await at(`${Y}-04-03`, {});
    expect(utc.response.headers.get("preference-applied")).toBeNull();
    expect(utc.event?.start).toEqual({ dateTime: `${Y}-04-03T07:00:00.0000000`, timeZone: "UTC" });
  });

  it("answers 400 ErrorInvalidParameter naming a missing time window parameter", async () => {
    const { token } = await signedInUser(RW);
    const noStart = await graph(token, `/me/calendarView?endDateTime=${Y}-01-02T00:00:00Z`);
    expect(noStart.status).toBe(400);
    const body = await json<{ error: { code: string; message: string } }>(noStart);
    expect(body.error.code).toBe("ErrorInvalidParameter");
    expect(body.error.message).toContain("startDateTime");
    const noEnd = await graph(token, `/me/calendarView?startDateTime=${Y}-01-01T00:00:00Z`);
    expect((await json<{ error: { message: string } }>(noEnd)).error.message).toContain("endDateTime");
  });

  it("creates, reads, updates and deletes an event with a Teams meeting", async () => {
    const { token } = await signedInUser(RW);
    const created = await create(
      token,
      meeting("Vendor review", `${Y}-01-12T10:00:00`, `${Y}-01-12T11:00:00`, "Eastern Standard Time", {
        body: { contentType: "HTML", content: "<p>Agenda <b>attached</b></p>" },
        attendees: [{ emailAddress: { address: "ana@partner.example", name: "Ana" }, type: "required" }],
        isOnlineMeeting: true,
        onlineMeetingProvider: "teamsForBusiness",
      }),
    );
    expect(created).toMatchObject({ type: "singleInstance", isOrganizer: true, responseStatus: { response: "organizer" } });
    expect(created.start).toEqual({ dateTime: `${Y}-01-12T10:00:00.0000000`, timeZone: "Eastern Standard Time" });
    expect(created.onlineMeeting?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(created.attendees[0]).toMatchObject({
      type: "required",
      status: { response: "none" },
      emailAddress: { address: "ana@partner.example" },
    });
    const read = await json(await graph(token, `/me/events/${created.id}`));
    expect(read.start).toEqual({ dateTime: `${Y}-01-12T15:00:00.0000000`, timeZone: "UTC" });
    const patched = await graph(token, `/me/events/${created.id}`, {
      method: "PATCH",
      json: { subject: "Vendor review (moved)", end: { dateTime: `${Y}-01-12T11:30:00`, timeZone: "Eastern Standard Time" } },
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ subject: "Vendor review (moved)", end: { dateTime: `${Y}-01-12T11:30:00.0000000` } });
    const backwards = await graph(token, `/me/events/${created.id}`, {
      method: "PATCH",
      json: { end: { dateTime: `${Y}-01-12T09:00:00`, timeZone: "Eastern Standard Time" } },
    });
    expect(backwards.status).toBe(400);
    expect((await graph(token, `/me/events/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await graph(token, `/me/events/${created.id}`)).status).toBe(404);
  });

  it("refuses an event that ends before it starts, an unknown zone and an unknown property", async () => {
    const { token } = await signedInUser(RW);
    const backwards = await graph(token, "/me/events", { json: meeting("x", `${Y}-01-12T10:00:00`, `${Y}-01-12T10:00:00`, "UTC") });
    expect(backwards.status).toBe(400);
    const zone = await graph(token, "/me/events", {
      json: meeting("x", `${Y}-01-12T10:00:00`, `${Y}-01-12T11:00:00`, "Mars Standard Time"),
    });
    expect(await json<{ error: { code: string } }>(zone)).toMatchObject({ error: { code: "TimeZoneNotSupportedException" } });
    const unknown = await graph(token, "/me/events", {
      json: { ...meeting("x", `${Y}-01-12T10:00:00`, `${Y}-01-12T11:00:00`, "UTC"), colour: "red" },
    });
    expect(unknown.status).toBe(400);
  });

  it("stores times given in different zones as the same instants", async () => {
    const { token } = await signedInUser(RW);
    const cases: [string, string, string][] = [
      ["India Standard Time", `${Y}-01-10T14:30:00`, `${Y}-01-10T09:00:00.0000000`],
      ["AUS Eastern Standard Time", `${Y}-01-10T20:00:00`, `${Y}-01-10T09:00:00.0000000`],
      ["Tokyo Standard Time", `${Y}-07-01T18:00:00`, `${Y}-07-01T09:00:00.0000000`],
      ["GMT Standard Time", `${Y}-07-01T10:00:00`, `${Y}-07-01T09:00:00.0000000`],
      ["Pacific Standard Time", `${Y}-07-01T02:00:00`, `${Y}-07-01T09:00:00.0000000`],
    ];
    for (const [zone, local, utc] of cases) {
      const end = local.replace(/T(\d{2})/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, "0")}`);
      const created = await create(token, meeting(`In ${zone}`, local, end, zone));
      const read = await json(await graph(token, `/me/events/${created.id}`));
      expect([zone, read.start.dateTime]).toEqual([zone, utc]);
    }
    // End given in another zone than the start.
    const mixed = await create(token, {
      subject: "Mixed",
      start: { dateTime: `${Y}-01-10T14:30:00`, timeZone: "India Standard Time" },
      end: { dateTime: `${Y}-01-10T19:00:00`, timeZone: "Tokyo Standard Time" },
    });
    const read = await json(await graph(token, `/me/events/${mixed.id}`, { headers: { prefer: 'outlook.timezone="Europe/London"' } }));
    expect([read.start.dateTime, read.end.dateTime]).toEqual([`${Y}-01-10T09:00:00.0000000`, `${Y}-01-10T10:00:00.0000000`]);
  });
});

describe("emulated Graph calendar: meetings between users of one tenant", () => {
  it("delivers an invitation and records the invitee's accept and decline on the organizer's copy", async () => {
    const { tenantId, token, other } = await signedInUser(RW);
    const otherToken = await graphToken(tenantId, other.oid, RW);
    const organized = await create(
      token,
      meeting("Roadmap review", `${Y}-01-20T09:00:00`, `${Y}-01-20T10:00:00`, "W. Europe Standard Time", {
        attendees: [{ emailAddress: { address: other.userPrincipalName }, type: "required" }],
      }),
    );
    const inbox: Page = await json(await graph(otherToken, `/me/events?$top=1000&$filter=subject eq 'Roadmap review'`));
    const copy = inbox.value[0];
    expect(copy).toMatchObject({ iCalUId: organized.iCalUId, isOrganizer: false, responseStatus: { response: "notResponded" } });
    expect(copy?.id).not.toBe(organized.id);
    const status = async () => (await json(await graph(token, `/me/events/${organized.id}`))).attendees[0]?.status.response;
    expect(await status()).toBe("none");
    const accepted = await graph(otherToken, `/me/events/${copy?.id}/accept`, { json: { comment: "See you there", sendResponse: true } });
    expect(accepted.status).toBe(202);
    expect(await status()).toBe("accepted");
    expect((await json(await graph(otherToken, `/me/events/${copy?.id}`))).responseStatus.response).toBe("accepted");
    expect((await graph(otherToken, `/me/events/${copy?.id}/decline`, { json: { sendResponse: true } })).status).toBe(202);
    expect(await status()).toBe("declined");
    // The organizer cannot answer their own meeting.
    const own = await graph(token, `/me/events/${organized.id}/tentativelyAccept`, { json: {} });
    expect(own.status).toBe(400);
  });

  it("turns an edited occurrence into an exception and shows a deleted one as cancelled to the invitee", async () => {
    const { tenantId, token, other } = await signedInUser(RW);
    const otherToken = await graphToken(tenantId, other.oid, RW);
    const series = await create(
      token,
      meeting("Ops review", `${firstMonday(5)}T10:00:00`, `${firstMonday(5)}T10:30:00`, "Pacific Standard Time", {
        attendees: [{ emailAddress: { address: other.userPrincipalName } }],
        recurrence: {
          pattern: { type: "relativeMonthly", index: "first", daysOfWeek: ["monday"] },
          range: { type: "numbered", numberOfOccurrences: 3 },
        },
      }),
    );
    const window = `startDateTime=${Y}-01-01T00:00:00Z&endDateTime=${Y + 1}-01-01T00:00:00Z`;
    const pacific = { prefer: 'outlook.timezone="Pacific Standard Time"' };
    const [, second, third] = (await json<Page>(await graph(token, `/me/events/${series.id}/instances?${window}`))).value;
    const moved = await graph(token, `/me/events/${second?.id}`, {
      method: "PATCH",
      json: {
        start: { dateTime: `${firstMonday(6)}T11:00:00`, timeZone: "Pacific Standard Time" },
        end: { dateTime: `${firstMonday(6)}T11:30:00`, timeZone: "Pacific Standard Time" },
      },
    });
    expect(await json(moved)).toMatchObject({ id: second?.id, type: "exception", seriesMasterId: series.id });
    expect((await graph(token, `/me/events/${third?.id}`, { method: "DELETE" })).status).toBe(204);
    const mine = (await json<Page>(await graph(token, `/me/events/${series.id}/instances?${window}`, { headers: pacific }))).value;
    expect(mine.map((e) => [e.type, e.start.dateTime])).toEqual([
      ["occurrence", `${firstMonday(5)}T10:00:00.0000000`],
      ["exception", `${firstMonday(6)}T11:00:00.0000000`],
    ]);
    const theirs = (
      await json<Page>(await graph(otherToken, `/me/calendarView?${window}&$filter=endswith(subject,'Ops review')`, { headers: pacific }))
    ).value;
    expect(theirs.map((e) => [e.type, e.start.dateTime, e.isCancelled])).toEqual([
      ["occurrence", `${firstMonday(5)}T10:00:00.0000000`, false],
      ["exception", `${firstMonday(6)}T11:00:00.0000000`, false],
      ["exception", `${firstMonday(7)}T10:00:00.0000000`, true],
    ]);
  });

  it("lets only the organizer cancel, and marks the invitee's copy cancelled", async () => {
    const { tenantId, token, other } = await signedInUser(RW);
    const otherToken = await graphToken(tenantId, other.oid, RW);
    const organized = await create(
      token,
      meeting("Budget sign-off", `${Y}-01-21T15:00:00`, `${Y}-01-21T15:30:00`, "UTC", {
        attendees: [{ emailAddress: { address: other.userPrincipalName } }],
      }),
    );
    const copy = (await json<Page>(await graph(otherToken, `/me/events?$filter=subject eq 'Budget sign-off'`))).value[0];
    const refused = await graph(otherToken, `/me/events/${copy?.id}/cancel`, { json: { comment: "no" } });
    expect(refused.status).toBe(400);
    expect(await json<{ error: { code: string; message: string } }>(refused)).toMatchObject({
      error: { code: "ErrorAccessDenied", message: "Your request can't be completed. You need to be an organizer to cancel a meeting." },
    });
    expect((await graph(token, `/me/events/${organized.id}/cancel`, { json: { comment: "Moving to next week" } })).status).toBe(202);
    expect((await graph(token, `/me/events/${organized.id}`)).status).toBe(404);
    const cancelled = await json(await graph(otherToken, `/me/events/${copy?.id}`));
    expect(cancelled).toMatchObject({ isCancelled: true, subject: "Canceled: Budget sign-off" });
  });
});

describe("emulated Graph calendar: free/busy and meeting times", () => {
  it("answers getSchedule with an availability view per interval and an error item for an unknown address", async () => {
    const { token, user, other } = await signedInUser(RW);
    await create(token, meeting("Focus block", `${Y}-01-25T10:00:00`, `${Y}-01-25T11:00:00`, "UTC"));
    const response = await graph(token, "/me/calendar/getSchedule", {
      json: {
        schedules: [user.userPrincipalName, other.userPrincipalName, "nobody@elsewhere.example"],
        startTime: { dateTime: `${Y}-01-25T09:00:00`, timeZone: "UTC" },
        endTime: { dateTime: `${Y}-01-25T12:00:00`, timeZone: "UTC" },
        availabilityViewInterval: 30,
      },
    });
    expect(response.status).toBe(200);
    const { value } = await json<{
      value: {
        scheduleId: string;
        availabilityView?: string;
        scheduleItems?: { status: string; subject?: string; start: { dateTime: string } }[];
        error?: { message: string };
      }[];
    }>(response);
    expect(value.map((v) => v.scheduleId)).toEqual([user.userPrincipalName, other.userPrincipalName, "nobody@elsewhere.example"]);
    expect(value[0]?.availabilityView).toMatch(/^[0-4]{2}22[0-4]{2}$/);
    expect(value[0]?.scheduleItems).toContainEqual(
      expect.objectContaining({
        status: "busy",
        subject: "Focus block",
        start: { dateTime: `${Y}-01-25T10:00:00.0000000`, timeZone: "UTC" },
      }),
    );
    expect(value[1]?.availabilityView).toHaveLength(6);
    expect(value[2]?.error?.message).toContain("nobody@elsewhere.example");
    const tooMany = await graph(token, "/me/calendar/getSchedule", {
      json: {
        schedules: Array.from({ length: 21 }, (_, i) => `p${i}@x.example`),
        startTime: { dateTime: `${Y}-01-25T09:00:00`, timeZone: "UTC" },
        endTime: { dateTime: `${Y}-01-25T12:00:00`, timeZone: "UTC" },
      },
    });
    expect(tooMany.status).toBe(400);
  });

  it("suggests meeting times around busy blocks, or says why there are none", async () => {
    const { tenantId, user, other } = await signedInUser(["Calendars.ReadWrite", "Calendars.ReadWrite.Shared"]);
    const token = await graphToken(tenantId, user.oid, ["Calendars.ReadWrite", "Calendars.ReadWrite.Shared"]);
    const otherToken = await graphToken(tenantId, other.oid, RW);
    // Riley works in Berlin: a Tuesday 09:00-12:00 window, with 09:00-10:00 blocked by Sam.
    await create(otherToken, meeting("Sam busy", `${workTuesday}T09:00:00`, `${workTuesday}T10:00:00`, "W. Europe Standard Time"));
    const slot = {
      start: { dateTime: `${workTuesday}T09:00:00`, timeZone: "W. Europe Standard Time" },
      end: { dateTime: `${workTuesday}T12:00:00`, timeZone: "W. Europe Standard Time" },
    };
    const body = {
      attendees: [{ type: "required", emailAddress: { address: other.userPrincipalName } }],
      timeConstraint: { activityDomain: "work", timeslots: [slot] },
      meetingDuration: "PT1H",
      returnSuggestionReasons: true,
      minimumAttendeePercentage: 100,
    };
    const response = await graph(token, "/me/findMeetingTimes", {
      json: body,
      headers: { prefer: 'outlook.timezone="W. Europe Standard Time"' },
    });
    expect(response.status).toBe(200);
    const result = await json<{
      emptySuggestionsReason: string;
      meetingTimeSuggestions: {
        confidence: number;
        organizerAvailability: string;
        attendeeAvailability: { availability: string }[];
        suggestionReason: string;
        meetingTimeSlot: { start: { dateTime: string } };
      }[];
    }>(response);
    expect(result.emptySuggestionsReason).toBe("");
    expect(result.meetingTimeSuggestions.map((s) => s.meetingTimeSlot.start.dateTime)).toEqual([
      `${workTuesday}T10:00:00.0000000`,
      `${workTuesday}T10:30:00.0000000`,
      `${workTuesday}T11:00:00.0000000`,
    ]);
    expect(result.meetingTimeSuggestions[0]).toMatchObject({
      confidence: 100,
      organizerAvailability: "free",
      attendeeAvailability: [{ availability: "free" }],
    });
    expect(result.meetingTimeSuggestions[0]?.suggestionReason).not.toBe("");
    await create(otherToken, meeting("Sam busy later", `${workTuesday}T10:00:00`, `${workTuesday}T12:00:00`, "W. Europe Standard Time"));
    const none = await json<{ emptySuggestionsReason: string; meetingTimeSuggestions: unknown[] }>(
      await graph(token, "/me/findMeetingTimes", { json: body }),
    );
    expect(none).toEqual({
      "@odata.context": expect.any(String),
      emptySuggestionsReason: "attendeesUnavailable",
      meetingTimeSuggestions: [],
    });
  });
});

describe("emulated Graph calendar: scopes and isolation", () => {
  it("answers 403 without the right Calendars scope, and leaves out bodies under Calendars.ReadBasic", async () => {
    const mail = await signedInUser(["Mail.Read"]);
    expect((await graph(mail.token, "/me/events")).status).toBe(403);
    const reader = await signedInUser(["Calendars.Read"]);
    expect((await graph(reader.token, "/me/events?$top=1")).status).toBe(200);
    const write = await graph(reader.token, "/me/events", { json: meeting("x", `${Y}-01-12T10:00:00`, `${Y}-01-12T11:00:00`, "UTC") });
    expect(write.status).toBe(403);
    expect(await json<{ error: { code: string } }>(write)).toMatchObject({ error: { code: "ErrorAccessDenied" } });
    const slot = {
      start: { dateTime: `${workTuesday}T09:00:00`, timeZone: "UTC" },
      end: { dateTime: `${workTuesday}T12:00:00`, timeZone: "UTC" },
    };
    expect((await graph(reader.token, "/me/findMeetingTimes", { json: { timeConstraint: { timeslots: [slot] } } })).status).toBe(403);
    const basic = await signedInUser(["Calendars.ReadBasic"]);
    const page: Page = await json(await graph(basic.token, "/me/events?$top=3"));
    expect(page.value).toHaveLength(3);
    expect(page.value.every((e) => e.body === undefined && e.bodyPreview === undefined && typeof e.subject === "string")).toBe(true);
  });

  it("answers 404 for an unknown id, another user's event, and ids that try to climb out of the calendar", async () => {
    const { tenantId, token, other } = await signedInUser(RW);
    const otherToken = await graphToken(tenantId, other.oid, RW);
    const theirs = await create(otherToken, meeting("Private", `${Y}-01-12T10:00:00`, `${Y}-01-12T11:00:00`, "UTC"));
    expect((await graph(token, "/me/events/AAMkunknown=")).status).toBe(404);
    expect((await graph(token, `/me/events/${theirs.id}`)).status).toBe(404);
    expect((await graph(token, `/me/events/${theirs.id}`, { method: "PATCH", json: { subject: "mine now" } })).status).toBe(404);
    expect((await graph(token, `/me/events/${theirs.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await graph(token, `/me/events/${theirs.id}/accept`, { json: {} })).status).toBe(404);
    for (const sneaky of [`../${theirs.id}`, `..%2F..%2Fusers%2F${other.oid}%2Fevents%2F${theirs.id}`, `${theirs.id}%2F..`]) {
      const path = sneaky.includes("%2F") ? sneaky : encodeURIComponent(sneaky);
      const response = await graph(token, `/me/events/${path}`);
      expect([sneaky, response.status]).toEqual([sneaky, 404]);
    }
    const intact = await json(await graph(otherToken, `/me/events/${theirs.id}`));
    expect(intact.subject).toBe("Private");
    const error = await json<{ error: { code: string } }>(await graph(token, "/me/events/nope"));
    expect(error.error.code).toBe("ErrorItemNotFound");
  });
});
