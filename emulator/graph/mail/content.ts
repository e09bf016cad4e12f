import { pick } from "../random";
import { escapeHtml } from "./text";

/**
 * @module
 * Invented correspondents, subjects and bodies for seeded mailboxes. Every
 * organisation lives under example.com / example.org / example.net; nothing
 * is copied from Microsoft's sample tenants.
 */
export interface Person {
  name: string;
  address: string;
}

export type BodyKind = "note" | "meeting" | "invoice" | "newsletter" | "report" | "notification" | "plain";

export interface Topic {
  subject: string;
  kind: BodyKind;
  /** Sent by a system or list rather than a person: Focused Inbox files it under "other". */
  bulk: boolean;
}

const FIRST = [
  "Amara",
  "Bertrand",
  "Chiara",
  "Dmitri",
  "Esther",
  "Farid",
  "Gwen",
  "Hiroshi",
  "Isolde",
  "Jonas",
  "Keziah",
  "Lorenzo",
  "Maren",
  "Nikhil",
  "Odalys",
  "Pieter",
  "Rhiannon",
  "Stellan",
  "Talia",
  "Umberto",
  "Vesna",
  "Wendell",
  "Xiomara",
  "Yusuf",
  "Zainab",
  "Anouk",
  "Cormac",
  "Delphine",
  "Eamon",
  "Freya",
];
const LAST = [
  "Abernathy",
  "Bjornstad",
  "Calloway",
  "Dunmore",
  "Esposito",
  "Falkenrath",
  "Gallagher",
  "Halvorsen",
  "Iwasaki",
  "Jaramillo",
  "Kaczmarek",
  "Lindgren",
  "Marchetti",
  "Nwachukwu",
  "Oyelowo",
  "Pemberton",
  "Quintero",
  "Rasmussen",
  "Szabo",
  "Thorvaldsen",
  "Underhill",
  "Valcourt",
  "Wojcik",
  "Yilmaz",
];
const ORGS = [
  { name: "Fernhill Capital", domain: "fernhill.example.com" },
  { name: "Bluestone Freight", domain: "bluestone-freight.example.com" },
  { name: "Aldergate Consulting", domain: "aldergate.example.org" },
  { name: "Marlowe Print Works", domain: "marlowe.example.net" },
  { name: "Cinderpeak Software", domain: "cinderpeak.example.com" },
  { name: "Orchard Row Foods", domain: "orchardrow.example.org" },
  { name: "Veridian Labs", domain: "veridian.example.com" },
  { name: "Kingsmere Insurance", domain: "kingsmere.example.net" },
  { name: "Palisade Architects", domain: "palisade.example.org" },
  { name: "Starling Events", domain: "starling-events.example.com" },
];
const PROJECTS = ["Atlas", "Beacon", "Cobalt", "Driftwood", "Evergreen", "Foxglove", "Granite", "Horizon", "Juniper", "Lantern"];
const DEPARTMENTS = ["Finance", "Marketing", "Operations", "Sales", "Engineering", "HR", "Legal", "Procurement"];
const CITIES = ["Lisbon", "Rotterdam", "Toronto", "Osaka", "Nairobi", "Denver", "Krakow", "Melbourne"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const TALKS = [
  "writing better RFCs",
  "negotiating with suppliers",
  "spreadsheet hygiene",
  "accessible slide decks",
  "incident retrospectives",
  "pricing experiments",
];

const SENTENCES = [
  "I went through the numbers again this morning and the variance is smaller than we feared.",
  "Could you confirm whether the revised timeline still works for your team?",
  "The client asked for a short summary before Thursday's call, ideally one page.",
  "We agreed to keep the scope fixed and revisit the optional items in the next phase.",
  "Legal has a couple of comments on clause 7; nothing blocking, but worth a look.",
  "I've attached the latest version — changes since last week are highlighted in yellow.",
  "Shipping from the Rotterdam warehouse is running about three days behind schedule.",
  "Let's aim to close this out before the end of the quarter so finance can book it.",
  "The pilot group gave positive feedback, especially on the reporting dashboard.",
  "Happy to jump on a quick call if that's easier than going back and forth by email.",
  "Procurement needs the signed purchase order before they can release payment.",
  "I've looped in the account team so they have the full context.",
  "The budget line for travel is nearly exhausted, so please check before booking.",
  "We're still waiting on the updated certificate from the vendor's security team.",
  "Attendance at the last workshop was great, so we'll run a second session next month.",
  "Please review the open action items and update the tracker by Friday.",
  "The draft looks good overall; my main suggestion is to tighten the executive summary.",
  "Marketing would like final copy for the landing page by the 14th.",
  "There's a small discrepancy between the invoice and the PO, about €240 in total.",
  "I'll be out of office next week, so Stellan will cover any urgent requests.",
  "The new onboarding flow cut setup time from two days to about four hours.",
  "Could we move our 1:1 to the afternoon? I have a conflict with the steering committee.",
  "Thanks again for the quick turnaround — it made a real difference with the customer.",
  "I've added the risks we discussed to the register with owners and due dates.",
];

function fill(random: () => number, template: string): string {
  return template
    .replace("{project}", pick(random, PROJECTS))
    .replace("{org}", pick(random, ORGS).name)
    .replace("{dept}", pick(random, DEPARTMENTS))
    .replace("{city}", pick(random, CITIES))
    .replace("{weekday}", pick(random, WEEKDAYS))
    .replace("{month}", pick(random, MONTHS))
    .replace("{talk}", pick(random, TALKS))
    .replace("{n}", String(1000 + Math.floor(random() * 9000)))
    .replace("{q}", String(1 + Math.floor(random() * 4)));
}

const TOPICS: { template: string; kind: BodyKind; bulk?: boolean; weight: number }[] = [
  { template: "Q{q} budget review — {dept} follow-ups", kind: "note", weight: 3 },
  { template: "Invoice INV-{n} from {org}", kind: "invoice", weight: 3 },
  { template: "Contract renewal for {org}", kind: "note", weight: 2 },
  { template: "Agenda for {weekday}'s planning session", kind: "meeting", weight: 3 },
  { template: "{project}: weekly status update", kind: "report", weight: 3 },
  { template: "Action required: approve purchase order PO-{n}", kind: "note", weight: 2 },
  { template: "Customer escalation — {org} ticket #{n}", kind: "note", weight: 2 },
  { template: "Draft proposal for {org}", kind: "note", weight: 2 },
  { template: "Travel itinerary: {city} trip", kind: "plain", weight: 2 },
  { template: "Reminder: timesheets due {weekday}", kind: "notification", bulk: true, weight: 2 },
  { template: "Vendor security questionnaire — {org}", kind: "note", weight: 2 },
  { template: "Notes from the {project} kickoff", kind: "meeting", weight: 2 },
  { template: "Your expense report EXP-{n} was approved", kind: "notification", bulk: true, weight: 2 },
  { template: "{org} partner newsletter — {month} edition", kind: "newsletter", bulk: true, weight: 2 },
  { template: "Monthly KPI report — {month}", kind: "report", weight: 2 },
  { template: "Lunch & learn: {talk}", kind: "meeting", weight: 1 },
  { template: "Shipping delay on order {n}", kind: "plain", weight: 2 },
  { template: "Feedback on the {project} wireframes", kind: "note", weight: 2 },
  { template: "Pricing question from {org}", kind: "note", weight: 2 },
  { template: "Board deck — final numbers needed by {weekday}", kind: "note", weight: 1 },
  { template: "Holiday coverage rota for {month}", kind: "plain", weight: 1 },
  { template: "Webinar recording: {talk}", kind: "newsletter", bulk: true, weight: 1 },
];
const TOPIC_WEIGHT = TOPICS.reduce((sum, topic) => sum + topic.weight, 0);

export function pickTopic(random: () => number): Topic {
  let roll = random() * TOPIC_WEIGHT;
  for (const topic of TOPICS) {
    roll -= topic.weight;
    if (roll <= 0) return { subject: fill(random, topic.template), kind: topic.kind, bulk: topic.bulk ?? false };
  }
  return { subject: fill(random, TOPICS[0]?.template ?? "Hello"), kind: "note", bulk: false };
}

export function externalPeople(random: () => number, count: number): Person[] {
  const people = new Map<string, Person>();
  while (people.size < count) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const org = pick(random, ORGS);
    const address = `${first}.${last}@${org.domain}`.toLowerCase();
    people.set(address, { name: `${first} ${last}`, address });
  }
  return [...people.values()];
}

