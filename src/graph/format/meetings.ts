/**
 * @module Teams meeting transcripts and presence for a model: a WebVTT
 * transcript becomes "Speaker: text" lines (a speaker's consecutive cues
 * joined, timings dropped), presence one line per user.
 */

/** The speaker and text of each cue, in order; cues without a voice span keep their text with no speaker. */
function cues(vtt: string): { speaker: string; text: string }[] {
  const result: { speaker: string; text: string }[] = [];
  for (const block of vtt.replace(/\r\n/g, "\n").split(/\n{2,}/)) {
    const lines = block.split("\n");
    const timing = lines.findIndex((line) => line.includes("-->"));
    if (timing < 0) continue;
    const payload = lines.slice(timing + 1).join(" ");
    const voice = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(payload);
    const text = payload
      .replace(/<[^>]*>/g, "")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/\s+/g, " ")
      .trim();
    if (text) result.push({ speaker: voice?.[1]?.trim() ?? "", text });
  }
  return result;
}

/** "Speaker: text" lines, one per turn. */
export function transcriptText(vtt: string): string {
  const turns: { speaker: string; text: string }[] = [];
  for (const cue of cues(vtt)) {
    const last = turns.at(-1);
    if (last && last.speaker === cue.speaker) last.text += ` ${cue.text}`;
    else turns.push({ ...cue });
  }
  return turns.map((turn) => (turn.speaker ? `${turn.speaker}: ${turn.text}` : turn.text)).join("\n");
}

export interface Presence {
  id: string;
  availability?: string;
  activity?: string;
}

/** Teams' PascalCase states in plain words: "DoNotDisturb" → "do not disturb". */
const words = (state: string) => state.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

export function presenceLine(presence: Presence): string {
  const availability = presence.availability ? words(presence.availability) : "unknown";
  const activity = presence.activity && presence.activity !== presence.availability ? words(presence.activity) : undefined;
  return [presence.id, availability, activity].filter(Boolean).join(" · ");
}
