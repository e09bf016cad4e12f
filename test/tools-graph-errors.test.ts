import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_ATTEMPTS } from "../src/graph/retry";
import { TOOL_GROUPS } from "../src/graph/tool-groups";
import { ALL_TOOLS } from "../src/graph/tools";
import { graph, graphToken } from "./helpers/emulator";
import { clearGraphFaults, connectedUser, injectGraphFault, pendingGraphFaults, okText as ok } from "./helpers/mcp";
import { daysFromToday, seedDay, writeDay } from "./helpers/seed-date";

/**
 * Every tool through /mcp against the emulator when Graph refuses it (403),
 * when the arguments are wrong, and when Graph keeps throttling (429): one
 * row of valid arguments per tool, ids taken from the user's seeded data.
 */
type User = Awaited<ReturnType<typeof connectedUser>>;
type Args = Record<string, unknown>;

interface Ids {
  upn: string;
  oid: string;
  messageId: string;
  draftToMove: string;
  attachment: { messageId: string; attachmentId: string };
  eventId: string;
  meetingToCancel: string;
  eventToDelete: string;
  invitationId: string;
  contactId: string;
  teamId: string;
  channelId: string;
  chatId: string;
  fileId: string;
  listId: string;
  taskId: string;
  siteId: string;
  siteListId: string;
  sectionId: string;
  pageId: string;
  planId: string;
  plannerTaskId: string;
  joinUrl: string;
}

/** Weeks of the seeded calendar that hold invitations from colleagues. */
const SEEDED_WEEKS = { start: seedDay(-4), end: seedDay(24) };

const MEETING = { subject: "Error table call", start: `${writeDay(2)}T15:00:00+01:00`, end: `${writeDay(2)}T15:30:00+01:00` };

/** One valid call per tool that reaches Graph. A tool without a row fails the coverage test. */
const ROWS: Record<string, (ids: Ids) => Args> = {
  whoami: () => ({}),
  list_mail_folders: () => ({}),
  list_messages: () => ({ folder: "inbox", limit: 5 }),
  search_messages: () => ({ query: "invoice", limit: 5 }),
  get_message: (ids) => ({ id: ids.messageId }),
  get_attachment: (ids) => ({ ...ids.attachment }),
  send_message: (ids) => ({ to: [ids.upn], subject: "Error table", body: "Sent by the error-table test." }),
  reply_message: (ids) => ({ id: ids.messageId, comment: "Thanks, noted." }),
  forward_message: (ids) => ({ id: ids.messageId, to: [ids.upn], comment: "FYI" }),
  create_draft: () => ({ subject: "Draft from the error table", body: "Not sent." }),
  move_message: (ids) => ({ id: ids.draftToMove, destination: "archive" }),
  mark_message: (ids) => ({ id: ids.messageId, read: true }),
  list_events: () => ({ ...SEEDED_WEEKS, limit: 10 }),
  get_event: (ids) => ({ id: ids.eventId }),
  create_event: () => ({ subject: "Error table sync", start: `${writeDay(3)}T10:00`, end: `${writeDay(3)}T10:30` }),
  update_event: (ids) => ({ id: ids.eventId, location: "Room 4" }),
  cancel_event: (ids) => ({ id: ids.meetingToCancel, comment: "No longer needed" }),
  delete_event: (ids) => ({ id: ids.eventToDelete }),
  respond_to_event: (ids) => ({ id: ids.invitationId, response: "tentative", sendResponse: false }),
  get_free_busy: (ids) => ({ emails: [ids.upn], start: `${writeDay(1)}T09:00`, end: `${writeDay(1)}T17:00` }),
  find_meeting_times: (ids) => ({
    attendees: [ids.upn],
    durationMinutes: 30,
    windowStart: `${writeDay(1)}T09:00`,
    windowEnd: `${writeDay(1)}T17:00`,
  }),
  list_contacts: () => ({ limit: 5 }),
  search_contacts: () => ({ query: "a" }),
  create_contact: () => ({ givenName: "Ada", surname: "Lovelace", emails: ["ada@example.com"] }),
  update_contact: (ids) => ({ id: ids.contactId, jobTitle: "Buyer" }),
  search_people: () => ({ query: "a" }),
  search_users: () => ({ query: "Dana" }),
  list_teams: () => ({}),
  list_channels: (ids) => ({ teamId: ids.teamId }),
  list_channel_messages: (ids) => ({ teamId: ids.teamId, channelId: ids.channelId, limit: 5 }),
  post_channel_message: (ids) => ({ teamId: ids.teamId, channelId: ids.channelId, text: "Posted by the error table." }),
  list_chats: () => ({ limit: 5 }),
  list_chat_messages: (ids) => ({ chatId: ids.chatId, limit: 5 }),
  send_chat_message: (ids) => ({ chatId: ids.chatId, text: "Sent by the error table." }),
  create_online_meeting: () => ({ ...MEETING }),
  list_files: () => ({ limit: 5 }),
  search_files: () => ({ query: "report" }),
  get_file: (ids) => ({ id: ids.fileId }),
  create_share_link: (ids) => ({ id: ids.fileId }),
  list_task_lists: () => ({}),
  list_tasks: (ids) => ({ listId: ids.listId }),
  create_task: (ids) => ({ listId: ids.listId, title: "Error table task", dueDate: writeDay(4) }),
  complete_task: (ids) => ({ listId: ids.listId, taskId: ids.taskId }),
  search: () => ({ query: "report" }),
  find_sites: () => ({ query: "marketing" }),
  list_site_contents: (ids) => ({ siteId: ids.siteId }),
  list_items: (ids) => ({ siteId: ids.siteId, listId: ids.siteListId, limit: 5 }),
  list_notebooks: () => ({}),
  list_sections: () => ({}),
  list_pages: (ids) => ({ sectionId: ids.sectionId }),
  read_page: (ids) => ({ pageId: ids.pageId }),
  create_page: (ids) => ({ sectionId: ids.sectionId, title: "Error table page", body: "Written by the error table." }),
  list_planner_tasks: () => ({}),
  list_plans: () => ({}),
  list_buckets: (ids) => ({ planId: ids.planId }),
  create_planner_task: (ids) => ({ planId: ids.planId, title: "Error table planner task" }),
  update_planner_task: (ids) => ({ taskId: ids.plannerTaskId, percentComplete: 50 }),
  get_meeting_transcript: (ids) => ({ joinUrl: ids.joinUrl }),
  get_presence: (ids) => ({ userIds: [ids.oid] }),
};
const TOOL_NAMES = Object.keys(ROWS);
const TOOLS = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));

