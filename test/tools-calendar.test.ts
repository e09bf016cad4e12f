import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { emulator, graphToken, TEST_OIDS } from "./helpers/emulator";
import { connectedUser, injectGraphFault } from "./helpers/mcp";
import { addDays, europeFallBack, pattern, seedDay, seedTime, wallTime, writeDay } from "./helpers/seed-date";

/** Calendar tools through /mcp against the emulator's Graph calendar. */
type User = Awaited<ReturnType<typeof connectedUser>>;

const WRITE_TOOLS = ["create_event", "update_event", "cancel_event", "delete_event", "respond_to_event"];
const READ_TOOLS = ["list_events", "get_event", "get_free_busy", "find_meeting_times"];
const EVENT_LINE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} (\d{2}:\d{2}.* [+-]\d{2}:\d{2}|.*all day) · .+ · id: \S+$/;

function idIn(text: string | undefined): string {
  const match = /id: (\S+)$/m.exec(text ?? "");
  if (!match?.[1]) throw new Error(`no id in: ${text}`);
  return match[1];
}

const eventLines = (text: string) => text.split("\n").filter((line) => line.includes(" · id: "));

/** Adds (or updates) a user of the signed-in user's Entra tenant on the emulator. */
async function upsertEntraUser(user: User, person: { oid: string; userPrincipalName: string; displayName: string; timeZone?: string }) {
  await emulator.addUser(user.entra.tenantId, person);
  return person;
}

/** A signed-in user whose mailbox time zone is Berlin's (CET/CEST). */
async function berlinUser(options: { policy?: Record<string, unknown> } = {}): Promise<User> {
  const user = await connectedUser(options);
  await upsertEntraUser(user, { ...user.user, timeZone: "W. Europe Standard Time" });
  return user;
}

async function colleague(user: User, displayName: string) {
  const local = displayName.toLowerCase().replace(/\s+/g, ".");
  return upsertEntraUser(user, {
    oid: TEST_OIDS.sam,
    userPrincipalName: `${local}@${user.tenant.slug}.example`,
    displayName,
    timeZone: "W. Europe Standard Time",
  });
}

async function create(user: User, args: Record<string, unknown>): Promise<string> {
  const result = await user.callTool("create_event", args);
  if (result.isError) throw new Error(result.text);
  return idIn(result.text.split("\n")[0]);
}

