/**
 * @module Time zones as Outlook names them: Windows names ("Pacific Standard Time")
 * or IANA names ("America/Los_Angeles"), resolved to IANA and evaluated with
 * Intl.DateTimeFormat, so DST follows the platform's tz database.
 *
 * "Wall" milliseconds are a local date-time read as if it were UTC (e.g.
 * 09:00 in Berlin → Date.UTC(…, 9, 0)); "instant" milliseconds are real UTC.
 */

const WINDOWS_TO_IANA: Record<string, string> = {
  utc: "UTC",
  "coordinated universal time": "UTC",
  "tzone://microsoft/utc": "UTC",
  "dateline standard time": "Etc/GMT+12",
  "hawaiian standard time": "Pacific/Honolulu",
  "alaskan standard time": "America/Anchorage",
  "pacific standard time": "America/Los_Angeles",
  "us mountain standard time": "America/Phoenix",
  "mountain standard time": "America/Denver",
  "central standard time": "America/Chicago",
  "central standard time (mexico)": "America/Mexico_City",
  "canada central standard time": "America/Regina",
  "sa pacific standard time": "America/Bogota",
  "eastern standard time": "America/New_York",
  "atlantic standard time": "America/Halifax",
  "e. south america standard time": "America/Sao_Paulo",
  "argentina standard time": "America/Buenos_Aires",
  "greenwich standard time": "Atlantic/Reykjavik",
  "gmt standard time": "Europe/London",
  "w. europe standard time": "Europe/Berlin",
  "romance standard time": "Europe/Paris",
  "central europe standard time": "Europe/Budapest",
  "central european standard time": "Europe/Warsaw",
  "gtb standard time": "Europe/Bucharest",
  "fle standard time": "Europe/Kiev",
  "turkey standard time": "Europe/Istanbul",
  "russian standard time": "Europe/Moscow",
  "israel standard time": "Asia/Jerusalem",
  "egypt standard time": "Africa/Cairo",
  "south africa standard time": "Africa/Johannesburg",
  "arabian standard time": "Asia/Dubai",
  "india standard time": "Asia/Kolkata",
  "singapore standard time": "Asia/Singapore",
  "china standard time": "Asia/Shanghai",
  "korea standard time": "Asia/Seoul",
  "tokyo standard time": "Asia/Tokyo",
  "w. australia standard time": "Australia/Perth",
  "e. australia standard time": "Australia/Brisbane",
  "aus eastern standard time": "Australia/Sydney",
  "new zealand standard time": "Pacific/Auckland",
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(iana: string): Intl.DateTimeFormat {
  let format = formatters.get(iana);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: iana,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(iana, format);
  }
  return format;
}

/** The IANA zone for a Windows or IANA name, or undefined when unknown. */
export function resolveZone(name: string): string | undefined {
  const trimmed = name.trim();
  const mapped = WINDOWS_TO_IANA[trimmed.toLowerCase()];
  if (mapped) return mapped;
  if (!/^[A-Za-z][\w+-]*(\/[\w+-]+)*$/.test(trimmed)) return undefined;
  try {
    return formatter(trimmed).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
export function offsetAt(iana: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(iana).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(instant / 1000) * 1000;
}

export function toWall(iana: string, instant: number): number {
  return instant + offsetAt(iana, instant);
}

/** The instant a wall-clock time in `iana` denotes; times in a DST gap move forward. */
export function fromWall(iana: string, wall: number): number {
  const first = wall - offsetAt(iana, wall);
  const second = wall - offsetAt(iana, first);
  if (toWall(iana, second) === wall) return second;
  return wall - Math.min(offsetAt(iana, first), offsetAt(iana, second));
}

/** Graph's dateTimeTimeZone.dateTime text: seconds plus seven fraction digits, no offset. */
export function formatWall(wall: number): string {
  return `${new Date(wall).toISOString().slice(0, 19)}.0000000`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A wall-clock dateTime ("2026-03-29T09:00:00.0000000") as wall ms; undefined when malformed. */
export function parseWall(text: string): number | undefined {
  const match = LOCAL.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  return wall;
}

/** A dateTime in `zone` (Windows or IANA), with or without an explicit offset, as an instant. */
export function parseInstant(text: string, zone: string): number | undefined {
  if (WITH_OFFSET.test(text.trim())) {
    const instant = Date.parse(text.trim());
    return Number.isNaN(instant) ? undefined : instant;
  }
  const iana = resolveZone(zone);
  const wall = parseWall(text);
  return iana === undefined || wall === undefined ? undefined : fromWall(iana, wall);
}

/** A dateTimeTimeZone for `instant` shown in `zone` (the name is echoed as given). */
export function dateTimeIn(instant: number, zone: { name: string; iana: string }): { dateTime: string; timeZone: string } {
  return { dateTime: formatWall(toWall(zone.iana, instant)), timeZone: zone.name };
}

export interface OutputZone {
  /** The name echoed in responses, as the client spelled it. */
  name: string;
  iana: string;
  /** True when it came from a `Prefer: outlook.timezone` header. */
  preferred: boolean;
}

/** The zone a response uses: `Prefer: outlook.timezone="…"` when valid, else UTC. */
export function preferredZone(prefer: string | undefined): OutputZone {
  const match = /outlook\.timezone\s*=\s*"?([^",;]+)"?/i.exec(prefer ?? "");
  const name = match?.[1]?.trim();
  const iana = name ? resolveZone(name) : undefined;
  return name && iana ? { name, iana, preferred: true } : { name: "UTC", iana: "UTC", preferred: false };
}

export const DAY_MS = 86_400_000;