export function colleagues(random: () => number, domain: string, count: number): Person[] {
  return externalPeople(random, count).map((person) => ({ name: person.name, address: `${person.address.split("@")[0]}@${domain}` }));
}

export const SYSTEM_SENDERS: Person[] = [
  { name: "Expenses", address: "no-reply@expenses.example.com" },
  { name: "Timesheet Bot", address: "timesheets@notify.example.org" },
  { name: "Partner Updates", address: "newsletter@updates.example.net" },
];

function paragraphs(random: () => number, count: number): string[] {
  return Array.from({ length: count }, () => `${pick(random, SENTENCES)} ${pick(random, SENTENCES)}`);
}

function signature(from: Person): string {
  return `<div>Best regards,<br>${escapeHtml(from.name)}<br><span style="color:#6b6b6b;font-size:9pt">${escapeHtml(from.address)}</span></div>`;
}

const LONG_STYLE = `<style type="text/css">body{font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#222}table.grid{border-collapse:collapse;width:100%}table.grid td,table.grid th{border:1px solid #d0d7de;padding:4px 8px;font-size:10pt}.muted{color:#6b6b6b}h2{color:#0b5394;margin:18px 0 6px}</style>`;

function longNewsletter(random: () => number, subject: string): string {
  const parts = [
    `<div style="text-align:center"><img src="cid:banner@newsletter" alt="Partner newsletter banner" width="600" height="120"></div>`,
    `<h1 style="font-size:20pt">${escapeHtml(subject)}</h1>`,
    `<p class="muted">You&rsquo;re receiving this because you&rsquo;re a registered partner contact &mdash; <a href="https://updates.example.net/preferences">manage preferences</a>.</p>`,
  ];
  let section = 0;
  while (parts.join("").length < 22_000 + Math.floor(random() * 8_000)) {
    section += 1;
    parts.push(
      `<h2>${section}. ${escapeHtml(pick(random, PROJECTS))} &amp; ${escapeHtml(pick(random, DEPARTMENTS))} update</h2>`,
      ...paragraphs(random, 3).map((text) => `<p>${escapeHtml(text)}</p>`),
      `<table class="grid"><tr><th>Region</th><th>Orders</th><th>Revenue (&euro;)</th><th>Change</th></tr>${CITIES.map(
        (city) =>
          `<tr><td>${city}</td><td>${Math.floor(random() * 900 + 100)}</td><td>${(random() * 90_000 + 10_000).toFixed(2)}</td><td>${random() < 0.5 ? "&#9650;" : "&#9660;"} ${(random() * 12).toFixed(1)}%</td></tr>`,
      ).join("")}</table>`,
      `<p><a href="https://updates.example.net/articles/${section}?utm_source=newsletter">Read the full story &rarr;</a></p>`,
    );
  }
  parts.push(
    `<p class="muted">&copy; Partner Updates &middot; 12 Harbour Street &middot; <a href="https://updates.example.net/unsubscribe">Unsubscribe</a></p>`,
  );
  return parts.join("\r\n");
}