describe("calendar tools", () => {
  it("lists events one line each in the user's zone with offsets, in order, and pages with the cursor", async () => {
    const user = await berlinUser();
    const first = await user.callTool("list_events", { start: seedDay(-14), end: seedDay(6), limit: 5 });
    expect(first.isError).toBe(false);
    const lines = eventLines(first.text);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(EVENT_LINE);
    // Each time carries Berlin's offset on its day (winter or summer time, whatever the seed date).
    for (const line of lines.filter((candidate) => !candidate.includes("all day"))) {
      const [, day = "", time = "", offset = ""] = /^\w{3} (\S+) (\d{2}:\d{2})\S* ([+-]\d{2}:\d{2})/.exec(line) ?? [];
      expect(wallTime("Europe/Berlin", `${day}T${time}:00${offset}`), line).toBe(`${day} ${time}`);
    }
    const cursor = /cursor "([^"]+)"/.exec(first.text)?.[1];
    expect(cursor).toBeTruthy();
    const second = await user.callTool("list_events", { limit: 5, cursor });
    expect(second.isError).toBe(false);
    const secondIds = eventLines(second.text).map(idIn);
    expect(secondIds).toHaveLength(5);
    const firstIds = new Set(lines.map(idIn));
    expect(secondIds.some((id) => firstIds.has(id))).toBe(false);
    const days = [...lines, ...eventLines(second.text)].map((line) => line.slice(4, 14));
    expect(days).toEqual([...days].sort());
    const wrongTool = await user.callTool("list_contacts", { cursor });
    expect(wrongTool.text).toContain("cursor belongs to another listing");
  });

  it("answers a week of events at least 5× smaller than the raw Graph JSON", async () => {
    const user = await berlinUser();
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Calendars.Read"]);
    const week = { start: seedTime(-7), end: seedTime(0) };
    const compact = await user.callTool("list_events", week);
    const raw = await (
      await fetch(`${env.GRAPH_BASE}/v1.0/me/calendarView?startDateTime=${week.start}&endDateTime=${week.end}&$top=100`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    expect(eventLines(compact.text).length).toBeGreaterThan(5);
    expect(raw.length / compact.text.length).toBeGreaterThanOrEqual(5);
  });

  it("creates an event that list_events and get_event then show, updates it and deletes it", async () => {
    const user = await berlinUser();
    const created = await user.callTool("create_event", {
      subject: "Budget review",
      start: `${writeDay(2)}T10:00`,
      end: `${writeDay(2)}T10:45`,
      location: "Room 4.12",
      body: "Bring the Q4 numbers.",
      attendees: ["Ada Lovelace <ada@analytical.example>"],
    });
    expect(created.isError).toBe(false);
    expect(created.text).toMatch(
      pattern`^Created: Wed ${writeDay(2)} 10:00–10:45 \+01:00 · Budget review · Room 4\.12 · 1 attendee, 0 accepted · id: \S+\nInvited: ada@analytical\.example$`,
    );
    const id = idIn(created.text.split("\n")[0]);
    expect((await user.callTool("list_events", { start: writeDay(2), end: writeDay(2) })).text).toContain(
      `Wed ${writeDay(2)} 10:00–10:45 +01:00 · Budget review · Room 4.12 · 1 attendee, 0 accepted · id: ${id}`,
    );
    const details = (await user.callTool("get_event", { id })).text;
    expect(details).toContain(`When: Wed ${writeDay(2)} 10:00–10:45 +01:00`);
    expect(details).toContain("Organizer: you");
    expect(details).toContain("Attendees: (1) Ada Lovelace <ada@analytical.example> not responded");
    expect(details).toMatch(/Body:\nBring the Q4 numbers\.$/);

    const updated = await user.callTool("update_event", { id, subject: "Budget review (moved)", start: `${writeDay(2)}T14:00` });
    expect(updated).toEqual({
      isError: false,
      text: `Updated: Wed ${writeDay(2)} 14:00–14:45 +01:00 · Budget review (moved) · Room 4.12 · 1 attendee, 0 accepted · id: ${id}`,
    });
    const stretched = await user.callTool("update_event", { id, end: `${writeDay(2)}T16:00`, location: "Atrium" });
    expect(stretched.text).toBe(
      `Updated: Wed ${writeDay(2)} 14:00–16:00 +01:00 · Budget review (moved) · Atrium · 1 attendee, 0 accepted · id: ${id}`,
    );
    expect((await user.callTool("get_event", { id })).text).toContain(`When: Wed ${writeDay(2)} 14:00–16:00 +01:00`);

    expect(await user.callTool("delete_event", { id })).toEqual({ isError: false, text: `Deleted event ${id}` });
    expect((await user.callTool("list_events", { start: writeDay(2), end: writeDay(2) })).text).not.toContain(id);
    expect((await user.callTool("get_event", { id })).text).toContain("Microsoft Graph answered 404");
  });

  it("creates Teams meetings and all-day events", async () => {
    const user = await berlinUser();
    const teams = await user.callTool("create_event", {
      subject: "Sync",
      start: `${writeDay(3)}T09:00`,
      end: `${writeDay(3)}T09:30`,
      teamsMeeting: true,
    });
    expect(teams.text).toMatch(
      pattern`^Created: Thu ${writeDay(3)} 09:00–09:30 \+01:00 · Sync · Teams · id: \S+\nJoin: https:\/\/teams\.microsoft\.com\/`,
    );
    expect((await user.callTool("get_event", { id: idIn(teams.text.split("\n")[0]) })).text).toMatch(
      /Online: https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );
    const allDay = await user.callTool("create_event", { subject: "Offsite", start: writeDay(9), end: writeDay(10), allDay: true });
    expect(allDay.text).toMatch(pattern`^Created: Wed ${writeDay(9)} – Thu ${writeDay(10)} all day · Offsite · id: \S+$`);
    const single = await user.callTool("create_event", { subject: "Holiday", start: writeDay(11), end: writeDay(11), allDay: true });
    expect(single.text).toMatch(pattern`^Created: Fri ${writeDay(11)} all day · Holiday · id: `);
    expect((await user.callTool("list_events", { start: writeDay(9), end: writeDay(11) })).text).toContain(
      `Wed ${writeDay(9)} – Thu ${writeDay(10)} all day · Offsite · id: ${idIn(allDay.text)}`,
    );
  });

  it("shows the right offsets on both sides of DST changes, in the mailbox zone or a requested one", async () => {
    const user = await berlinUser();
    // The last Sunday of October: Europe's clocks go back at 03:00, New York's a week later.
    const fallBack = europeFallBack();
    const before = await create(user, {
      subject: "Before EU change",
      start: `${addDays(fallBack, -2)}T09:00`,
      end: `${addDays(fallBack, -2)}T10:00`,
    });
    const after = await create(user, {
      subject: "After EU change",
      start: `${addDays(fallBack, 2)}T09:00`,
      end: `${addDays(fallBack, 2)}T10:00`,
    });
    const night = await create(user, { subject: "Night shift", start: `${fallBack}T01:00`, end: `${fallBack}T04:00` });
    const listed = (await user.callTool("list_events", { start: addDays(fallBack, -3), end: addDays(fallBack, 3), limit: 100 })).text;
    expect(listed).toContain(`Fri ${addDays(fallBack, -2)} 09:00–10:00 +02:00 · Before EU change · id: ${before}`);
    expect(listed).toContain(`Tue ${addDays(fallBack, 2)} 09:00–10:00 +01:00 · After EU change · id: ${after}`);
    expect(listed).toContain(`Sun ${fallBack} 01:00 +02:00 – 04:00 +01:00 · Night shift · id: ${night}`);
    const inNewYork = (
      await user.callTool("list_events", {
        start: addDays(fallBack, -3),
        end: addDays(fallBack, 3),
        timeZone: "America/New_York",
        limit: 100,
      })
    ).text;
    expect(inNewYork).toContain(`Fri ${addDays(fallBack, -2)} 03:00–04:00 -04:00 · Before EU change · id: ${before}`);
    expect(inNewYork).toContain(`Tue ${addDays(fallBack, 2)} 04:00–05:00 -04:00 · After EU change · id: ${after}`);

    // US clocks change a week later: an event created in New York time keeps 09:00 there on both sides.
    const friday = await user.callTool("create_event", {
      subject: "NY standup",
      start: `${addDays(fallBack, 5)}T09:00`,
      end: `${addDays(fallBack, 5)}T09:15`,
      timeZone: "Eastern Standard Time",
    });
    expect(friday.text).toMatch(pattern`^Created: Fri ${addDays(fallBack, 5)} 09:00–09:15 -04:00 · NY standup`);
    const monday = await user.callTool("create_event", {
      subject: "NY standup",
      start: `${addDays(fallBack, 8)}T09:00`,
      end: `${addDays(fallBack, 8)}T09:15`,
      timeZone: "America/New_York",
    });
    expect(monday.text).toMatch(pattern`^Created: Mon ${addDays(fallBack, 8)} 09:00–09:15 -05:00 · NY standup`);
    const berlinView = (await user.callTool("list_events", { start: addDays(fallBack, 5), end: addDays(fallBack, 8), limit: 100 })).text;
    expect(berlinView).toContain(`Fri ${addDays(fallBack, 5)} 14:00–14:15 +01:00 · NY standup · id: ${idIn(friday.text)}`);
    expect(berlinView).toContain(`Mon ${addDays(fallBack, 8)} 15:00–15:15 +01:00 · NY standup · id: ${idIn(monday.text)}`);
    // An explicit offset wins over the zone.
    const explicit = await user.callTool("create_event", {
      subject: "Explicit",
      start: `${addDays(fallBack, 10)}T09:00:00Z`,
      end: `${addDays(fallBack, 10)}T09:30:00Z`,
    });
    expect(explicit.text).toMatch(pattern`^Created: Wed ${addDays(fallBack, 10)} 10:00–10:30 \+01:00 · Explicit`);
  });

  it("names the offending field for bad dates, reversed ranges and bad zones", async () => {
    const user = await berlinUser();
    const reversed = await user.callTool("create_event", { subject: "x", start: `${writeDay(2)}T10:00`, end: `${writeDay(2)}T09:00` });
    expect(reversed).toEqual({ isError: true, text: "Invalid arguments: end: must be after start" });
    const badDate = await user.callTool("list_events", { start: `${writeDay(0).slice(0, 4)}-02-30` });
    expect(badDate.isError).toBe(true);
    expect(badDate.text).toMatch(/Invalid arguments.*: start: expected an ISO date or date-time/);
    expect((await user.callTool("list_events", { start: writeDay(5), end: writeDay(1) })).text).toBe(
      "Invalid arguments: end: must be after start",
    );
    expect((await user.callTool("list_events", { timeZone: "Mars/Olympus" })).text).toMatch(
      /Invalid arguments.*: timeZone: unknown time zone/,
    );
    expect((await user.callTool("create_event", { start: `${writeDay(2)}T10:00`, end: `${writeDay(2)}T11:00` })).text).toMatch(
      /Invalid arguments.*: subject:/,
    );
    expect((await user.callTool("get_free_busy", { emails: ["nope"], start: writeDay(2), end: writeDay(3) })).text).toContain(
      "emails.0: expected an email address",
    );
    expect((await user.callTool("get_free_busy", { emails: ["a@b.example"], start: writeDay(1), end: writeDay(91) })).text).toMatch(
      /^Invalid arguments: end: the window must be shorter than 62 days/,
    );
    const window = await user.callTool("find_meeting_times", {
      attendees: ["a@b.example"],
      durationMinutes: 30,
      windowStart: `${writeDay(2)}T12:00`,
      windowEnd: `${writeDay(2)}T11:00`,
    });
    expect(window.text).toBe("Invalid arguments: windowEnd: must be after windowStart");
    expect((await user.callTool("respond_to_event", { id: "x", response: "maybe" })).text).toMatch(/Invalid arguments.*: response:/);
    const id = await create(user, { subject: "Fixed", start: `${writeDay(2)}T10:00`, end: `${writeDay(2)}T11:00` });
    expect((await user.callTool("update_event", { id, end: `${writeDay(2)}T09:00` })).text).toBe(
      "Invalid arguments: end: must be after start",
    );
    expect((await user.callTool("update_event", { id })).text).toBe("Nothing to update: give at least one field to change.");
  });

  it("answers unknown ids with Graph's 404 and keeps path tricks inside their segment", async () => {
    const user = await berlinUser();
    for (const id of ["AAMkAGI2-unknown=", "../../users/x", "..%2F..%2Fme"]) {
      for (const [tool, args] of [
        ["get_event", {}],
        ["delete_event", {}],
        ["cancel_event", {}],
        ["update_event", { subject: "x" }],
        ["respond_to_event", { response: "accept" }],
      ] as const) {
        const result = await user.callTool(tool, { id, ...args });
        expect(result.isError, `${tool} ${id}`).toBe(true);
        expect(result.text, `${tool} ${id}`).toContain("Microsoft Graph answered 404");
      }
    }
    const dots = await user.callTool("get_event", { id: ".." });
    expect(dots.text).toMatch(/Invalid arguments.*: id: expected the event id from a previous call/);
  });

  it("accepts, declines and tentatively accepts invitations, as get_event then shows", async () => {
    const user = await berlinUser();
    const listed = eventLines((await user.callTool("list_events", { start: seedDay(-4), end: seedDay(24), limit: 100 })).text);
    const invitation = listed.find((line) => line.includes(" · organizer: ") && !line.includes("cancelled"));
    expect(invitation).toBeTruthy();
    const id = idIn(invitation);
    expect(await user.callTool("respond_to_event", { id, response: "decline", comment: "On leave" })).toEqual({
      isError: false,
      text: `Declined; the organizer was notified. id: ${id}`,
    });
    expect((await user.callTool("get_event", { id })).text).toContain("Your response: declined");
    const tentative = await user.callTool("respond_to_event", { id, response: "tentative", sendResponse: false });
    expect(tentative.text).toBe(`Tentatively accepted without notifying the organizer. id: ${id}`);
    expect((await user.callTool("get_event", { id })).text).toContain("Your response: tentative");
    await user.callTool("respond_to_event", { id, response: "accept" });
    const accepted = (await user.callTool("list_events", { start: seedDay(-4), end: seedDay(24), limit: 100 })).text;
    expect(accepted.split("\n").find((line) => line.endsWith(`id: ${id}`))).toContain(" · you: accepted · ");

    const own = await create(user, { subject: "Mine", start: `${writeDay(2)}T10:00`, end: `${writeDay(2)}T11:00` });
    const refused = await user.callTool("respond_to_event", { id: own, response: "accept" });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("organizer");
    const notMine = await user.callTool("cancel_event", { id });
    expect(notMine).toEqual({
      isError: true,
      text: "Could not cancel the meeting: only its organizer can cancel it.\nHint: Use respond_to_event to decline it, or delete_event to remove it from your calendar.",
    });
  });

  it("cancels a meeting it organizes, which removes it from both calendars", async () => {
    const user = await berlinUser();
    const sam = await colleague(user, "Sam Okafor");
    const id = await create(user, {
      subject: "Retro",
      start: `${writeDay(4)}T15:00`,
      end: `${writeDay(4)}T16:00`,
      attendees: [sam.userPrincipalName],
    });
    const samToken = await graphToken(user.entra.tenantId, sam.oid, ["Calendars.Read"]);
    const samView = async () =>
      (await (
        await fetch(
          `${env.GRAPH_BASE}/v1.0/me/calendarView?startDateTime=${writeDay(4)}T00:00:00Z&endDateTime=${writeDay(5)}T00:00:00Z&$select=subject,isCancelled&$top=100`,
          { headers: { authorization: `Bearer ${samToken}` } },
        )
      ).json()) as { value: { subject: string; isCancelled: boolean }[] };
    expect((await samView()).value.find((event) => event.subject === "Retro")?.isCancelled).toBe(false);
    expect(await user.callTool("cancel_event", { id, comment: "Moving to January" })).toEqual({
      isError: false,
      text: `Cancelled; attendees were notified. id: ${id}`,
    });
    expect((await user.callTool("list_events", { start: writeDay(4), end: writeDay(4) })).text).not.toContain(id);
    expect((await samView()).value.find((event) => event.subject.includes("Retro"))?.isCancelled).toBe(true);
  });

  it("shows free/busy per person in the user's zone and says who cannot be resolved", async () => {
    const user = await berlinUser();
    const sam = await colleague(user, "Sam Okafor");
    // A Monday past the seeded weeks, whose random all-day events can cover the whole day.
    await create(user, {
      subject: "Planning",
      start: `${writeDay(7)}T10:00`,
      end: `${writeDay(7)}T11:00`,
      attendees: [sam.userPrincipalName],
    });
    await create(user, { subject: "Planning follow-up", start: `${writeDay(7)}T10:30`, end: `${writeDay(7)}T11:30` });
    const result = await user.callTool("get_free_busy", {
      emails: [user.user.userPrincipalName, "someone@elsewhere.example"],
      start: `${writeDay(7)}T08:00`,
      end: `${writeDay(7)}T18:00`,
    });
    expect(result.isError).toBe(false);
    const [header, mine, unknown] = result.text.split("\n");
    expect(header).toBe(`Busy times Mon ${writeDay(7)} 08:00–18:00 +01:00:`);
    // The two meetings merge into one busy stretch.
    const busy = [...(mine ?? "").matchAll(new RegExp(String.raw`busy Mon ${writeDay(7)} (\d{2}:\d{2})–(\d{2}:\d{2}) \+01:00`, "g"))].map(
      (match) => [match[1] ?? "", match[2] ?? ""],
    );
    expect(mine?.startsWith(`${user.user.userPrincipalName}: `)).toBe(true);
    expect(
      busy.some(([from = "", to = ""]) => from <= "10:00" && to >= "11:30"),
      mine,
    ).toBe(true);
    expect(unknown).toMatch(/^someone@elsewhere\.example: unknown \(/);
    const samLine = (
      await user.callTool("get_free_busy", { emails: [sam.userPrincipalName], start: `${writeDay(7)}T10:00`, end: `${writeDay(7)}T11:00` })
    ).text;
    // Sam has not answered the invitation yet, so it blocks the hour tentatively.
    expect(samLine).toMatch(new RegExp(String.raw`^sam\.okafor@\S+: .*tentative Mon ${writeDay(7)} 10:00–11:00 \+01:00`, "m"));
  });

  it("suggests meeting times with confidence and explains an empty answer", async () => {
    const user = await berlinUser();
    const sam = await colleague(user, "Sam Okafor");
    // A Tuesday past the seeded weeks, whose random all-day events can fill a day.
    const found = await user.callTool("find_meeting_times", {
      attendees: [sam.userPrincipalName],
      durationMinutes: 45,
      windowStart: `${writeDay(8)}T09:00`,
      windowEnd: `${writeDay(8)}T17:00`,
      maxCandidates: 3,
    });
    expect(found.isError).toBe(false);
    const lines = found.text.split("\n");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(pattern`^Tue ${writeDay(8)} \d{2}:\d{2}–\d{2}:\d{2} \+01:00 · \d+% · `);
    const weekend = await user.callTool("find_meeting_times", {
      attendees: [sam.userPrincipalName],
      durationMinutes: 30,
      windowStart: writeDay(5),
      windowEnd: writeDay(6),
    });
    expect(weekend).toEqual({
      isError: false,
      text: expect.stringMatching(/^No suggestions: no slot fits: .*working hours.*\. Try a wider window/),
    });
  });

  it("hides write tools under a read-only policy and refuses to run them", async () => {
    const user = await berlinUser({ policy: { readOnly: true } });
    const names = (await user.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(READ_TOOLS));
    for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
    const refused = await user.callTool("create_event", { subject: "x", start: `${writeDay(2)}T10:00`, end: `${writeDay(2)}T11:00` });
    expect(refused.isError).toBe(true);
    expect((await user.callTool("list_events", { start: writeDay(2), end: writeDay(2) })).text).not.toContain(" · x · ");
  });

  it("drops every calendar tool when the group is disabled", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["files"] } });
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of [...READ_TOOLS, ...WRITE_TOOLS]) expect(names).not.toContain(name);
  });

  it("carries honest annotations and short descriptions", async () => {
    const user = await connectedUser();
    const tools = new Map((await user.listTools()).map((tool) => [tool.name, tool]));
    // tools/list leaves out hints equal to MCP's defaults.
    const hints = (name: string) => ({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
      ...tools.get(name)?.annotations,
    });
    for (const name of READ_TOOLS) expect(hints(name), name).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(hints("create_event")).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
    expect(hints("update_event")).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true });
    expect(hints("cancel_event")).toMatchObject({ readOnlyHint: false, destructiveHint: true, openWorldHint: true });
    expect(hints("delete_event")).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(hints("respond_to_event")).toMatchObject({ readOnlyHint: false, idempotentHint: true, openWorldHint: true });
    const catalogue = JSON.stringify([...READ_TOOLS, ...WRITE_TOOLS].map((name) => tools.get(name)));
    // About 4 characters per token: nine tools in well under 1,500 tokens keeps ~45 under 6,000.
    expect(catalogue.length).toBeLessThan(6000);
  });

  it("recovers from Graph throttling", async () => {
    const user = await berlinUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/me/calendarView" });
    const result = await user.callTool("list_events", { start: seedDay(-7), end: seedDay(0), limit: 3 });
    expect(result.isError).toBe(false);
    expect(eventLines(result.text)).toHaveLength(3);
  });
});