/** The id on the first line matching `pattern` ("… id: X" or "… (id: X)"). */
function idIn(text: string, pattern: RegExp = /id: /): string {
  const line = text.split("\n").find((candidate) => pattern.test(candidate) && /id: /.test(candidate));
  const id = /id: ([^\s)]+)\)?$/.exec(line ?? "")?.[1];
  if (!id) throw new Error(`no id for ${pattern} in:\n${text}`);
  return id;
}

/** A draft with one text attachment, made straight through Graph (no tool adds attachments). */
async function attachmentOf(user: User): Promise<Ids["attachment"]> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.ReadWrite"]);
  const created = await graph(token, "/me/messages", {
    json: {
      subject: "With notes",
      attachments: [
        { "@odata.type": "#microsoft.graph.fileAttachment", name: "notes.txt", contentType: "text/plain", contentBytes: btoa("hello") },
      ],
    },
  });
  const messageId = ((await created.json()) as { id: string }).id;
  const listed = await graph(token, `/me/messages/${encodeURIComponent(messageId)}/attachments?$select=id`);
  const attachmentId = ((await listed.json()) as { value: { id: string }[] }).value[0]?.id ?? "";
  return { messageId, attachmentId };
}

async function seededIds(user: User): Promise<Ids> {
  const upn = user.user.userPrincipalName;
  const messageId = idIn(await ok(user, "list_messages", { limit: 1 }));
  const draftToMove = idIn(await ok(user, "create_draft", { subject: "To be moved", body: "x" }));
  const event = { start: `${writeDay(2)}T09:00`, end: `${writeDay(2)}T09:30` };
  const eventId = idIn(await ok(user, "create_event", { subject: "Error table event", ...event }), /^Created: /);
  const meetingToCancel = idIn(await ok(user, "create_event", { subject: "To be cancelled", attendees: [upn], ...event }), /^Created: /);
  const eventToDelete = idIn(await ok(user, "create_event", { subject: "To be deleted", ...event }), /^Created: /);
  const invitationId = idIn(await ok(user, "list_events", { ...SEEDED_WEEKS, limit: 100 }), / · organizer: (?!.*cancelled)/);
  const teamId = idIn(await ok(user, "list_teams"), /^Atlas Platform/);
  const listId = idIn(await ok(user, "list_task_lists"), /^Q3 launch prep · /);
  const sectionId = idIn(await ok(user, "list_sections"), /^Meetings · /);
  const planId = idIn(await ok(user, "list_plans"), /^Atlas Platform roadmap · /);
  // A user alone in their tenant has no chats until a meeting brings one.
  await ok(user, "create_online_meeting", MEETING);
  const siteId = idIn(await ok(user, "find_sites", { query: "marketing" }), /^Marketing · /);
  const siteListId = /listId: (\S+)/.exec(await ok(user, "list_site_contents", { siteId }))?.[1] ?? "";
  return {
    upn,
    messageId,
    draftToMove,
    attachment: await attachmentOf(user),
    eventId,
    meetingToCancel,
    eventToDelete,
    invitationId,
    contactId: idIn(await ok(user, "list_contacts", { limit: 1 })),
    teamId,
    channelId: idIn(await ok(user, "list_channels", { teamId }), /^General/),
    chatId: idIn(await ok(user, "list_chats", { limit: 1 })),
    fileId: idIn(await ok(user, "list_files", { limit: 50 }), /^Welcome\.txt · /),
    listId,
    taskId: idIn(await ok(user, "list_tasks", { listId, limit: 1 })),
    siteId,
    siteListId,
    oid: user.user.oid,
    sectionId,
    pageId: idIn(await ok(user, "list_pages", { sectionId })),
    planId,
    plannerTaskId: idIn(await ok(user, "list_planner_tasks", { planId })),
    joinUrl: await pastTeamsMeeting(user),
  };
}

