import { pick } from "../random";

/**
 * @module
 * Invented text for seeded Teams conversations: teams with their channels
 * and, per channel, what people talk about there; replies; chat lines.
 */
export type MemberRuleName = "all" | "even" | "odd";

export interface TeamSpec {
  displayName: string;
  description: string;
  visibility: "private" | "public";
  members: MemberRuleName;
  channels: { displayName: string; description: string; topics: string[] }[];
}

export const GENERAL_TOPICS = [
  "the all-hands moved to Thursday at 15:00",
  "the new expense tool goes live on Monday",
  "please update your emergency contacts in the HR portal",
  "the kitchen on floor 3 is closed for maintenance this week",
  "we crossed 1,000 customer tickets resolved this quarter",
  "welcome our two new starters this week",
];

export const TEAM_SPECS: TeamSpec[] = [
  {
    displayName: "Atlas Platform",
    description: "Platform engineering: the Atlas migration, releases and on-call.",
    visibility: "private",
    members: "all",
    channels: [
      {
        displayName: "Releases",
        description: "Release trains and change windows.",
        topics: [
          "release 4.12 is tagged and rolling out to canary",
          "the change freeze starts Friday 18:00",
          "rollback of the payments flag went fine",
          "release notes draft is in the shared folder",
        ],
      },
      {
        displayName: "Incidents",
        description: "Live incidents and post-mortems.",
        topics: [
          "elevated 502s on the orders API, investigating",
          "root cause was an expired certificate on the internal proxy",
          "post-mortem for last Tuesday is ready for review",
          "paging rota for next week is published",
        ],
      },
      {
        displayName: "Roadmap",
        description: "Quarterly planning for the platform.",
        topics: [
          "draft OKRs for next quarter are up for comments",
          "we should drop the legacy queue before the migration",
          "cost review: storage grew 18% month over month",
          "proposal to adopt managed databases for new services",
        ],
      },
    ],
  },
  {
    displayName: "Design Studio",
    description: "Product design, research and the Harbor redesign.",
    visibility: "public",
    members: "all",
    channels: [
      {
        displayName: "Critiques",
        description: "Share work in progress for feedback.",
        topics: [
          "new checkout flow mockups are in Figma, feedback welcome",
          "the empty states feel too playful for the admin console",
          "iteration 3 of the onboarding screens",
          "icon set v2 is ready for a look",
        ],
      },
      {
        displayName: "Research",
        description: "User research plans and findings.",
        topics: [
          "usability sessions next week: 8 participants booked",
          "top finding: people miss the search box on mobile",
          "survey results are summarised in the Reports folder",
          "recruiting two more warehouse managers for interviews",
        ],
      },
    ],
  },
  {
    displayName: "Field Operations",
    description: "Warehouses, site visits and logistics.",
    visibility: "private",
    members: "even",
    channels: [
      {
        displayName: "Site visits",
        description: "Plans and notes from site visits.",
        topics: [
          "visiting the north depot on Wednesday, who wants to join?",
          "photos from the loading bay inspection are uploaded",
          "the new scanner handsets arrive next month",
          "site visit report for the harbour warehouse is done",
        ],
      },
      {
        displayName: "Safety",
        description: "Safety notices and near-miss reports.",
        topics: [
          "reminder: high-vis vests are mandatory in bay C",
          "near miss reported at dock 4, forklift reversing",
          "fire drill scheduled for the 14th",
          "first-aid refresher course has six places left",
        ],
      },
      {
        displayName: "Logistics",
        description: "Carriers, routes and schedules.",
        topics: [
          "Kestrel Freight confirmed the extra Saturday run",
          "fuel surcharge goes up 2% from next month",
          "route optimisation pilot saved 11% mileage",
          "customs paperwork for the export order is complete",
        ],
      },
    ],
  },
  {
    displayName: "People & Culture",
    description: "Onboarding, events and everything about working here.",
    visibility: "public",
    members: "odd",
    channels: [
      {
        displayName: "Onboarding",
        description: "Help new starters settle in.",
        topics: [
          "buddy assignments for the March cohort are out",
          "the onboarding checklist got a refresh",
          "laptop pickup is now at the service desk on floor 2",
          "please welcome our new starters in the General channel",
        ],
      },
      {
        displayName: "Events",
        description: "Socials, offsites and celebrations.",
        topics: [
          "summer picnic poll: park or rooftop?",
          "quiz night is on the last Friday of the month",
          "the offsite venue is confirmed",
          "volunteering day sign-ups are open",
        ],
      },
    ],
  },
];

const OPENERS = ["Heads up:", "Quick update —", "FYI,", "Reminder:", "Question for the team:", "Good news:", ""];
const DETAILS = [
  "Details are in the shared folder.",
  "Shout if anything looks off.",
  "Let's discuss at the next sync.",
  "Thanks to everyone who helped!",
  "Please add comments by Friday.",
  "",
];

const REPLIES = [
  "Thanks, looks good!",
  "I can take this one.",
  "+1, let's pick it up at standup.",
  "Done ✅",
  "Can you share the link?",
  "Agreed.",
  "Any update on this?",
  "Great work everyone 🎉",
  "I'll follow up with them today.",
  "Makes sense to me.",
];

const CHAT_LINES = [
  "Are you around for a quick call?",
  "Sent you the doc, have a look when you can.",
  "Lunch at 12:30?",
  "Running 5 minutes late, sorry!",
  "Can you review my PR before end of day?",
  "Thanks for covering this morning.",
  "Did the vendor get back to you?",
  "I moved our 1:1 to Thursday.",
  "That deck looks great.",
  "Coffee later?",
  "Yes, works for me.",
  "Let me check and get back to you.",
];

const escapeHtml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An HTML channel post about one of the channel's topics. */
export function channelPost(random: () => number, topics: readonly string[], mention?: string): string {
  const opener = pick(random, OPENERS);
  const topic = pick(random, topics);
  const sentence = escapeHtml(`${opener} ${opener ? topic : topic.charAt(0).toUpperCase() + topic.slice(1)}.`.trim());
  const lead = mention ? `<at id="0">${escapeHtml(mention)}</at> ` : "";
  const detail = pick(random, DETAILS);
  if (random() < 0.2) {
    return `<p>${lead}${sentence}</p><ul><li>Owner: see thread</li><li>Due: end of week</li></ul>`;
  }
  return `<p>${lead}${sentence}${detail ? ` <b>${escapeHtml(detail)}</b>` : ""}</p>`;
}

export function replyText(random: () => number): string {
  return `<p>${escapeHtml(pick(random, REPLIES))}</p>`;
}

export function chatLine(random: () => number): string {
  return `<p>${escapeHtml(pick(random, CHAT_LINES))}</p>`;
}

export const GROUP_CHATS: { topic: string; chatType: "group" | "meeting"; members: MemberRuleName }[] = [
  { topic: "Lunch crew", chatType: "group", members: "all" },
  { topic: "Offsite planning", chatType: "group", members: "even" },
  { topic: "Quarter-end close", chatType: "group", members: "odd" },
  { topic: "Weekly team sync", chatType: "meeting", members: "all" },
];

export function memberRule(name: MemberRuleName): (index: number) => boolean {
  if (name === "even") return (index) => index % 2 === 0;
  if (name === "odd") return (index) => index % 2 === 1;
  return () => true;
}
