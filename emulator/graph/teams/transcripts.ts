import { type Context, Hono } from "hono";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import type { EventRecord } from "../calendar/model";
import { seedCalendar } from "../calendar/seed";
import { GRAPH_ERRORS, graphError } from "../errors";
import { seededRandom } from "../random";
import { parseInstant, resolveZone } from "../timezones";

/**
 * @module
 * Graph v1.0 online meetings found by join link and their transcripts:
 * `GET /me/onlineMeetings?$filter=JoinWebUrl eq '…'` resolves a Teams
 * meeting of an event in the caller's calendar (the only meetings whose
 * transcripts Graph serves: not those made with the create-onlineMeeting
 * API alone); once the event has ended it has one transcript, listed at
 * `/transcripts` and served as WebVTT at `/transcripts/{id}/content`.
 * Stricter than Microsoft where the docs are silent: only the organizer may
 * list or read transcripts.
 */
const MEETING_READ = ["OnlineMeetings.Read", "OnlineMeetings.ReadWrite"];
const TRANSCRIPT_READ = ["OnlineMeetingTranscript.Read.All"];

interface MeetingRecord {
  id: string;
  organizerId: string;
  subject: string;
  start: number;
  end: number;
  joinWebUrl: string;
  speakers: string[];
}

type Meetings = Map<string, MeetingRecord>;

const meetingsOf = (c: Context<GraphEnv>): Meetings =>
  c.get("graph").forTenant("meeting-transcripts", c.get("caller").tenant.tenantId, () => new Map<string, MeetingRecord>());

const notFound = () => graphError(404, "NotFound", "The online meeting was not found.");

function instant(value: { dateTime: string; timeZone: string }): number {
  return parseInstant(value.dateTime, resolveZone(value.timeZone) ?? "UTC") ?? Date.parse(`${value.dateTime}Z`);
}

