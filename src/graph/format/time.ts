/**
 * @module Time zones for calendar tools. Outlook names zones the Windows way
 * ("W. Europe Standard Time") or the IANA way ("Europe/Berlin"); both are
 * resolved to IANA and evaluated with Intl.DateTimeFormat, so DST follows
 * the platform's tz database and every time shown carries its UTC offset.
 *
 * "Wall" milliseconds are a local date-time read as if it were UTC (09:00 in
 * Berlin → Date.UTC(…, 9, 0)); "instant" milliseconds are real UTC.
 */

// Windows zone → IANA (CLDR windowsZones, territory "001"): the zones Outlook users
// most often have. Unknown Windows names fall back to UTC rather than guessing.
const WINDOWS_ZONES: readonly (readonly [windows: string, iana: string])[] = [
  ["UTC", "UTC"],
  ["Dateline Standard Time", "Etc/GMT+12"],
  ["UTC-11", "Etc/GMT+11"],
  ["Hawaiian Standard Time", "Pacific/Honolulu"],
  ["Alaskan Standard Time", "America/Anchorage"],
  ["Pacific Standard Time (Mexico)", "America/Tijuana"],
  ["Pacific Standard Time", "America/Los_Angeles"],
  ["US Mountain Standard Time", "America/Phoenix"],
  ["Mountain Standard Time (Mexico)", "America/Mazatlan"],
  ["Mountain Standard Time", "America/Denver"],
  ["Central America Standard Time", "America/Guatemala"],
  ["Central Standard Time", "America/Chicago"],
  ["Central Standard Time (Mexico)", "America/Mexico_City"],
  ["Canada Central Standard Time", "America/Regina"],
  ["SA Pacific Standard Time", "America/Bogota"],
  ["Eastern Standard Time", "America/New_York"],
  ["US Eastern Standard Time", "America/Indiana/Indianapolis"],
  ["Venezuela Standard Time", "America/Caracas"],
  ["Atlantic Standard Time", "America/Halifax"],
  ["SA Western Standard Time", "America/La_Paz"],
  ["Pacific SA Standard Time", "America/Santiago"],
  ["Newfoundland Standard Time", "America/St_Johns"],
  ["E. South America Standard Time", "America/Sao_Paulo"],
  ["Argentina Standard Time", "America/Argentina/Buenos_Aires"],
  ["SA Eastern Standard Time", "America/Cayenne"],
  ["Montevideo Standard Time", "America/Montevideo"],
  ["UTC-02", "Etc/GMT+2"],
  ["Azores Standard Time", "Atlantic/Azores"],
  ["Cape Verde Standard Time", "Atlantic/Cape_Verde"],
  ["GMT Standard Time", "Europe/London"],
  ["Greenwich Standard Time", "Atlantic/Reykjavik"],
  ["Morocco Standard Time", "Africa/Casablanca"],
  ["W. Europe Standard Time", "Europe/Berlin"],
  ["Central Europe Standard Time", "Europe/Budapest"],
  ["Romance Standard Time", "Europe/Paris"],
  ["Central European Standard Time", "Europe/Warsaw"],
  ["W. Central Africa Standard Time", "Africa/Lagos"],
  ["GTB Standard Time", "Europe/Bucharest"],
  ["Middle East Standard Time", "Asia/Beirut"],
  ["Egypt Standard Time", "Africa/Cairo"],
  ["E. Europe Standard Time", "Europe/Chisinau"],
  ["South Africa Standard Time", "Africa/Johannesburg"],
  ["FLE Standard Time", "Europe/Kiev"],
  ["Israel Standard Time", "Asia/Jerusalem"],
  ["Jordan Standard Time", "Asia/Amman"],
  ["Arabic Standard Time", "Asia/Baghdad"],
  ["Turkey Standard Time", "Europe/Istanbul"],
  ["Arab Standard Time", "Asia/Riyadh"],
  ["Russian Standard Time", "Europe/Moscow"],
  ["E. Africa Standard Time", "Africa/Nairobi"],
  ["Iran Standard Time", "Asia/Tehran"],
  ["Arabian Standard Time", "Asia/Dubai"],
  ["Azerbaijan Standard Time", "Asia/Baku"],
  ["Afghanistan Standard Time", "Asia/Kabul"],
  ["West Asia Standard Time", "Asia/Tashkent"],
  ["Pakistan Standard Time", "Asia/Karachi"],
  ["India Standard Time", "Asia/Kolkata"],
  ["Sri Lanka Standard Time", "Asia/Colombo"],
  ["Nepal Standard Time", "Asia/Kathmandu"],
  ["Central Asia Standard Time", "Asia/Almaty"],
  ["Bangladesh Standard Time", "Asia/Dhaka"],
  ["Myanmar Standard Time", "Asia/Yangon"],
  ["SE Asia Standard Time", "Asia/Bangkok"],
  ["North Asia Standard Time", "Asia/Krasnoyarsk"],
  ["China Standard Time", "Asia/Shanghai"],
  ["Singapore Standard Time", "Asia/Singapore"],
  ["W. Australia Standard Time", "Australia/Perth"],
  ["Taipei Standard Time", "Asia/Taipei"],
  ["Tokyo Standard Time", "Asia/Tokyo"],
  ["Korea Standard Time", "Asia/Seoul"],
  ["Cen. Australia Standard Time", "Australia/Adelaide"],
  ["AUS Central Standard Time", "Australia/Darwin"],
  ["E. Australia Standard Time", "Australia/Brisbane"],
  ["AUS Eastern Standard Time", "Australia/Sydney"],
  ["West Pacific Standard Time", "Pacific/Port_Moresby"],
  ["Tasmania Standard Time", "Australia/Hobart"],
  ["Vladivostok Standard Time", "Asia/Vladivostok"],
  ["New Zealand Standard Time", "Pacific/Auckland"],
  ["UTC+12", "Etc/GMT-12"],
  ["Fiji Standard Time", "Pacific/Fiji"],
  ["Tonga Standard Time", "Pacific/Tongatapu"],
  ["Samoa Standard Time", "Pacific/Apia"],
];

