/**
 * @module Tool groups a tenant admin can enable, and the delegated Microsoft Graph
 * permissions each needs. The OAuth bridge requests exactly these scopes from
 * Entra, and signup tells the admin which ones to grant.
 */

export const TOOL_GROUPS = [
  "mail",
  "calendar",
  "contacts",
  "teams",
  "files",
  "tasks",
  "search",
  "sharepoint",
  "notes",
  "planner",
  "meetings",
] as const;
export type ToolGroup = (typeof TOOL_GROUPS)[number];

interface GroupPermissions {
  /** Enough for the group's read-only tools. */
  read: readonly string[];
  /** Enough for every tool in the group, reads included. */
  readWrite: readonly string[];
}

export const GROUP_PERMISSIONS: Readonly<Record<ToolGroup, GroupPermissions>> = {
  // The .Shared forms reach shared and delegated mailboxes (`mailbox` on the mail tools); none needs admin consent.
  mail: {
    read: ["Mail.Read", "Mail.Read.Shared"],
    readWrite: ["Mail.ReadWrite", "Mail.Send", "Mail.ReadWrite.Shared", "Mail.Send.Shared"],
  },
  // MailboxSettings.Read tells the user's time zone, so times come back in it.
  // Calendars.Read.Shared is what findMeetingTimes requires.
  calendar: {
    read: ["Calendars.Read", "Calendars.Read.Shared", "MailboxSettings.Read"],
    readWrite: ["Calendars.ReadWrite", "Calendars.Read.Shared", "MailboxSettings.Read", "Calendars.ReadWrite.Shared"],
  },
  contacts: {
    read: ["Contacts.Read", "People.Read", "User.ReadBasic.All"],
    readWrite: ["Contacts.ReadWrite", "People.Read", "User.ReadBasic.All"],
  },
  teams: {
    read: ["Team.ReadBasic.All", "Channel.ReadBasic.All", "ChannelMessage.Read.All", "Chat.Read"],
    readWrite: [
      "Team.ReadBasic.All",
      "Channel.ReadBasic.All",
      "ChannelMessage.Read.All",
      "ChannelMessage.Send",
      "Chat.ReadWrite",
      "OnlineMeetings.ReadWrite",
    ],
  },
  files: { read: ["Files.Read"], readWrite: ["Files.ReadWrite"] },
  // MailboxSettings.Read for the user's time zone: a due date is midnight there, not in UTC.
  tasks: { read: ["Tasks.Read", "MailboxSettings.Read"], readWrite: ["Tasks.ReadWrite", "MailboxSettings.Read"] },
  // Microsoft Search asks each entity type's own permission: messages Mail.Read, events Calendars.Read,
  // files and list items Files.Read.All, sites Sites.Read.All. None needs admin consent when delegated.
  search: {
    read: ["Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All"],
    readWrite: ["Mail.Read", "Calendars.Read", "Files.Read.All", "Sites.Read.All"],
  },
  // Read-only: Sites.Read.All (delegated, no admin consent) reads sites, lists and their libraries, whose files the
  // file tools open by drive id. Sites.ReadWrite.All is not asked for: no SharePoint tool writes.
  sharepoint: { read: ["Sites.Read.All"], readWrite: ["Sites.Read.All"] },
  // OneNote: Notes.Create adds pages but cannot change or delete existing ones; with Notes.Read it is the least
  // privilege for every notes tool (Notes.ReadWrite would also allow editing and deleting every page).
  notes: { read: ["Notes.Read"], readWrite: ["Notes.Read", "Notes.Create"] },
  // Planner's delegated permissions are the Tasks.* ones (least privileged first on each API page; Group.* not needed).
  // MailboxSettings.Read: due dates are the user's midnight.
  planner: { read: ["Tasks.Read", "MailboxSettings.Read"], readWrite: ["Tasks.ReadWrite", "MailboxSettings.Read"] },
  // OnlineMeetingTranscript.Read.All needs an administrator's consent (permissions reference); the rest users may grant.
  meetings: {
    read: ["OnlineMeetings.Read", "OnlineMeetingTranscript.Read.All", "Presence.Read.All"],
    readWrite: ["OnlineMeetings.Read", "OnlineMeetingTranscript.Read.All", "Presence.Read.All"],
  },
};

/** What each group lets an app do, in plain words for the person asked to allow it. */
export const GROUP_DESCRIPTIONS: Readonly<Record<ToolGroup, { read: string; readWrite: string }>> = {
  mail: { read: "Read your mail", readWrite: "Read, send, move and draft your mail" },
  calendar: {
    read: "Read your calendar and your colleagues' free/busy times",
    readWrite: "Read and change your calendar, answer invitations, and see your colleagues' free/busy times",
  },
  contacts: {
    read: "Read your contacts and look up people in your organization",
    readWrite: "Read and change your contacts, and look up people in your organization",
  },
  teams: {
    read: "Read your teams, channels and chats",
    readWrite: "Read and post in your teams, channels and chats, and create online meetings",
  },
  files: { read: "Read your OneDrive files", readWrite: "Read your OneDrive files and create sharing links" },
  tasks: { read: "Read your To Do tasks", readWrite: "Read, create and complete your To Do tasks" },
  search: {
    read: "Search your mail, calendar, files and SharePoint in one place",
    readWrite: "Search your mail, calendar, files and SharePoint in one place",
  },
  sharepoint: {
    read: "Read the SharePoint sites, document libraries and lists you can open",
    readWrite: "Read the SharePoint sites, document libraries and lists you can open",
  },
  notes: { read: "Read your OneNote notebooks", readWrite: "Read your OneNote notebooks and add pages to them" },
  planner: { read: "Read your Planner plans and tasks", readWrite: "Read your Planner plans, and create and update their tasks" },
  // Reading transcripts needs an administrator's consent in Entra (OnlineMeetingTranscript.Read.All).
  meetings: {
    read: "Read the transcripts of your Teams meetings and see your colleagues' presence",
    readWrite: "Read the transcripts of your Teams meetings and see your colleagues' presence",
  },
};

/** The plain-language list for a policy: always the profile and staying signed in, then each enabled group. */
export function describePermissions(groups: readonly ToolGroup[], readOnly: boolean): string[] {
  return [
    "See your name, email address and profile",
    ...TOOL_GROUPS.filter((group) => groups.includes(group)).map((group) => GROUP_DESCRIPTIONS[group][readOnly ? "read" : "readWrite"]),
    "Stay signed in, so you are not asked again every hour",
  ];
}

/** Sign-in and profile scopes every tenant needs. */
export const BASE_SCOPES = ["openid", "profile", "offline_access", "User.Read"] as const;

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access"]);

/**
 * A permission as Entra is asked for it: Graph permissions prefixed with the
 * tenant's cloud's Graph resource (`https://graph.microsoft.us` in GCC High),
 * OpenID Connect scopes as they are.
 */
export function graphScope(permission: string, graphResource: string): string {
  return OIDC_SCOPES.has(permission) ? permission : `${graphResource}/${permission}`;
}

export function delegatedPermissions(groups: readonly ToolGroup[], readOnly: boolean): string[] {
  const scopes = new Set<string>(BASE_SCOPES);
  for (const group of TOOL_GROUPS) {
    if (!groups.includes(group)) continue;
    const permissions = GROUP_PERMISSIONS[group];
    for (const scope of readOnly ? permissions.read : permissions.readWrite) scopes.add(scope);
  }
  return [...scopes];
}
