import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { emulator, graph, graphToken, TEST_OIDS } from "./helpers/emulator";
import { clearGraphFaults, connectedUser, injectGraphFault, okText as ok } from "./helpers/mcp";
import { writeDay } from "./helpers/seed-date";

/**
 * Shared mailboxes and calendars through /mcp: the `mailbox` argument on the
 * mail and calendar tools reaches `/users/{address}/…`, which the emulator
 * allows only with the `.Shared` permissions and the Exchange rights the
 * mailbox's owner gave (Full Access to read and change, Send As to send).
 */
type User = Awaited<ReturnType<typeof connectedUser>>;
type Args = Record<string, unknown>;

const LINE_ID = /id: (\S+)$/m;
const idIn = (text: string): string => LINE_ID.exec(text)?.[1] ?? "";
const cursorOf = (text: string) => /cursor "([^"]+)"/.exec(text)?.[1];

interface Mailboxes {
  /** The signed-in user (Dana) has Full Access and Send As. */
  support: string;
  /** Dana has no rights on it (Sam has Full Access). */
  finance: string;
}

/** Two shared mailboxes in the user's Entra tenant (fixed oids, so their seeded content is the same every run). */
async function sharedMailboxes(user: User): Promise<Mailboxes> {
  const domain = user.user.userPrincipalName.split("@")[1];
  const support = `support@${domain}`;
  const finance = `finance@${domain}`;
  await emulator.addUser(user.entra.tenantId, {
    oid: TEST_OIDS.riley,
    userPrincipalName: support,
    displayName: "Support",
    sharedMailbox: true,
    mailboxDelegates: [{ oid: user.entra.oid, rights: ["FullAccess", "SendAs"] }],
  });
  await emulator.addUser(user.entra.tenantId, {
    oid: TEST_OIDS.kai,
    userPrincipalName: finance,
    displayName: "Finance",
    sharedMailbox: true,
    mailboxDelegates: [{ oid: TEST_OIDS.sam, rights: ["FullAccess"] }],
  });
  return { support, finance };
}

/** The shared mailbox's own view through Graph, to check what the tools did there. */
async function supportGraph(user: User, path: string) {
  const token = await graphToken(user.entra.tenantId, TEST_OIDS.riley, ["Mail.Read", "Calendars.Read"]);
  return (await (await graph(token, path)).json()) as { value: Record<string, unknown>[] };
}