// Aliases Graph also uses for UTC.
const UTC_ALIASES = ["coordinated universal time", "tzone://microsoft/utc", "etc/utc", "gmt", "z"];

const BY_WINDOWS_NAME = new Map<string, { windows: string; iana: string }>(
  WINDOWS_ZONES.map(([windows, iana]) => [windows.toLowerCase(), { windows, iana }]),
);
// The first Windows name per IANA zone, so an IANA input can be sent to Graph under the name Outlook knows best.
const BY_IANA = new Map<string, string>();
for (const [windows, iana] of WINDOWS_ZONES) if (!BY_IANA.has(iana.toLowerCase())) BY_IANA.set(iana.toLowerCase(), windows);
BY_IANA.set("asia/calcutta", "India Standard Time");
BY_IANA.set("europe/kyiv", "FLE Standard Time");

/** A zone the gateway can compute with: `name` is what Graph is sent, `iana` is what Intl evaluates. */
export interface Zone {
  name: string;
  iana: string;
}

export const UTC_ZONE: Zone = { name: "UTC", iana: "UTC" };

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

/** The zone for a Windows or IANA name, or undefined when neither this map nor Intl knows it. */
export function resolveZone(name: string): Zone | undefined {
  const trimmed = name.trim();
  const key = trimmed.toLowerCase();
  if (UTC_ALIASES.includes(key)) return UTC_ZONE;
  const windows = BY_WINDOWS_NAME.get(key);
  if (windows) return { name: windows.windows, iana: windows.iana };
  // Only plausible IANA shapes reach Intl, which throws RangeError on unknown zones.
  if (!/^[A-Za-z][\w+-]*(\/[\w+-]+)*$/.test(trimmed)) return undefined;
  try {
    const iana = formatter(trimmed).resolvedOptions().timeZone;
    return { name: BY_IANA.get(key) ?? BY_IANA.get(iana.toLowerCase()) ?? iana, iana };
  } catch {
    return undefined;
  }
}

