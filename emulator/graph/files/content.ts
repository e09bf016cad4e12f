import { pick, seededRandom } from "../random";
import { docx, pptx, simplePdf, xlsx } from "./office";

/**
 * @module
 * What a seeded OneDrive holds: the folder tree, ~40 files with real text
 * for text formats, real Word, Excel, PowerPoint and PDF files (./office.ts),
 * and one ~5 MB CSV generated on demand.
 */
export interface FileSpec {
  path: string;
  /** Small files: the bytes. */
  content?: (ctx: ContentContext) => Uint8Array;
  /** Large files: logical size and a deterministic byte-range generator. */
  large?: { size: number; read: (start: number, endExclusive: number) => Uint8Array };
}

export interface ContentContext {
  ownerName: string;
  random: () => number;
}

export const FOLDERS = [
  "Documents",
  "Documents/Meeting notes",
  "Documents/Reports",
  "Projects",
  "Projects/Atlas migration",
  "Projects/Harbor redesign",
  "Projects/Data",
  "Shared",
];

export const MIME_TYPES: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  html: "text/html",
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  png: "image/png",
};

export function mimeTypeOf(name: string): string {
  return MIME_TYPES[name.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

export function isText(mimeType: string): boolean {
  return mimeType.startsWith("text/") || mimeType === "application/json";
}

const encoder = new TextEncoder();
const text = (make: (ctx: ContentContext) => string) => (ctx: ContentContext) => encoder.encode(make(ctx));
const int = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/**
 * A real Word, Excel, PowerPoint or PDF file for `title` (its extension
 * says which), with seeded text, so its content can be read as Microsoft
 * would serve it.
 */
function officeFile(title: string): (ctx: ContentContext) => Uint8Array {
  return ({ random, ownerName }) => {
    const extension = title.split(".").pop() ?? "";
    const name = title.replace(/\.[^.]+$/, "");
    const topic = pick(random, TOPICS);
    const rows = Array.from({ length: int(random, 3, 6) }, (_, i) => [
      `Item ${i + 1}`,
      pick(random, PEOPLE),
      pick(random, ["done", "in progress", "not started"]),
    ]);
    if (extension === "docx") {
      return docx([
        { heading: name },
        { paragraph: `Prepared by ${ownerName}. This document covers ${topic}.` },
        { heading: "Status", level: 2 },
        { table: [["Item", "Owner", "Status"], ...rows] },
        { paragraph: `Next review in ${int(random, 2, 6)} weeks.` },
      ]);
    }
    if (extension === "xlsx") {
      return xlsx([
        {
          name: "Summary",
          rows: [
            ["Line", "Amount", "Share"],
            ...rows.map((row, i) => [row[0] ?? "", { value: int(random, 100, 9000) + i / 4, style: 2 }, { value: random(), style: 1 }]),
          ],
        },
        { name: "Owners", rows: [["Item", "Owner", "Status"], ...rows] },
      ]);
    }
    if (extension === "pptx") {
      return pptx([
        { shapes: [[name], [`Presented by ${ownerName}`]], notes: `Open with ${topic}.` },
        { shapes: [["Agenda"], rows.map((row) => `${row[0]}: ${row[1]}`)] },
        { shapes: [["Questions?"]] },
      ]);
    }
    return simplePdf([
      [name, `Prepared by ${ownerName}.`, `This document covers ${topic}.`],
      ["Status", ...rows.map((row) => row.join(" - "))],
    ]);
  };
}

const TOPICS = [
  "vendor onboarding",
  "capacity planning",
  "the support backlog",
  "hiring for the platform team",
  "the Q3 roadmap",
  "office move logistics",
];
const ACTIONS = [
  "draft a proposal",
  "collect numbers from finance",
  "book a follow-up",
  "update the tracker",
  "share the slides",
  "check with legal",
];
const PEOPLE = ["Ines", "Kofi", "Marguerite", "Dario", "Yuki", "Halina", "Emeka", "Wren"];

function meetingNotes(title: string) {
  return text(({ random, ownerName }) => {
    const topic = pick(random, TOPICS);
    const items = Array.from({ length: int(random, 3, 6) }, () => `- [ ] ${pick(random, PEOPLE)} to ${pick(random, ACTIONS)}`).join("\n");
    return `# ${title}\n\nNotes taken by ${ownerName}.\n\n## Agenda\n1. Status round\n2. Discussion: ${topic}\n3. Any other business\n\n## Decisions\n- We agreed to revisit ${topic} in two weeks.\n- Budget stays within the approved envelope of ${int(random, 20, 90)}k.\n\n## Action items\n${items}\n`;
  });
}

function csv(header: string[], rows: (random: () => number, index: number) => (string | number)[], count: [number, number]) {
  return text(({ random }) => {
    const lines = Array.from({ length: int(random, count[0], count[1]) }, (_, index) => rows(random, index).join(","));
    return `${header.join(",")}\n${lines.join("\n")}\n`;
  });
}

/** Fixed-width rows so any byte range can be generated without the rest. */
const LINE = 64;
const LARGE_SIZE = 5 * 1024 * 1024;

function sensorLine(index: number): string {
  if (index === 0) return "timestamp,sensor,temperature_c,humidity_pct,battery_v".padEnd(LINE - 1, " ") + "\n";
  const hash = Math.imul(index ^ 0x5bd1e995, 2654435761) >>> 0;
  const ts = new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString().slice(0, 19);
  const row = `${ts}Z,S-${String(hash % 48).padStart(2, "0")},${(15 + (hash % 1500) / 100).toFixed(2)},${(30 + ((hash >>> 8) % 600) / 10).toFixed(1)},${(3 + ((hash >>> 16) % 120) / 100).toFixed(2)}`;
  return row.padEnd(LINE - 1, " ") + "\n";
}

function readSensorCsv(start: number, endExclusive: number): Uint8Array {
  const first = Math.floor(start / LINE);
  const last = Math.floor((endExclusive - 1) / LINE);
  let chunk = "";
  for (let line = first; line <= last; line++) chunk += sensorLine(line);
  return encoder.encode(chunk).slice(start - first * LINE, endExclusive - first * LINE);
}

const CARRIERS = ["Kestrel Freight", "Nordlys Cargo", "Łódź Haulage", "Père & Fils Transports", "Blue Heron Logistics"];
const DOCK_NOTES = [
  "no damage",
  "one pallet re-wrapped",
  "late by 20 min",
  "seal number checked",
  "temperature log attached",
  "driver waited for the forklift",
];

/**
 * A plain-text log of several tens of kilobytes with lines of uneven length
 * and some non-ASCII names, for reading a text file window by window.
 */
function dockLog({ random }: ContentContext): Uint8Array {
  const lines = ["LOADING DOCK LOG - north warehouse", ""];
  for (let entry = 0; entry < 600; entry++) {
    const day = String(1 + Math.floor(entry / 20)).padStart(2, "0");
    const minute = (entry % 20) * 3;
    const time = `${String(6 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
    lines.push(
      `#${entry + 1} day ${day} ${time} dock ${int(random, 1, 6)} ${pick(random, CARRIERS)}: ${int(random, 1, 40)} pallets, ${pick(random, DOCK_NOTES)}; checked by ${pick(random, PEOPLE)}.`,
    );
  }
  return encoder.encode(`${lines.join("\n")}\n`);
}

/** A saved web page, long enough that its text spans two windows. */
function releaseNotesPage({ random }: ContentContext): Uint8Array {
  const sections = Array.from({ length: 30 }, (_, i) => {
    const items = Array.from(
      { length: 4 },
      () =>
        `<li>${pick(random, ["Faster", "Clearer", "Safer", "Simpler"])} ${pick(random, ["checkout", "search", "receipts", "order history", "dark theme"])} for ${pick(random, PEOPLE)}&#39;s team</li>`,
    ).join("");
    return `<h2>Release ${i + 1}</h2>\n<p>Build ${int(random, 1000, 9999)} &amp; its fixes.</p>\n<ul>${items}</ul>`;
  }).join("\n");
  return encoder.encode(
    `<!doctype html>\n<html><head><title>Harbor release notes</title><style>body { font-family: sans-serif; }</style></head>\n<body><h1>Harbor release notes</h1>\n${sections}\n</body></html>\n`,
  );
}

export const FILES: FileSpec[] = [
  {
    path: "Welcome.txt",
    content: text(
      ({ ownerName }) =>
        `Hi ${ownerName},\n\nThis is your OneDrive. Files in Shared are visible to your team; everything else is private until you share it.\n\nTip: search works on file names and on the text inside .txt, .md, .csv and .json files.\n`,
    ),
  },
  {
    path: "Scratchpad.md",
    content: text(
      ({ random }) =>
        `# Scratchpad\n\n- Ideas for ${pick(random, TOPICS)}\n- Ask ${pick(random, PEOPLE)} about the Harbor timeline\n- Remember: expense cut-off is the 25th\n`,
    ),
  },
  { path: "Documents/Budget 2025.xlsx", content: officeFile("Budget 2025.xlsx") },
  { path: "Documents/Expense report March.pdf", content: officeFile("Expense report March.pdf") },
  { path: "Documents/Quarterly review.docx", content: officeFile("Quarterly review.docx") },
  {
    path: "Documents/Personal goals.md",
    content: text(
      ({ random }) =>
        `# Goals this year\n\n1. Ship the Atlas migration without a sev-1\n2. Mentor ${pick(random, PEOPLE)} through their first launch\n3. Finish the data-modelling course (${int(random, 3, 9)} modules left)\n4. Take the full two weeks of summer leave\n`,
    ),
  },
  {
    path: "Documents/Travel checklist.txt",
    content: text(
      () => "Passport (check expiry)\nTravel adapter\nLaptop charger\nPrinted hotel confirmation\nCompany card\nOffline maps downloaded\n",
    ),
  },
  { path: "Documents/Meeting notes/Weekly sync - week 14.md", content: meetingNotes("Weekly sync - week 14") },
  { path: "Documents/Meeting notes/Weekly sync - week 15.md", content: meetingNotes("Weekly sync - week 15") },
  { path: "Documents/Meeting notes/Vendor call - Kestrel Freight.md", content: meetingNotes("Vendor call - Kestrel Freight") },
  { path: "Documents/Meeting notes/Retro - Atlas sprint 7.md", content: meetingNotes("Retro - Atlas sprint 7") },
  { path: "Documents/Meeting notes/Planning offsite.md", content: meetingNotes("Planning offsite") },
  { path: "Documents/Meeting notes/1-1 notes.md", content: meetingNotes("1:1 notes") },
  { path: "Documents/Reports/Customer survey results.xlsx", content: officeFile("Customer survey results.xlsx") },
  { path: "Documents/Reports/Annual summary.pdf", content: officeFile("Annual summary.pdf") },
  { path: "Documents/Reports/Vendor comparison.docx", content: officeFile("Vendor comparison.docx") },
  {
    path: "Documents/Reports/survey-raw.csv",
    content: csv(
      ["respondent", "region", "score", "would_recommend"],
      (random, i) => [`R${1000 + i}`, pick(random, ["north", "south", "east", "west"]), int(random, 1, 10), random() < 0.7 ? "yes" : "no"],
      [25, 60],
    ),
  },
  {
    path: "Documents/Reports/Quarterly KPIs.csv",
    content: csv(
      ["quarter", "revenue_k", "churn_pct", "nps"],
      (random, i) => [
        `Q${(i % 4) + 1}-${2023 + Math.floor(i / 4)}`,
        int(random, 800, 1600),
        (random() * 5).toFixed(1),
        int(random, 10, 60),
      ],
      [8, 8],
    ),
  },
  {
    path: "Projects/Atlas migration/Plan.md",
    content: text(
      ({ random, ownerName }) =>
        `# Atlas migration plan\n\nOwner: ${ownerName}\n\n## Goal\nMove the order service off the legacy cluster onto the managed platform with zero data loss.\n\n## Phases\n1. Inventory dependencies (${int(random, 12, 30)} services)\n2. Dual-write for two weeks\n3. Cutover during the low-traffic window\n4. Decommission the old cluster\n\n## Open questions\n- Who owns the nightly batch export?\n- Do we need a freeze for the finance close?\n`,
    ),
  },
  {
    path: "Projects/Atlas migration/Timeline.csv",
    content: csv(
      ["milestone", "week", "owner", "status"],
      (random, i) => [`M${i + 1}`, int(random, 1, 26), pick(random, PEOPLE), pick(random, ["done", "in progress", "not started"])],
      [6, 10],
    ),
  },
  {
    path: "Projects/Atlas migration/Risks.txt",
    content: text(
      ({ random }) =>
        `RISK REGISTER - Atlas\n\n1. Schema drift between regions (likelihood: medium)\n2. Batch export depends on a retired host (likelihood: high)\n3. On-call fatigue during cutover week (likelihood: ${pick(random, ["low", "medium"])})\n\nMitigations are tracked in Plan.md.\n`,
    ),
  },
  { path: "Projects/Atlas migration/Architecture overview.pdf", content: officeFile("Architecture overview.pdf") },
  {
    path: "Projects/Atlas migration/service-config.json",
    content: text(
      ({ random }) =>
        `${JSON.stringify({ service: "orders", region: pick(random, ["westeurope", "northeurope"]), replicas: int(random, 2, 6), features: { dualWrite: true, readFromNew: false }, owners: ["platform-team"] }, null, 2)}\n`,
    ),
  },
  { path: "Projects/Atlas migration/Cutover runbook.docx", content: officeFile("Cutover runbook.docx") },
  { path: "Projects/Atlas migration/Cost model.xlsx", content: officeFile("Cost model.xlsx") },
  { path: "Projects/Harbor redesign/Creative brief.docx", content: officeFile("Creative brief.docx") },
  {
    path: "Projects/Harbor redesign/Customer feedback.txt",
    content: text(
      ({ random }) =>
        `Customer feedback - Harbor beta\n\n"The new checkout is much faster." - ${pick(random, PEOPLE)}\n"I could not find the order history link." - ${pick(random, PEOPLE)}\n"Dark mode please!" - ${pick(random, PEOPLE)}\n`,
    ),
  },
  {
    path: "Projects/Harbor redesign/palette.json",
    content: text(
      () =>
        `${JSON.stringify({ primary: "#1F6F8B", secondary: "#99A8B2", accent: "#E6D5B8", danger: "#C0392B", fontFamily: "Inter, sans-serif" }, null, 2)}\n`,
    ),
  },
  { path: "Projects/Harbor redesign/Mockups.pdf", content: officeFile("Mockups.pdf") },
  { path: "Projects/Harbor redesign/Release notes.html", content: releaseNotesPage },
  {
    path: "Projects/Harbor redesign/Usability findings.md",
    content: text(
      ({ random }) =>
        `# Usability findings\n\nSessions: ${int(random, 6, 12)}\n\n- Navigation labels were understood by most participants.\n- The search box was missed on mobile.\n- Two participants expected receipts by e-mail.\n`,
    ),
  },
  {
    path: "Projects/Harbor redesign/Sprint board.csv",
    content: csv(
      ["ticket", "title", "points", "assignee"],
      (random, i) => [
        `HB-${100 + i}`,
        pick(random, ["Header layout", "Cart drawer", "Receipt e-mail", "Search on mobile", "Dark theme"]),
        int(random, 1, 8),
        pick(random, PEOPLE),
      ],
      [10, 20],
    ),
  },
  { path: "Projects/Data/sensor-readings-2025.csv", large: { size: LARGE_SIZE, read: readSensorCsv } },
  { path: "Projects/Data/loading-dock-log.txt", content: dockLog },
  {
    path: "Projects/Data/schema.json",
    content: text(
      () =>
        `${JSON.stringify(
          {
            table: "sensor_readings",
            columns: [
              { name: "timestamp", type: "datetime" },
              { name: "sensor", type: "string" },
              { name: "temperature_c", type: "decimal" },
              { name: "humidity_pct", type: "decimal" },
              { name: "battery_v", type: "decimal" },
            ],
          },
          null,
          2,
        )}\n`,
    ),
  },
  {
    path: "Projects/Data/README.md",
    content: text(
      () =>
        "# Data\n\n`sensor-readings-2025.csv` holds one reading per minute from the warehouse sensors. Rows are fixed width (64 bytes) so ranges can be fetched directly.\n",
    ),
  },
  {
    path: "Shared/Team contacts.csv",
    content: csv(
      ["name", "role", "extension"],
      (random, i) => [
        PEOPLE[i % PEOPLE.length] ?? "",
        pick(random, ["Engineer", "Designer", "Analyst", "Manager"]),
        int(random, 2000, 2999),
      ],
      [8, 8],
    ),
  },
  {
    path: "Shared/Onboarding guide.md",
    content: text(
      () =>
        "# Onboarding guide\n\nWelcome to the team!\n\n1. Get your laptop from the service desk.\n2. Join the General channel and introduce yourself.\n3. Read the team's handbook (Shared/Handbook.pdf).\n4. Pair with your buddy for the first week.\n",
    ),
  },
  { path: "Shared/Handbook.pdf", content: officeFile("Handbook.pdf") },
  { path: "Shared/Holiday rota.xlsx", content: officeFile("Holiday rota.xlsx") },
  { path: "Shared/Brand guidelines.pdf", content: officeFile("Brand guidelines.pdf") },
  { path: "Shared/Retro notes.md", content: meetingNotes("Team retro") },
  { path: "Shared/Kickoff deck.pptx", content: officeFile("Kickoff deck.pptx") },
];

export function contentContext(seed: string, ownerName: string): ContentContext {
  return { ownerName, random: seededRandom(seed) };
}
