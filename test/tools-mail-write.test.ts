import { describe, expect, it } from "vitest";
import { emulator, graph, graphToken, TEST_OIDS } from "./helpers/emulator";
import { connectedUser } from "./helpers/mcp";

/**
 * Mail writing tools through /mcp against the emulator, with effects checked
 * in Graph: the sender's Sent Items and Drafts, and the inbox of a colleague
 * in the same tenant (read with a Graph token minted for them).
 */
type User = Awaited<ReturnType<typeof connectedUser>>;

interface GraphMessage {
  id: string;
  subject: string;
  isRead: boolean;
  hasAttachments: boolean;
  parentFolderId: string;
  body: { contentType: string; content: string };
  from: { emailAddress: { address: string } } | null;
  toRecipients: { emailAddress: { name: string; address: string } }[];
  ccRecipients: { emailAddress: { address: string } }[];
  bccRecipients: { emailAddress: { address: string } }[];
}

const unique = (label: string) => `${label} ${crypto.randomUUID().slice(0, 8)}`;

function lastId(text: string): string {
  const match = /id: (\S+?)(?: \(|$)/m.exec(text.split("\n").find((line) => line.includes("id: ")) ?? "");
  if (!match?.[1]) throw new Error(`no id in: ${text}`);
  return match[1];
}

async function addColleague(user: User) {
  const colleague = { oid: TEST_OIDS.sam, userPrincipalName: `sam@${user.tenant.slug}.example`, displayName: "Sam Okafor" };
  await emulator.addUser(user.entra.tenantId, colleague);
  return { ...colleague, address: colleague.userPrincipalName };
}

/** A folder's messages with `subject`, read straight from Graph as `oid`. */
async function findInFolder(user: User, oid: string, folder: string, subject: string): Promise<GraphMessage[]> {
  const token = await graphToken(user.entra.tenantId, oid, ["Mail.Read"]);
  const filter = encodeURIComponent(`subject eq '${subject.replace(/'/g, "''")}'`);
  const response = await graph(token, `/me/mailFolders/${folder}/messages?$filter=${filter}&$top=50`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: GraphMessage[] }).value;
}

async function readInGraph(user: User, id: string): Promise<{ status: number; message?: GraphMessage }> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.Read"]);
  const response = await graph(token, `/me/messages/${encodeURIComponent(id)}`);
  return response.status === 200 ? { status: 200, message: (await response.json()) as GraphMessage } : { status: response.status };
}

async function sentItemsCount(user: User): Promise<number> {
  const folders = await user.callTool("list_mail_folders");
  return Number(/^Sent Items · \d+ unread of (\d+)/m.exec(folders.text)?.[1]);
}

/** An inbox message from someone else (so replies go back to them), optionally with attachments. */
async function inboxMessage(user: User, withAttachments = false): Promise<GraphMessage> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.Read"]);
  const query = withAttachments ? "$filter=hasAttachments eq true&" : "";
  const response = await graph(token, `/me/mailFolders/inbox/messages?${query}$top=1`);
  const message = ((await response.json()) as { value: GraphMessage[] }).value[0];
  if (!message) throw new Error("no inbox message");
  return message;
}