/** The zone's offset from UTC at `instant`, in minutes (east positive). */
export function offsetMinutes(iana: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(iana).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

export function toWall(iana: string, instant: number): number {
  return instant + offsetMinutes(iana, instant) * 60_000;
}

/** The instant a wall-clock time in `iana` denotes; a time inside a DST gap moves forward, as Outlook does. */
export function fromWall(iana: string, wall: number): number {
  const first = wall - offsetMinutes(iana, wall) * 60_000;
  const second = wall - offsetMinutes(iana, first) * 60_000;
  if (toWall(iana, second) === wall) return second;
  return wall - Math.min(offsetMinutes(iana, first), offsetMinutes(iana, second)) * 60_000;
}

/** "+01:00", "-04:00", "+05:30". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

interface WallParts {
  weekday: string;
  date: string;
  time: string;
  offset: string;
}

function partsAt(instant: number, zone: Zone): WallParts {
  const offset = offsetMinutes(zone.iana, instant);
  const wall = new Date(instant + offset * 60_000);
  const iso = wall.toISOString();
  return { weekday: WEEKDAYS[wall.getUTCDay()] ?? "", date: iso.slice(0, 10), time: iso.slice(11, 16), offset: formatOffset(offset) };
}

// Graph's dateTimeTimeZone.dateTime has no offset: "2026-11-25T09:00:00.0000000".
const GRAPH_WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/;

/** A wall-clock text as wall ms, or undefined when it is not a real date and time. */
export function parseWall(text: string): number | undefined {
  const match = GRAPH_WALL.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = "0"] = match;
  return wallFromParts(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
}

function wallFromParts(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over to March; a roll-over means the date does not exist.
  return new Date(wall).getUTCDate() === day ? wall : undefined;
}

export interface GraphDateTime {
  dateTime?: string;
  timeZone?: string;
}

/** The instant a Graph dateTimeTimeZone denotes; a zone the gateway cannot resolve is read as UTC. */
export function instantOf(value: GraphDateTime | undefined): number | undefined {
  const wall = value?.dateTime ? parseWall(value.dateTime) : undefined;
  if (wall === undefined) return undefined;
  const zone = resolveZone(value?.timeZone ?? "UTC") ?? UTC_ZONE;
  return fromWall(zone.iana, wall);
}

/** A Graph dateTimeTimeZone for `instant`, as wall-clock text in `zone`. */
export function toGraphDateTime(instant: number, zone: Zone): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(toWall(zone.iana, instant)).toISOString().slice(0, 19), timeZone: zone.name };
}

/** `instant` in `zone` as "2026-11-25 09:00 +01:00". */
export function formatInstant(instant: number, zone: Zone): string {
  const parts = partsAt(instant, zone);
  return `${parts.date} ${parts.time} ${parts.offset}`;
}

/** A Graph dateTimeTimeZone shown in `zone` as "2026-11-25 09:00 +01:00" (converted when Graph used another zone). */
export function formatDateTime(value: GraphDateTime | undefined, zone: Zone): string {
  const instant = instantOf(value);
  return instant === undefined ? (value?.dateTime ?? "") : formatInstant(instant, zone);
}

/**
 * A time range in `zone`, as short as stays unambiguous:
 * "Wed 2026-11-25 09:00–09:30 +01:00"; "Sun 2026-10-25 01:00 +02:00 – 04:00 +01:00"
 * across a DST change; both dates when it spans midnight.
 */
export function formatInstantRange(start: number, end: number, zone: Zone): string {
  const from = partsAt(start, zone);
  const to = partsAt(end, zone);
  const head = `${from.weekday} ${from.date} ${from.time}`;
  if (from.date !== to.date) return `${head} ${from.offset} – ${to.weekday} ${to.date} ${to.time} ${to.offset}`;
  if (from.offset !== to.offset) return `${head} ${from.offset} – ${to.time} ${to.offset}`;
  return `${head}–${to.time} ${to.offset}`;
}

