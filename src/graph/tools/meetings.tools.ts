import { z } from "zod";
import type { RawContent } from "../download";
import { graphPath, odataString } from "../path";
import { type Presence, presenceLine, transcriptText } from "../format/meetings";
import { windowedText } from "../format/text";
import { idField, integerField, offsetField, type Page, textField } from "./common";
import { defineTool, expectOk, READ } from "./types";

/**
 * @module Teams meetings: a meeting's transcript as text, found from the join
 * link of its calendar event (/me/onlineMeetings, /transcripts), and
 * colleagues' presence (/communications/getPresencesByUserId).
 * OnlineMeetingTranscript.Read.All needs an administrator's consent.
 */

/** A transcript is read whole up to this size before it becomes text. */
const MAX_TRANSCRIPT_BYTES = 5_000_000;

const joinUrl = textField(2048, { expected: "the Teams join link of a meeting" })
  .refine((value) => /^https:\/\/\S+$/.test(value), "expected the https join link from a calendar event")
  .describe("The event's Teams join link (get_event).");

interface Transcript {
  id: string;
  createdDateTime?: string;
}

export const meetingsTools = [
  defineTool({
    name: "get_meeting_transcript",
    group: "meetings",
    description: "Read the transcript of a Teams meeting you organized, as text.",
    input: { joinUrl, offset: offsetField, maxChars: integerField(200, 20_000).default(6000) },
    scopes: ["OnlineMeetingTranscript.Read.All"],
    annotations: READ,
    audit: { targets: ["joinUrl"] },
    async run(ctx, { joinUrl: link, offset, maxChars }) {
      const found = expectOk<Page<{ id: string; subject?: string }>>(
        await ctx.graph({ method: "GET", path: "/me/onlineMeetings", query: { $filter: `JoinWebUrl eq ${odataString(link)}` } }),
        "find the meeting",
      );
      const meeting = found.value?.[0];
      if (!meeting) return "No Teams meeting of yours has that join link.";
      const listed = expectOk<Page<Transcript>>(
        await ctx.graph({ method: "GET", path: graphPath`/me/onlineMeetings/${meeting.id}/transcripts` }),
        "list the meeting's transcripts",
      );
      const transcripts = [...(listed.value ?? [])].sort((a, b) => (a.createdDateTime ?? "").localeCompare(b.createdDateTime ?? ""));
      const latest = transcripts.at(-1);
      if (!latest) return "This meeting has no transcript (it was not transcribed, or has not ended).";
      const content = expectOk<RawContent>(
        await ctx.graph({
          method: "GET",
          path: graphPath`/me/onlineMeetings/${meeting.id}/transcripts/${latest.id}/content`,
          query: { $format: "text/vtt" },
          download: { offset: 0, length: MAX_TRANSCRIPT_BYTES },
        }),
        "read the transcript",
      );
      const text = transcriptText(new TextDecoder().decode(content.bytes));
      const which = transcripts.length > 1 ? ` (latest of ${transcripts.length})` : "";
      const header =
        offset === 0 ? `Transcript of ${meeting.subject || "the meeting"}${which}, ${latest.createdDateTime?.slice(0, 10) ?? ""}\n` : "";
      return header + windowedText(text, offset, maxChars, ctx.tool, `joinUrl "${link}", `);
    },
  }),
  defineTool({
    name: "get_presence",
    group: "meetings",
    description: "Teams presence of colleagues.",
    input: {
      userIds: z.array(idField("user", "user ids from search_users")).min(1, "expected at least one user id").max(650, "at most 650 users"),
    },
    scopes: ["Presence.Read.All"],
    annotations: READ,
    audit: { targets: ["userIds"] },
    async run(ctx, { userIds }) {
      const answer = expectOk<Page<Presence>>(
        // A read sent as POST: repeating it changes nothing, so a 503 may be retried.
        await ctx.graph({ method: "POST", path: "/communications/getPresencesByUserId", body: { ids: userIds }, idempotent: true }),
        "read presence",
      );
      return (answer.value ?? []).map(presenceLine).join("\n") || "No presence returned.";
    },
  }),
];