describe("mail writing tools", () => {
  it("sends mail that lands in Sent Items and in a colleague's inbox, unread", async () => {
    const user = await connectedUser();
    const colleague = await addColleague(user);
    const subject = unique("Budget sync");
    const sent = await user.callTool("send_message", {
      to: [`Sam Okafor <${colleague.address}>`, "lena@partner.example"],
      cc: ["ops@partner.example"],
      subject,
      body: "Hello Sam,\nThe numbers are in.",
    });
    expect(sent).toEqual({
      isError: false,
      text: `Sent "${subject}" to Sam Okafor <${colleague.address}>, lena@partner.example; cc ops@partner.example. A copy is in Sent Items.`,
    });

    const sentItems = await user.callTool("list_messages", { folder: "sentitems", limit: 5 });
    const line = sentItems.text.split("\n").find((candidate) => candidate.includes(subject)) ?? "";
    expect(line).toMatch(
      new RegExp(
        `^\\S+ \\S+ · → Sam Okafor <${colleague.address}>, lena@partner\\.example · ${subject} · Hello Sam, The numbers are in\\. · id: \\S+$`,
      ),
    );

    const [received] = await findInFolder(user, colleague.oid, "inbox", subject);
    expect(received).toMatchObject({
      isRead: false,
      from: { emailAddress: { address: user.user.userPrincipalName } },
      body: { contentType: "text" },
    });
    expect(received?.body.content).toContain("The numbers are in.");
    expect(received?.ccRecipients.map((r) => r.emailAddress.address)).toEqual(["ops@partner.example"]);
  });

  it("sends HTML bodies, keeps bcc hidden from recipients, and can skip Sent Items", async () => {
    const user = await connectedUser();
    const colleague = await addColleague(user);
    const before = await sentItemsCount(user);
    const subject = unique("Launch notes");
    const sent = await user.callTool("send_message", {
      to: ["lena@partner.example"],
      bcc: [colleague.address],
      subject,
      body: "<p>Hi <b>all</b></p>",
      bodyFormat: "html",
      saveToSentItems: false,
    });
    expect(sent.text).toBe(`Sent "${subject}" to lena@partner.example; bcc ${colleague.address}.`);
    expect(await sentItemsCount(user)).toBe(before);
    expect(await findInFolder(user, user.entra.oid, "sentitems", subject)).toHaveLength(0);
    const [received] = await findInFolder(user, colleague.oid, "inbox", subject);
    expect(received?.body.contentType).toBe("html");
    expect(received?.body.content).toContain("<b>all</b>");
    expect(received?.bccRecipients).toEqual([]);
  });

  it("replies to the sender, and to everyone with replyAll, landing in Sent Items", async () => {
    const user = await connectedUser();
    const colleague = await addColleague(user);
    const original = await inboxMessage(user);
    const reply = await user.callTool("reply_message", { id: original.id, comment: "Thanks, looks good." });
    expect(reply).toEqual({ isError: false, text: "Reply sent; a copy is in Sent Items." });
    const stripped = original.subject.replace(/^(RE|FW): /i, "");
    const [sentReply] = await findInFolder(user, user.entra.oid, "sentitems", `RE: ${stripped}`);
    expect(sentReply?.toRecipients.map((r) => r.emailAddress.address)).toEqual([original.from?.emailAddress.address]);
    const shown = await user.callTool("get_message", { id: sentReply?.id ?? "" });
    expect(shown.text).toContain("Thanks, looks good.");
    expect(shown.text).toMatch(/From: .+\nSent: /);

    // A message from the colleague with a cc, answered with reply all.
    const subject = unique("Offsite venue");
    const samToken = await graphToken(user.entra.tenantId, colleague.oid, ["Mail.Send"]);
    const posted = await graph(samToken, "/me/sendMail", {
      json: {
        message: {
          subject,
          body: { contentType: "text", content: "Which venue?" },
          toRecipients: [{ emailAddress: { address: user.user.userPrincipalName } }],
          ccRecipients: [{ emailAddress: { address: "lena@partner.example" } }],
        },
      },
    });
    expect(posted.status).toBe(202);
    const [incoming] = await findInFolder(user, user.entra.oid, "inbox", subject);
    const replyAll = await user.callTool("reply_message", { id: incoming?.id ?? "", comment: "The harbour one.", replyAll: true });
    expect(replyAll.text).toBe("Reply to all sent; a copy is in Sent Items.");
    const [answer] = await findInFolder(user, colleague.oid, "inbox", `RE: ${subject}`);
    expect(answer?.body.content).toContain("The harbour one.");
    expect(answer?.ccRecipients.map((r) => r.emailAddress.address)).toEqual(["lena@partner.example"]);
  });

  it("forwards a message with its attachments and a comment", async () => {
    const user = await connectedUser();
    const colleague = await addColleague(user);
    const original = await inboxMessage(user, true);
    const forwarded = await user.callTool("forward_message", {
      id: original.id,
      to: [`Sam <${colleague.address}>`],
      comment: "FYI, see the attachment.",
    });
    expect(forwarded).toEqual({ isError: false, text: `Forwarded to Sam <${colleague.address}>; a copy is in Sent Items.` });
    const subject = `FW: ${original.subject.replace(/^(RE|FW): /i, "")}`;
    const [received] = await findInFolder(user, colleague.oid, "inbox", subject);
    expect(received?.hasAttachments).toBe(true);
    expect(received?.body.content).toContain("FYI, see the attachment.");
    const sentItems = await user.callTool("list_messages", { folder: "sentitems", limit: 3 });
    expect(sentItems.text.split("\n")[0]).toContain(`· → Sam <${colleague.address}> · ${subject} [attachments]`);
  });

  it("saves a draft that appears in Drafts and reads back", async () => {
    const user = await connectedUser();
    const subject = unique("Proposal outline");
    const created = await user.callTool("create_draft", { to: ["lena@partner.example"], subject, body: "First pass at the outline." });
    expect(created.text).toMatch(new RegExp(`^Draft saved in Drafts: "${subject}" to lena@partner\\.example · id: \\S+$`));
    const id = lastId(created.text);
    const drafts = await user.callTool("list_messages", { folder: "drafts", limit: 50 });
    expect(drafts.text).toMatch(new RegExp(`· → lena@partner\\.example · ${subject} · First pass at the outline\\. · id: ${id}$`, "m"));
    const shown = await user.callTool("get_message", { id });
    expect(shown.text).toContain("To: lena@partner.example");
    expect(shown.text).toContain("First pass at the outline.");

    const empty = await user.callTool("create_draft", { subject: unique("Notes to self"), body: "" });
    expect(empty.text).toMatch(/to \(no recipients\) · id: \S+$/);
  });

  it("moves a message to another folder under a new id", async () => {
    const user = await connectedUser();
    const original = await inboxMessage(user);
    const moved = await user.callTool("move_message", { id: original.id, destination: "archive" });
    expect(moved.isError).toBe(false);
    const newId = /new id is (\S+) \(/.exec(moved.text)?.[1] ?? "";
    expect(moved.text).toBe(`Moved to archive. Its new id is ${newId} (the old id no longer works).`);
    expect(newId).not.toBe(original.id);
    expect((await readInGraph(user, original.id)).status).toBe(404);
    const archive = await user.callTool("list_messages", { folder: "archive", limit: 50 });
    expect(archive.text).toContain(`id: ${newId}`);
    expect((await user.callTool("list_messages", { limit: 50 })).text).not.toContain(`id: ${original.id}`);

    const gone = await user.callTool("move_message", { id: original.id, destination: "archive" });
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain("Microsoft Graph answered 404");
    const nowhere = await user.callTool("move_message", { id: newId, destination: "../../users/x" });
    expect(nowhere.isError).toBe(true);
    expect(nowhere.text).toContain("Microsoft Graph answered 404");
    expect((await readInGraph(user, newId)).status).toBe(200);
  });

  it("marks a message unread and read again", async () => {
    const user = await connectedUser();
    const original = await inboxMessage(user);
    const unread = await user.callTool("mark_message", { id: original.id, read: false });
    expect(unread).toEqual({ isError: false, text: `Marked "${original.subject}" as unread.` });
    expect((await readInGraph(user, original.id)).message?.isRead).toBe(false);
    expect((await user.callTool("list_messages", { unreadOnly: true, limit: 50 })).text).toContain(`id: ${original.id}`);
    const read = await user.callTool("mark_message", { id: original.id, read: true });
    expect(read.text).toBe(`Marked "${original.subject}" as read.`);
    expect((await user.callTool("mark_message", { id: original.id, read: true })).isError).toBe(false);
    expect((await readInGraph(user, original.id)).message?.isRead).toBe(true);
  });

  it("names the offending field and sends nothing when arguments are invalid", async () => {
    const user = await connectedUser();
    const before = await sentItemsCount(user);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["send_message", { to: ["not-an-email"], subject: "x", body: "y" }, /to\.0: expected an email address or "Name <email>"/],
      ["send_message", { to: [], subject: "x", body: "y" }, /to: expected at least one recipient/],
      [
        "send_message",
        { to: ["a@b.example"], cc: ["c@d.example", "Bad <nope>"], subject: "x", body: "y" },
        /cc\.1: expected an email address/,
      ],
      ["send_message", { to: ["a@b.example"], body: "y" }, /subject:/],
      ["send_message", { to: ["a@b.example"], subject: "x", body: "y", bodyFormat: "markdown" }, /bodyFormat:/],
      ["reply_message", { id: "AAMkAGI2TG93AAA=", comment: "   " }, /comment: expected some text/],
      ["forward_message", { id: "AAMkAGI2TG93AAA=", to: [] }, /to: expected at least one recipient/],
      ["mark_message", { id: "AAMkAGI2TG93AAA=", read: "yes" }, /read:/],
      ["move_message", { id: "..", destination: "archive" }, /id: expected the message id/],
      ["create_draft", { subject: "x", body: "y", to: ["x@y"] }, /to\.0: expected an email address/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await user.callTool(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(result.text).toMatch(/Invalid arguments/);
      expect(result.text).toMatch(message);
    }
    expect(await sentItemsCount(user)).toBe(before);
  });

  it("turns Graph errors for unknown or malformed ids into tool errors with a hint", async () => {
    const user = await connectedUser();
    const unknown = await user.callTool("reply_message", { id: "AAMkAGI2TG93AAA=", comment: "Hello" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toMatch(/^Could not send the reply: Microsoft Graph answered 404 .+\nHint: The item does not exist/);
    const calls: [string, Record<string, unknown>][] = [
      ["mark_message", { id: "../../users/x", read: true }],
      ["forward_message", { id: "../../users/x", to: ["a@b.example"] }],
      ["move_message", { id: "x/../../me", destination: "archive" }],
    ];
    for (const [tool, args] of calls) {
      const malformed = await user.callTool(tool, args);
      expect(malformed.isError, tool).toBe(true);
      expect(malformed.text).toContain("400 ErrorInvalidIdMalformed");
    }
  });
});