describe("shared mailboxes and calendars", () => {
  let user: User;
  let boxes: Mailboxes;
  /** A message and an event in the support mailbox, for the tools that take an id. */
  let supportMessage: string;
  let supportEvent: string;
  /** Items the write rows use up: a draft to move, events to delete and cancel, an invitation, an attachment. */
  let draftToMove: string;
  let eventToDelete: string;
  let meetingToCancel: string;
  let invitation: string;
  let attachment: { messageId: string; attachmentId: string };

  beforeAll(async () => {
    user = await connectedUser();
    boxes = await sharedMailboxes(user);
    supportMessage = idIn(await ok(user, "list_messages", { mailbox: boxes.support, limit: 1 }));
    const created = await ok(user, "create_event", {
      mailbox: boxes.support,
      subject: "Support rota",
      start: `${writeDay(2)}T09:00`,
      end: `${writeDay(2)}T09:30`,
    });
    supportEvent = idIn(created.split("\n")[0] ?? "");
    const when = { start: `${writeDay(4)}T11:00`, end: `${writeDay(4)}T11:30` };
    draftToMove = idIn(await ok(user, "create_draft", { mailbox: boxes.support, subject: "To move", body: "x" }));
    eventToDelete = idIn((await ok(user, "create_event", { mailbox: boxes.support, subject: "To delete", ...when })).split("\n")[0] ?? "");
    const meeting = await ok(user, "create_event", {
      mailbox: boxes.support,
      subject: "To cancel",
      attendees: [user.user.userPrincipalName],
      ...when,
    });
    meetingToCancel = idIn(meeting.split("\n")[0] ?? "");
    // Dana invites the support mailbox; the invitation lands in its calendar.
    await ok(user, "create_event", { subject: "Invitation for support", attendees: [boxes.support], ...when });
    const supportDay = await ok(user, "list_events", { mailbox: boxes.support, start: writeDay(4), end: writeDay(4) });
    invitation = idIn(supportDay.split("\n").find((line) => line.includes("Invitation for support")) ?? "");
    const supportToken = await graphToken(user.entra.tenantId, TEST_OIDS.riley, ["Mail.ReadWrite"]);
    const draft = (await (
      await graph(supportToken, "/me/messages", {
        json: {
          subject: "With a file",
          attachments: [
            { "@odata.type": "#microsoft.graph.fileAttachment", name: "a.txt", contentType: "text/plain", contentBytes: btoa("hi") },
          ],
        },
      })
    ).json()) as { id: string };
    const listed = await graph(supportToken, `/me/messages/${encodeURIComponent(draft.id)}/attachments?$select=id`);
    attachment = { messageId: draft.id, attachmentId: ((await listed.json()) as { value: { id: string }[] }).value[0]?.id ?? "" };
  }, 60_000);

  afterEach(async () => {
    await clearGraphFaults(user);
  });

  it("lists a shared mailbox's messages, not the user's own", async () => {
    const own = await ok(user, "list_messages", { limit: 5 });
    const shared = await ok(user, "list_messages", { mailbox: boxes.support, limit: 5 });
    expect(shared.split("\n").filter((line) => line.includes(" · id: ")).length).toBe(5);
    const ownIds = new Set(own.split("\n").map(idIn));
    for (const line of shared.split("\n").filter((candidate) => candidate.includes(" · id: "))) expect(ownIds.has(idIn(line))).toBe(false);
    const message = await ok(user, "get_message", { mailbox: boxes.support, id: supportMessage });
    expect(message).toMatch(/^From: /);
    expect(await ok(user, "list_mail_folders", { mailbox: boxes.support })).toMatch(/^Inbox · \d+ unread of \d+/m);
  });

  it("pages a shared mailbox with a cursor bound to that mailbox", async () => {
    const first = await ok(user, "list_messages", { mailbox: boxes.support, limit: 2 });
    const cursor = cursorOf(first);
    expect(cursor).toBeDefined();
    const second = await ok(user, "list_messages", { mailbox: boxes.support, limit: 2, cursor });
    const firstIds = first
      .split("\n")
      .filter((line) => line.includes(" · id: "))
      .map(idIn);
    const secondIds = second
      .split("\n")
      .filter((line) => line.includes(" · id: "))
      .map(idIn);
    expect(secondIds).toHaveLength(2);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    // The same cursor cannot page the user's own mailbox or another shared one.
    for (const other of [{}, { mailbox: boxes.finance }]) {
      const refused = await user.callTool("list_messages", { ...other, limit: 2, cursor });
      expect(refused).toMatchObject({ isError: true, text: "Invalid arguments: cursor: cursor belongs to another listing" });
    }
  });

  it("sends from a shared mailbox with Send As: the mail is from it and its Sent Items keep the copy", async () => {
    const subject = `From support ${crypto.randomUUID().slice(0, 8)}`;
    const sent = await ok(user, "send_message", { mailbox: boxes.support, to: [user.user.userPrincipalName], subject, body: "Hello." });
    expect(sent).toContain(`Sent "${subject}"`);
    const inSent = await supportGraph(user, "/me/mailFolders/sentitems/messages?$select=subject,from&$top=50");
    const copy = inSent.value.find((message) => message.subject === subject);
    expect(copy?.from).toMatchObject({ emailAddress: { address: boxes.support } });
    const received = await ok(user, "search_messages", { query: subject });
    expect(received).toContain(`Support <${boxes.support}>`);
  });

  it("reads and answers the shared calendar", async () => {
    const listed = await ok(user, "list_events", { mailbox: boxes.support, start: writeDay(2), end: writeDay(2) });
    expect(listed).toContain(`Support rota · id: ${supportEvent}`);
    expect(await ok(user, "get_event", { mailbox: boxes.support, id: supportEvent })).toContain("Subject: Support rota");
    const own = await ok(user, "list_events", { start: writeDay(2), end: writeDay(2) });
    expect(own).not.toContain(supportEvent);
    expect(await ok(user, "update_event", { mailbox: boxes.support, id: supportEvent, location: "Desk 3" })).toContain("Desk 3");
  });

  it("says clearly when the user has no access to the mailbox, or it does not exist", async () => {
    const cases: [string, Args][] = [
      ["list_messages", {}],
      ["list_mail_folders", {}],
      ["send_message", { to: [user.user.userPrincipalName], subject: "x", body: "y" }],
      ["create_draft", { subject: "x", body: "y" }],
      ["list_events", {}],
      ["create_event", { subject: "x", start: `${writeDay(3)}T09:00`, end: `${writeDay(3)}T09:30` }],
    ];
    for (const [tool, args] of cases) {
      const denied = await user.callTool(tool, { ...args, mailbox: boxes.finance });
      expect(denied.isError, tool).toBe(true);
      expect(denied.text).toMatch(new RegExp(`^No access to the mailbox ${boxes.finance}: Microsoft Graph answered 403 ErrorAccessDenied`));
      expect(denied.text).toContain("\nHint: Check the address; its owner or an Exchange admin must give you Full Access");
    }
    const missing = await user.callTool("list_messages", { mailbox: `nobody@${boxes.support.split("@")[1]}` });
    expect(missing.text).toMatch(/^No access to the mailbox nobody@\S+: Microsoft Graph answered 404 ErrorInvalidUser/);
  });

  it("sending needs Send As or Send on Behalf: Full Access alone is refused", async () => {
    // Give Dana Full Access on finance and nothing more.
    await emulator.addUser(user.entra.tenantId, {
      oid: TEST_OIDS.kai,
      userPrincipalName: boxes.finance,
      displayName: "Finance",
      sharedMailbox: true,
      mailboxDelegates: [{ oid: user.entra.oid, rights: ["FullAccess"] }],
    });
    try {
      expect(await ok(user, "list_messages", { mailbox: boxes.finance, limit: 1 })).toContain(" · id: ");
      const refused = await user.callTool("send_message", {
        mailbox: boxes.finance,
        to: [user.user.userPrincipalName],
        subject: "x",
        body: "y",
      });
      expect(refused).toMatchObject({ isError: true });
      expect(refused.text).toMatch(/^No access to the mailbox finance@\S+: Microsoft Graph answered 403 ErrorAccessDenied/);
    } finally {
      await emulator.addUser(user.entra.tenantId, {
        oid: TEST_OIDS.kai,
        userPrincipalName: boxes.finance,
        displayName: "Finance",
        sharedMailbox: true,
        mailboxDelegates: [{ oid: TEST_OIDS.sam, rights: ["FullAccess"] }],
      });
    }
  });

  it("refuses a mailbox that is not an email address, naming the field, before calling Graph", async () => {
    for (const tool of ["list_messages", "get_event", "send_message"]) {
      const result = await user.callTool(tool, { mailbox: "support", id: "x", to: ["a@b.example"], subject: "s", body: "b" });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/mailbox: expected an email address/);
    }
  });

  /** One call per tool that takes `mailbox`, in the support mailbox. */
  const SHARED_ROWS: Record<string, () => Args> = {
    list_mail_folders: () => ({}),
    list_messages: () => ({ limit: 2 }),
    search_messages: () => ({ query: "invoice", limit: 2 }),
    get_message: () => ({ id: supportMessage }),
    mark_message: () => ({ id: supportMessage, read: true }),
    create_draft: () => ({ subject: "Shared draft", body: "x" }),
    list_events: () => ({ start: writeDay(2), end: writeDay(2) }),
    get_event: () => ({ id: supportEvent }),
    update_event: () => ({ id: supportEvent, location: "Desk 4" }),
    get_attachment: () => ({ ...attachment }),
    send_message: () => ({ to: [user.user.userPrincipalName], subject: "Row", body: "x" }),
    reply_message: () => ({ id: supportMessage, comment: "Noted." }),
    forward_message: () => ({ id: supportMessage, to: [user.user.userPrincipalName] }),
    move_message: () => ({ id: draftToMove, destination: "archive" }),
    create_event: () => ({ subject: "Row", start: `${writeDay(5)}T10:00`, end: `${writeDay(5)}T10:30` }),
    delete_event: () => ({ id: eventToDelete }),
    cancel_event: () => ({ id: meetingToCancel }),
    respond_to_event: () => ({ id: invitation, response: "accept", sendResponse: false }),
  };

  it.each(Object.keys(SHARED_ROWS))("%s in a shared mailbox: Graph's 403, 404 and throttling become clear tool errors", async (tool) => {
    const args = { ...SHARED_ROWS[tool]?.(), mailbox: boxes.support };
    await injectGraphFault(user, { status: 429, count: 3, retryAfterSeconds: 120, pathContains: "/users/" });
    const throttled = await user.callTool(tool, args);
    expect(throttled.isError).toBe(true);
    expect(throttled.text).toMatch(/Microsoft Graph answered 429 TooManyRequests: .* Microsoft Graph asked to wait 120 s/);
    await clearGraphFaults(user);

    await injectGraphFault(user, { status: 403, count: 3, pathContains: "/users/" });
    const denied = await user.callTool(tool, args);
    expect(denied).toMatchObject({ isError: true });
    expect(denied.text).toMatch(/^No access to the mailbox support@\S+: Microsoft Graph answered 403 ErrorAccessDenied/);
    await clearGraphFaults(user);

    expect(await user.callTool(tool, args)).toMatchObject({ isError: false });
  });

  it.each(["get_message", "mark_message", "get_event", "update_event"])(
    "%s in a shared mailbox: an id not in it is Graph's 404",
    async (tool) => {
      const gone = await user.callTool(tool, { ...SHARED_ROWS[tool]?.(), id: "AAMkAGNvbm90aGVyLWlk", mailbox: boxes.support });
      expect(gone.isError).toBe(true);
      expect(gone.text).toMatch(/Microsoft Graph answered 404 ErrorItemNotFound/);
    },
  );

  it("advertises mailbox on the mail and calendar tools, and none of them when their groups are off", async () => {
    const tools = new Map((await user.listTools()).map((tool) => [tool.name, tool]));
    for (const name of ["list_messages", "send_message", "reply_message", "list_events", "respond_to_event"]) {
      expect(tools.get(name)?.inputSchema).toMatchObject({ properties: { mailbox: { type: "string" } } });
    }
    const limited = await connectedUser({ policy: { enabledGroups: ["files"] } });
    const names = (await limited.listTools()).map((tool) => tool.name);
    expect(names).not.toContain("list_messages");
    expect(names).not.toContain("list_events");
  });
});