function longReport(random: () => number, from: Person): string {
  const rows: string[] = [];
  const target = 21_000 + Math.floor(random() * 6_000);
  let length = 0;
  for (let week = 1; length < target; week++) {
    const row = `<tr><td>W${week}</td><td>${pick(random, PROJECTS)}</td><td>${pick(random, DEPARTMENTS)}</td><td style="text-align:right">${Math.floor(random() * 5000)}</td><td style="text-align:right">${(random() * 100).toFixed(1)}%</td><td>${random() < 0.8 ? "On track" : '<b style="color:#b00020">At risk</b>'}</td></tr>`;
    rows.push(row);
    length += row.length;
  }
  return [
    `<div><img src="cid:chart@report" alt="Trend chart" width="480" height="240"></div>`,
    `<p>Hi all,</p><p>${escapeHtml(pick(random, SENTENCES))} The full breakdown is below; figures are provisional until finance signs off.</p>`,
    `<table class="grid"><thead><tr><th>Week</th><th>Project</th><th>Team</th><th>Tickets</th><th>SLA met</th><th>Status</th></tr></thead><tbody>${rows.join("\r\n")}</tbody></table>`,
    `<p>Dashboard: <a href="https://dashboards.example.com/kpi?view=weekly&amp;team=all">weekly KPI view</a></p>`,
    signature(from),
  ].join("\r\n");
}

export interface GeneratedBody {
  contentType: "html" | "text";
  content: string;
  /** Inline images the HTML references by `cid:`. */
  inline: { contentId: string; name: string }[];
  head: string;
}

