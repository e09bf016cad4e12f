import { describe, expect, it } from "vitest";
import { graph, graphToken } from "./helpers/emulator";
import { connectedUser } from "./helpers/mcp";
import { daysFromToday } from "./helpers/seed-date";

/** Meeting transcripts (from a calendar event's join link) and presence through /mcp against the emulator. */
type User = Awaited<ReturnType<typeof connectedUser>>;

const MEETINGS_TOOLS = ["get_meeting_transcript", "get_presence"];

const meetingsUser = () => connectedUser({ policy: { enabledGroups: ["calendar", "contacts", "meetings"] } });

/** A Teams meeting on the user's calendar, made through Graph as Outlook would; answers its join link. */
async function teamsEvent(user: User, subject: string, day: string): Promise<string> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Calendars.ReadWrite"]);
  const created = await graph(token, "/me/events", {
    json: {
      subject,
      start: { dateTime: `${day}T10:00:00`, timeZone: "UTC" },
      end: { dateTime: `${day}T10:30:00`, timeZone: "UTC" },
      attendees: [{ type: "required", emailAddress: { address: "sam@example.com", name: "Sam Okafor" } }],
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
    },
  });
  expect(created.status).toBe(201);
  const joinUrl = ((await created.json()) as { onlineMeeting?: { joinUrl?: string } }).onlineMeeting?.joinUrl;
  if (!joinUrl) throw new Error("the event has no join link");
  return joinUrl;
}

describe("meetings tools", () => {
  it("reads an ended meeting's transcript from its event's join link as speaker lines, in windows", async () => {
    const user = await meetingsUser();
    const joinUrl = await teamsEvent(user, "Release review", daysFromToday(-1));
    const first = await user.callTool("get_meeting_transcript", { joinUrl, maxChars: 600 });
    expect(first.isError).toBe(false);
    const lines = first.text.split("\n");
    expect(lines[0]).toBe(`Transcript of Release review, ${daysFromToday(-1)}`);
    expect(lines[1]).toMatch(/^\[characters 0–\d+ of \d+\]$/);
    const speech = lines.slice(2, -1);
    expect(speech.length).toBeGreaterThan(0);
    for (const line of speech) expect(line).toMatch(/^(Dana Whitfield|Sam Okafor): \S/);
    expect(first.text).not.toMatch(/-->|<v |WEBVTT/);
    const next = new RegExp(
      `^\\[More: call get_meeting_transcript with joinUrl "${joinUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}", offset (\\d+)\\.\\]$`,
    ).exec(lines.at(-1) ?? "")?.[1];
    expect(next).toBeTruthy();
    const second = await user.callTool("get_meeting_transcript", { joinUrl, offset: Number(next), maxChars: 600 });
    expect(second.text).toMatch(new RegExp(`^\\[characters ${next}–`));
  });

  it("says when a meeting has no transcript yet, or no meeting has the link", async () => {
    const user = await meetingsUser();
    const joinUrl = await teamsEvent(user, "Planning ahead", daysFromToday(3));
    expect(await user.callTool("get_meeting_transcript", { joinUrl })).toEqual({
      isError: false,
      text: "This meeting has no transcript (it was not transcribed, or has not ended).",
    });
    const unknown = await user.callTool("get_meeting_transcript", {
      joinUrl: "https://teams.microsoft.com/l/meetup-join/19%3ameeting_none%40thread.v2/0",
    });
    expect(unknown).toEqual({ isError: false, text: "No Teams meeting of yours has that join link." });
  });

  it("shows colleagues' presence by the ids search_users answers, unknown ids as unknown", async () => {
    const user = await meetingsUser();
    const found = await user.callTool("search_users", { query: "Dana" });
    const id = /id: (\S+)$/.exec(found.text.split("\n")[0] ?? "")?.[1] ?? "";
    expect(id).toBe(user.user.oid);
    const stranger = "00000000-0000-4000-a000-000000000000";
    const presence = await user.callTool("get_presence", { userIds: [id, stranger] });
    const [mine, theirs] = presence.text.split("\n");
    expect(mine).toMatch(new RegExp(`^${id} · (available|busy|do not disturb|away|be right back|offline)( · [a-z ]+)?$`));
    expect(theirs).toBe(`${stranger} · presence unknown`);
  });

  it("names the field when arguments are wrong", async () => {
    const user = await meetingsUser();
    const notLink = await user.callTool("get_meeting_transcript", { joinUrl: "meeting tomorrow" });
    expect(notLink.text).toMatch(/Invalid arguments.*joinUrl: expected the https join link from a calendar event/);
    const none = await user.callTool("get_presence", { userIds: [] });
    expect(none.text).toMatch(/Invalid arguments.*userIds: expected at least one user id/);
  });

  it("is hidden when the organization's policy leaves the meetings group off", async () => {
    const user = await connectedUser();
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of MEETINGS_TOOLS) expect(names).not.toContain(name);
  });
});