/** A Teams meeting on the user's calendar that ended yesterday, so it has a transcript; answers its join link. */
async function pastTeamsMeeting(user: User): Promise<string> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Calendars.ReadWrite"]);
  const day = daysFromToday(-1);
  const created = await graph(token, "/me/events", {
    json: {
      subject: "Error table meeting",
      start: { dateTime: `${day}T10:00:00`, timeZone: "UTC" },
      end: { dateTime: `${day}T10:30:00`, timeZone: "UTC" },
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
    },
  });
  return ((await created.json()) as { onlineMeeting: { joinUrl: string } }).onlineMeeting.joinUrl;
}

/** Values of other JSON types, tried in order until one the field refuses (a type mismatch first). */
const WRONG_TYPED: unknown[] = [12345, "not-a-number", true, ["a", "b"], { nested: true }];

function wrongValueFor(field: z.core.$ZodType): unknown {
  const refused = WRONG_TYPED.map((value) => ({ value, result: z.safeParse(field, value) })).filter(({ result }) => !result.success);
  const mismatch = refused.find(({ result }) => result.error?.issues.some((issue) => issue.code === "invalid_type"));
  const chosen = mismatch ?? refused[0];
  if (!chosen) throw new Error("no wrong-typed value for this field");
  return chosen.value;
}

/** Required fields of a tool, or its first field when none is required (whoami and the like have none). */
function fieldsToMistype(tool: string): string[] {
  const shape = TOOLS.get(tool)?.input ?? {};
  const names = Object.keys(shape);
  const required = names.filter((name) => {
    const field = shape[name];
    return field !== undefined && !z.safeParse(field, undefined).success;
  });
  return required.length ? required : names.slice(0, 1);
}

// The MCP SDK validates with the tool's schema before the gateway's wrapper runs, and words it
// "Input validation error: Invalid arguments for tool <name>: …"; the wrapper's own is "Invalid arguments: …".
const invalidArguments = (tool: string) => new RegExp(`^(Input validation error: )?Invalid arguments( for tool ${tool})?: `);