/** A day count as a weekday and date: all-day events float, so their dates are shown as stored. */
function dayLabel(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[day.getUTCDay()] ?? ""} ${date}`;
}

/** An event's start–end from Graph values; all-day events show their dates (the end is exclusive in Graph). */
export function formatRange(start: GraphDateTime | undefined, end: GraphDateTime | undefined, zone: Zone, allDay = false): string {
  if (allDay && start?.dateTime) {
    const first = start.dateTime.slice(0, 10);
    const endWall = end?.dateTime ? parseWall(end.dateTime) : undefined;
    const last = endWall === undefined ? first : new Date(endWall - 86_400_000).toISOString().slice(0, 10);
    return last > first ? `${dayLabel(first)} – ${dayLabel(last)} all day` : `${dayLabel(first)} all day`;
  }
  const from = instantOf(start);
  const to = instantOf(end);
  if (from === undefined || to === undefined) return `${start?.dateTime ?? "?"} – ${end?.dateTime ?? "?"}`;
  return formatInstantRange(from, to, zone);
}

/** What a user typed as a time: wall ms, plus its explicit offset (minutes) when it had one. */
export interface TimeInput {
  wall: number;
  offsetMinutes?: number;
  dateOnly: boolean;
}

const USER_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parses "2026-11-25", "2026-11-25T09:00", "2026-11-25T09:00:00+01:00" or "…Z"; undefined when malformed. */
export function parseTimeInput(text: string): TimeInput | undefined {
  const match = USER_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = "0", offset] = match;
  const wall = wallFromParts(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s));
  if (wall === undefined) return undefined;
  if (!offset) return { wall, dateOnly: h === undefined };
  if (offset.toUpperCase() === "Z") return { wall, offsetMinutes: 0, dateOnly: false };
  const digits = offset.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  if (minutes > 14 * 60) return undefined;
  return { wall, offsetMinutes: digits.startsWith("-") ? -minutes : minutes, dateOnly: false };
}

export const DAY_MS = 86_400_000;

/**
 * The instant a user's time denotes: with an offset, exactly that; without,
 * wall-clock time in `zone`. A date alone is midnight, or, as an end
 * (`endOfDay`), the next midnight so the whole day is covered.
 */
export function resolveTimeInput(input: TimeInput, zone: Zone, endOfDay = false): number {
  if (input.offsetMinutes !== undefined) return input.wall - input.offsetMinutes * 60_000;
  return fromWall(zone.iana, input.dateOnly && endOfDay ? input.wall + DAY_MS : input.wall);
}

/** Midnight today in `zone`, as an instant. */
export function startOfToday(zone: Zone, now = Date.now()): number {
  const wall = toWall(zone.iana, now);
  return fromWall(zone.iana, Math.floor(wall / DAY_MS) * DAY_MS);
}

/** An instant as Graph's query-string form with an explicit UTC designator: "2026-11-25T08:00:00Z". */
export function utcQueryTime(instant: number): string {
  return `${new Date(instant).toISOString().slice(0, 19)}Z`;
}

/** The calendar day a user named, as wall ms at midnight: all-day events float, so an offset is ignored. */
export function dayOfInput(input: TimeInput): number {
  return Math.floor(input.wall / DAY_MS) * DAY_MS;
}

/**
 * Graph start/end for an event in `zone`. Timed events take instants; all-day
 * events take wall-clock midnights (start day, and the day after the last).
 */
export function eventTimes(start: number, end: number, zone: Zone, allDay: boolean): { start: GraphDateTime; end: GraphDateTime } {
  if (!allDay) return { start: toGraphDateTime(start, zone), end: toGraphDateTime(end, zone) };
  const midnight = (wall: number) => ({ dateTime: new Date(wall).toISOString().slice(0, 19), timeZone: zone.name });
  return { start: midnight(start), end: midnight(end) };
}

/** Minutes as an ISO 8601 duration, the form Graph documents for meetingDuration: 90 → "PT1H30M". */
export function isoDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const parts = `${hours ? `${hours}H` : ""}${minutes % 60 ? `${minutes % 60}M` : ""}`;
  return `PT${parts || "0M"}`;
}