export function composeBody(random: () => number, kind: BodyKind, subject: string, from: Person, to: Person, long: boolean): GeneratedBody {
  const greeting = `<div>Hi ${escapeHtml(to.name.split(" ")[0] ?? to.name)},</div><div><br></div>`;
  const text = (content: string): GeneratedBody => ({ contentType: "text", content, inline: [], head: "" });
  const html = (content: string, inline: GeneratedBody["inline"] = [], head = ""): GeneratedBody => ({
    contentType: "html",
    content,
    inline,
    head,
  });
  if (long && (kind === "newsletter" || kind === "report")) {
    return kind === "newsletter"
      ? html(longNewsletter(random, subject), [{ contentId: "banner@newsletter", name: "banner.png" }], LONG_STYLE)
      : html(longReport(random, from), [{ contentId: "chart@report", name: "chart.png" }], LONG_STYLE);
  }
  switch (kind) {
    case "plain":
      return text(
        `Hi ${to.name.split(" ")[0] ?? to.name},\r\n\r\n${paragraphs(random, 2).join("\r\n\r\n")}\r\n\r\nThanks,\r\n${from.name}`,
      );
    case "notification":
      return html(
        `<table style="width:100%;background:#f3f5f7"><tr><td style="padding:16px"><p><b>${escapeHtml(subject)}</b></p><p>This is an automated message &ndash; please don&#39;t reply. <a href="https://portal.example.com/requests/${Math.floor(random() * 100000)}">View the request</a>.</p></td></tr></table>`,
      );
    case "invoice": {
      const lines = Array.from({ length: 2 + Math.floor(random() * 5) }, () => ({
        item: `${pick(random, PROJECTS)} services — ${pick(random, DEPARTMENTS)}`,
        amount: Math.round(random() * 400_000) / 100,
      }));
      const total = lines.reduce((sum, line) => sum + line.amount, 0);
      const rows = lines
        .map((line) => `<tr><td>${escapeHtml(line.item)}</td><td style="text-align:right">&euro;${line.amount.toFixed(2)}</td></tr>`)
        .join("");
      return html(
        `${greeting}<p>Please find our invoice below. Payment terms are 30 days net.</p><table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>Item</th><th>Amount</th></tr>${rows}<tr><td><b>Total</b></td><td style="text-align:right"><b>&euro;${total.toFixed(2)}</b></td></tr></table><p>Bank details are on file &mdash; contact <a href="mailto:${from.address}">${escapeHtml(from.address)}</a> with questions.</p>${signature(from)}`,
      );
    }
    case "meeting":
      return html(
        `${greeting}<p>${escapeHtml(pick(random, SENTENCES))}</p><p><b>Agenda</b></p><ol>${paragraphs(random, 3 + Math.floor(random() * 3))
          .map((item) => `<li>${escapeHtml(item.split(".")[0] ?? item)}</li>`)
          .join(
            "",
          )}</ol><p>Join link: <a href="https://meet.example.com/j/${Math.floor(random() * 1e9)}">meet.example.com</a></p>${signature(from)}`,
      );
    case "newsletter":
      return html(
        `<h2>${escapeHtml(subject)}</h2>${paragraphs(random, 3)
          .map((p) => `<p>${escapeHtml(p)}</p>`)
          .join(
            "",
          )}<p><a href="https://updates.example.net/latest">Read more</a> &middot; <a href="https://updates.example.net/unsubscribe">Unsubscribe</a></p>`,
      );
    case "report":
      return html(
        `${greeting}<p>Quick status for this week:</p><ul><li><b>Done:</b> ${escapeHtml(pick(random, SENTENCES))}</li><li><b>Next:</b> ${escapeHtml(pick(random, SENTENCES))}</li><li><b>Risks:</b> ${escapeHtml(pick(random, SENTENCES))}</li></ul>${signature(from)}`,
      );
    case "note":
      return html(
        `${greeting}${paragraphs(random, 1 + Math.floor(random() * 4))
          .map((p) => `<p>${escapeHtml(p)}</p>`)
          .join("")}${signature(from)}`,
      );
  }
}

/** Small text files whose bytes become `contentBytes`. */
export function attachmentFile(random: () => number, subject: string, index: number): { name: string; contentType: string; text: string } {
  const slug =
    subject
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 32) || "attachment";
  switch (Math.floor(random() * 5)) {
    case 0:
      return {
        name: `${slug}.csv`,
        contentType: "text/csv",
        text: [
          "month,region,amount",
          ...MONTHS.slice(0, 6).map((month) => `${month},${pick(random, CITIES)},${(random() * 10_000).toFixed(2)}`),
        ].join("\r\n"),
      };
    case 1:
      return { name: `notes-${index + 1}.txt`, contentType: "text/plain", text: paragraphs(random, 3).join("\r\n\r\n") };
    case 2:
      return {
        name: `${slug}-agenda.md`,
        contentType: "text/markdown",
        text: `# ${subject}\n\n${paragraphs(random, 3)
          .map((p) => `- ${p}`)
          .join("\n")}\n`,
      };
    case 3:
      return {
        name: "data-export.json",
        contentType: "application/json",
        text: JSON.stringify(
          {
            subject,
            rows: Array.from({ length: 5 }, (_, i) => ({ id: i + 1, project: pick(random, PROJECTS), score: Math.floor(random() * 100) })),
          },
          null,
          2,
        ),
      };
    default:
      return {
        name: "invite.ics",
        contentType: "text/calendar",
        text: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:${subject}\r\nLOCATION:${pick(random, CITIES)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      };
  }
}

/** A 1×1 PNG, the bytes of every seeded inline image. */
export const PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export const CATEGORIES = [
  "Blue category",
  "Green category",
  "Orange category",
  "Purple category",
  "Red category",
  "Yellow category",
  "Customers",
  "Follow up",
];