/** The meeting id Graph derives from the organizer and the meeting's chat thread (base64 of `1*<oid>*0**<thread>`). */
function meetingIdOf(organizerId: string, joinWebUrl: string): string {
  const thread = decodeURIComponent(/meetup-join\/([^/]+)/.exec(joinWebUrl)?.[1] ?? "");
  return btoa(`1*${organizerId}*0**${thread}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The Teams meeting of a caller's calendar event with this join link, remembered so its id resolves later. */
function meetingFromCalendar(c: Context<GraphEnv>, joinWebUrl: string): MeetingRecord | undefined {
  const { tenant, user } = c.get("caller");
  const calendar = c.get("graph").forUser("calendar", tenant.tenantId, user, (owner, day) => seedCalendar(tenant.tenantId, owner, day));
  const event = [...calendar.events.values()].find((candidate: EventRecord) => candidate.onlineMeeting?.joinUrl === joinWebUrl);
  if (!event) return undefined;
  const organizerId =
    /%22Oid%22%3a%22([0-9a-f-]+)%22/i.exec(joinWebUrl)?.[1] ??
    /"Oid":"([0-9a-f-]+)"/i.exec(decodeURIComponent(joinWebUrl))?.[1] ??
    user.oid;
  const names = [
    event.organizer.emailAddress.name,
    ...event.attendees.filter((attendee) => attendee.type !== "resource").map((attendee) => attendee.emailAddress.name),
  ].filter((name): name is string => Boolean(name));
  const meeting: MeetingRecord = {
    id: meetingIdOf(organizerId, joinWebUrl),
    organizerId,
    subject: event.subject,
    start: instant(event.start),
    end: instant(event.end),
    joinWebUrl,
    speakers: [...new Set(names.length ? names : [user.displayName])],
  };
  meetingsOf(c).set(meeting.id, meeting);
  return meeting;
}

function presentMeeting(meeting: MeetingRecord): Record<string, unknown> {
  return {
    id: meeting.id,
    subject: meeting.subject,
    startDateTime: new Date(meeting.start).toISOString(),
    endDateTime: new Date(meeting.end).toISOString(),
    joinWebUrl: meeting.joinWebUrl,
    joinUrl: meeting.joinWebUrl,
    participants: { organizer: { identity: { user: { id: meeting.organizerId } }, role: "presenter" }, attendees: [] },
  };
}

/** The one transcript of an ended meeting (none before it ends), as a callTranscript. */
function transcriptsOf(meeting: MeetingRecord): Record<string, unknown>[] {
  if (meeting.end > Date.now()) return [];
  const id = btoa(`transcript:${meeting.id}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_").slice(0, 60);
  return [
    {
      id,
      meetingId: meeting.id,
      callId: `call-${id.slice(0, 12)}`,
      createdDateTime: new Date(meeting.end).toISOString(),
      endDateTime: new Date(meeting.end).toISOString(),
      contentCorrelationId: id.slice(0, 36),
      transcriptContentUrl: `https://graph.microsoft.com/v1.0/me/onlineMeetings/${meeting.id}/transcripts/${id}/content`,
      meetingOrganizer: { user: { id: meeting.organizerId, displayName: null, userIdentityType: "aadUser" } },
    },
  ];
}

const LINES = [
  "Let's start with where we are on the release.",
  "The migration finished last night without errors.",
  "Support saw two tickets about slow exports.",
  "I can look at the export queue this afternoon.",
  "Can we agree the launch date is still the fifteenth?",
  "Yes, as long as the load test passes on Thursday.",
  "I will send the notes after this call.",
  "One more thing: the budget review moved to next week.",
];

/** `H:MM:SS.mmm` as Teams writes cue times. */
const cueTime = (ms: number) =>
  `${Math.floor(ms / 3_600_000)}:${String(Math.floor(ms / 60_000) % 60).padStart(2, "0")}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}.${String(ms % 1000).padStart(3, "0")}`;

/** A WebVTT transcript: cues with `<v Speaker>` voice spans, a speaker often talking for several cues in a row. */
function transcriptVtt(meeting: MeetingRecord): string {
  const random = seededRandom(`vtt:${meeting.id}`);
  const cues: string[] = ["WEBVTT", ""];
  let at = 0;
  let speaker = meeting.speakers[0] ?? "Speaker";
  for (let index = 0; index < 60; index += 1) {
    if (random() < 0.5) speaker = meeting.speakers[Math.floor(random() * meeting.speakers.length)] ?? speaker;
    const length = 2000 + Math.floor(random() * 4000);
    const line = LINES[Math.floor(random() * LINES.length)] ?? "";
    cues.push(`${index + 1}`, `${cueTime(at)} --> ${cueTime(at + length)}`, `<v ${speaker}>${line}</v>`, "");
    at += length + 200;
  }
  return cues.join("\n");
}

/** The remembered meeting of the path, for its organizer only. */
function ownMeeting(c: Context<GraphEnv>): MeetingRecord | Response {
  const meeting = meetingsOf(c).get(c.req.param("meetingId") ?? "");
  if (!meeting) return notFound();
  if (meeting.organizerId !== c.get("caller").user.oid) return GRAPH_ERRORS.accessDenied();
  return meeting;
}

export const transcriptRoutes = new Hono<GraphEnv>()
  .get("/me/onlineMeetings", scopes(...MEETING_READ), (c) => {
    const filter = c.req.query("$filter") ?? "";
    const match = /^\s*joinWebUrl\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    if (!match?.[1]) return GRAPH_ERRORS.badRequest("Filter on JoinWebUrl is required: $filter=JoinWebUrl eq '<join link>'.");
    const joinWebUrl = match[1].replace(/''/g, "'");
    const known = [...meetingsOf(c).values()].find((meeting) => meeting.joinWebUrl === joinWebUrl);
    const meeting = known ?? meetingFromCalendar(c, joinWebUrl);
    return c.json({ "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata`, value: meeting ? [presentMeeting(meeting)] : [] });
  })
  .get("/me/onlineMeetings/:meetingId/transcripts", scopes(...TRANSCRIPT_READ), (c) => {
    const meeting = ownMeeting(c);
    if (meeting instanceof Response) return meeting;
    return c.json({ "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata`, value: transcriptsOf(meeting) });
  })
  .get("/me/onlineMeetings/:meetingId/transcripts/:transcriptId/content", scopes(...TRANSCRIPT_READ), (c) => {
    const meeting = ownMeeting(c);
    if (meeting instanceof Response) return meeting;
    if (!transcriptsOf(meeting).some((transcript) => transcript.id === c.req.param("transcriptId"))) {
      return graphError(404, "NotFound", "The transcript was not found.");
    }
    const format = c.req.query("$format");
    if (format !== undefined && format !== "text/vtt")
      return GRAPH_ERRORS.badRequest(`The format '${format}' is not supported; use text/vtt.`);
    return c.body(transcriptVtt(meeting), 200, { "content-type": "text/vtt" });
  });