describe("every tool's Graph and input errors through /mcp", () => {
  let user: User;
  let ids: Ids;

  beforeAll(async () => {
    // Every group, so the table reaches the tools of groups that are off by default.
    // Every group on, so every tool of the catalogue is listed and callable.
    user = await connectedUser({ policy: { enabledGroups: [...TOOL_GROUPS] } });
    ids = await seededIds(user);
  }, 60_000);

  afterEach(async () => {
    await clearGraphFaults(user);
  });

  it("has a row for every tool in the catalogue, and the user sees them all", async () => {
    expect([...TOOL_NAMES].sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
    expect((await user.listTools()).map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
  });

  it.each(TOOL_NAMES)("%s: a Graph 403 becomes a tool error with ErrorAccessDenied and a hint", async (tool) => {
    // Enough for every Graph call the tool makes (a time-zone lookup that falls back to UTC, then the call itself).
    await injectGraphFault(user, { status: 403, count: 5 });
    const result = await user.callTool(tool, ROWS[tool]?.(ids) ?? {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Microsoft Graph answered 403 ErrorAccessDenied: Access is denied\./);
    expect(result.text).toMatch(/\nHint: Your organization has not granted the permission this needs/);
  });

  it.each(TOOL_NAMES)("%s: an unknown or wrong-typed argument is refused, naming the field, without calling Graph", async (tool) => {
    const valid = ROWS[tool]?.(ids) ?? {};
    // A canary: were Graph called, this fault would be served and the queue would shrink.
    await injectGraphFault(user, { status: 403, count: 1 });
    const extra = await user.callTool(tool, { ...valid, unexpectedField: "x" });
    expect(extra.isError).toBe(true);
    expect(extra.text).toMatch(invalidArguments(tool));
    expect(extra.text).toContain("unexpectedField");
    const shape = TOOLS.get(tool)?.input ?? {};
    for (const field of fieldsToMistype(tool)) {
      const schema = shape[field];
      if (!schema) throw new Error(`${tool} has no field ${field}`);
      const value = wrongValueFor(schema);
      const mistyped = await user.callTool(tool, { ...valid, [field]: value });
      expect(mistyped.isError, `${tool}.${field} = ${JSON.stringify(value)}`).toBe(true);
      expect(mistyped.text).toMatch(invalidArguments(tool));
      expect(mistyped.text).toMatch(new RegExp(`[:,] ${field}(\\.\\d+)?: `));
    }
    expect(await pendingGraphFaults(user)).toMatchObject([{ status: 403, remaining: 1 }]);
  });

  it.each(TOOL_NAMES)(
    "%s: throttling with a long Retry-After is a tool error at once that says when to retry, and the next call succeeds",
    async (tool) => {
      const args = ROWS[tool]?.(ids) ?? {};
      // Two minutes is a realistic throttling wait, and longer than the agent holds a call open.
      await injectGraphFault(user, { status: 429, count: 3, retryAfterSeconds: 120 });
      const throttled = await user.callTool(tool, args);
      expect(throttled.isError).toBe(true);
      expect(throttled.text).toMatch(
        /Microsoft Graph answered 429 TooManyRequests: .* Microsoft Graph asked to wait 120 s; retry after \d\d:\d\d:\d\d UTC\./,
      );
      expect(throttled.text).toMatch(/\nHint: Microsoft Graph is throttling this mailbox; wait a moment and retry\./);
      // The throttled call was not retried early: one fault served, the rest still queued.
      expect(await pendingGraphFaults(user)).toMatchObject([{ status: 429, remaining: 2 }]);
      await clearGraphFaults(user);
      const after = await user.callTool(tool, args);
      expect(after, `${tool} after throttling`).toMatchObject({ isError: false });
    },
  );

  it("uses the whole retry budget on short Retry-After waits, then reports the throttling", async () => {
    await injectGraphFault(user, { status: 429, count: MAX_ATTEMPTS + 1, retryAfterSeconds: 1, pathContains: "/me/mailFolders" });
    const throttled = await user.callTool("list_mail_folders", {});
    expect(throttled.isError).toBe(true);
    expect(throttled.text).toMatch(/Microsoft Graph answered 429 TooManyRequests/);
    expect(await pendingGraphFaults(user)).toMatchObject([{ status: 429, remaining: 1 }]);
  });

  it("does not create an event at a guessed time when the mailbox time zone cannot be read", async () => {
    const subject = "Zone lookup outage check";
    const args = { subject, start: `${writeDay(4)}T10:00`, end: `${writeDay(4)}T10:30` };
    await injectGraphFault(user, { status: 503, count: 3 * MAX_ATTEMPTS, retryAfterSeconds: 120, pathContains: "/me/mailboxSettings" });
    const refused = await user.callTool("create_event", args);
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^Could not look up your mailbox time zone .*answered 503/);
    const week = { start: writeDay(4), end: writeDay(5), limit: 50 };
    expect((await user.callTool("list_events", { ...week, timeZone: "UTC" })).text).not.toContain(subject);
    await clearGraphFaults(user);
    const created = await user.callTool("create_event", args);
    expect(created).toMatchObject({ isError: false });
    expect((await user.callTool("list_events", week)).text).toContain(subject);
  });
});
