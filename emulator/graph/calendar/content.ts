import type { EmailAddress } from "./model";

/**
 * @module
 * Invented people and meeting content for seeded calendars. Colleagues take
 * the user's own domain; partners live at fictional `.example` companies.
 */
const COLLEAGUES = [
  "Marisol Achterberg",
  "Tobiah Wren",
  "Ines Kovalenko",
  "Dev Raghunathan",
  "Lucía Ferreyra",
  "Oskar Lindahl",
  "Amara Nwosu",
  "Callum Birch",
  "Yuki Hashimoto",
  "Petra Novaková",
];
const PARTNERS: [string, string][] = [
  ["Hollis Greer", "harbourline-freight.example"],
  ["Nadia Bensaid", "quillon-advisory.example"],
  ["Rafael Menezes", "tidewater-labs.example"],
  ["Greta Holm", "harbourline-freight.example"],
];

function address(name: string, domain: string): EmailAddress {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, ".");
  return { name, address: `${local}@${domain}` };
}

export function peopleFor(domain: string): { colleagues: EmailAddress[]; partners: EmailAddress[] } {
  return {
    colleagues: COLLEAGUES.map((name) => address(name, domain)),
    partners: PARTNERS.map(([name, partnerDomain]) => address(name, partnerDomain)),
  };
}

export const MEETINGS: [subject: string, note: string][] = [
  [
    "Quarterly planning: roadmap draft",
    "Walk through the draft roadmap and agree on the three bets for next quarter. Bring your top risks.",
  ],
  [
    "Customer call: onboarding feedback",
    "The pilot customer shares what slowed their first week. Please read the survey summary beforehand.",
  ],
  ["Design review: checkout flow", "Second pass on the checkout redesign. Figures and the click-through prototype are in the team folder."],
  ["Budget check-in", "Where we stand against the plan, and what we can still move before the freeze."],
  ["Interview: backend engineer", "Systems design round. Scorecard link will be shared in the interview channel."],
  ["Vendor demo: ticketing tool", "Forty-minute demo followed by questions on data residency and SSO."],
  ["Security awareness training", "Mandatory session on phishing and reporting. Cameras optional."],
  ["Sprint retrospective", "What went well, what did not, and one change we will actually make."],
  ["Hiring sync", "Pipeline review for the open roles and interview panel rota."],
  ["Data migration go/no-go", "Final checklist before the cut-over weekend. Owners, please confirm your items."],
  ["Coffee with a new joiner", "Informal chat to say hello and answer questions about how the team works."],
  ["Partner pricing discussion", "Review the proposed tiers and the discount bands for the renewal."],
  ["Incident review: login outage", "Blameless review of last week's sign-in outage. Timeline doc is attached to the ticket."],
  ["Content calendar planning", "Line up posts and newsletters for the next six weeks."],
  ["Contract redlines walkthrough", "Go through the open redlines with legal and agree which to concede."],
  ["Brown-bag: writing good docs", "Lunchtime talk on structuring internal documentation. Bring lunch."],
  ["Release readiness", "Confirm release notes, rollback plan and support briefing."],
  ["Workshop: service blueprint", "Hands-on session mapping the support journey end to end."],
  ["Analytics deep dive", "Look at the activation funnel and the drop after step three."],
  ["Offsite logistics", "Venue, travel and the agenda for the team offsite."],
];

export const ALL_DAY: [subject: string, showAs: "free" | "oof" | "busy"][] = [
  ["Team offsite", "busy"],
  ["Conference: Northern Cloud Summit", "busy"],
  ["Out of office", "oof"],
  ["Company holiday", "oof"],
  ["Focus day: no meetings", "free"],
];

export const ROOMS = [
  "Room 4.12 Fjord",
  "Atrium",
  "Board room",
  "Café on 2",
  "Training room B",
  "Client office, Harbour Street",
  "Meeting room Larch",
];

export function htmlBody(paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`).join("\r\n");
  return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n${body}\r\n</body>\r\n</html>\r\n`;
}

/** The Teams block Outlook appends to an online meeting's body. */
export function teamsBlock(joinUrl: string, conferenceId: string): string {
  return `<div style="margin-bottom:24px;overflow:hidden;white-space:nowrap;">________________________________________________________________________________</div>\r\n<div><span style="font-size:24px;font-weight:600;">Microsoft Teams</span> <span>Need help?</span></div>\r\n<div><a href="${joinUrl}">Join the meeting now</a></div>\r\n<div>Meeting ID: ${conferenceId.replace(/(\d{3})(?=\d)/g, "$1 ")}</div>\r\n<div style="margin-top:24px;overflow:hidden;white-space:nowrap;">________________________________________________________________________________</div>\r\n`;
}

export function withTeamsBlock(html: string, joinUrl: string, conferenceId: string): string {
  const block = teamsBlock(joinUrl, conferenceId);
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${block}</body>`) : `${html}${block}`;
}
