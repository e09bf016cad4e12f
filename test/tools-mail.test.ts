import { describe, expect, it } from "vitest";
import { emulator, graph, graphToken } from "./helpers/emulator";
import { connectedUser, injectGraphFault } from "./helpers/mcp";
import { historyDay } from "./helpers/seed-date";

/** Mail reading tools through /mcp against the emulator: folders, lists, search, messages, attachments, policy. */
const READ_TOOLS = ["list_mail_folders", "list_messages", "search_messages", "get_message", "get_attachment"];
const WRITE_TOOLS = ["send_message", "reply_message", "forward_message", "create_draft", "move_message", "mark_message"];

type User = Awaited<ReturnType<typeof connectedUser>>;

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\dZ) · (.+) · id: (\S+)$/;

function messageLines(text: string): string[] {
  return text.split("\n").filter((line) => LINE.test(line));
}

function idsOf(text: string): string[] {
  return messageLines(text).map((line) => LINE.exec(line)?.[3] ?? "");
}

function cursorOf(text: string): string | undefined {
  return /cursor "([^"]+)"/.exec(text)?.[1];
}

async function mailToken(user: User, scopes = ["Mail.ReadWrite"]) {
  return graphToken(user.entra.tenantId, user.entra.oid, scopes);
}

/** A draft with the given attachments, created straight through Graph; returns its id. */
async function draftWithAttachments(user: User, attachments: { name: string; contentType: string; contentBytes: string }[]) {
  const token = await mailToken(user);
  const response = await graph(token, "/me/messages", {
    json: {
      subject: "Files for review",
      attachments: attachments.map((a) => ({ "@odata.type": "#microsoft.graph.fileAttachment", ...a })),
    },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/** The body part of a get_message/get_attachment window, and where the next one starts. */
function windowOf(text: string): { body: string; next?: number } {
  const span = /\[characters \d+–\d+ of \d+\]\n/.exec(text);
  const rest = span ? text.slice(span.index + span[0].length) : text;
  const more = /\n\[More: call \w+ with (?:the same ids and )?offset (\d+)\.\]$/.exec(rest);
  return { body: more ? rest.slice(0, more.index) : rest, next: more?.[1] ? Number(more[1]) : undefined };
}

async function readWholeBody(user: User, id: string, maxChars: number): Promise<{ body: string; calls: number }> {
  let offset = 0;
  let body = "";
  for (let calls = 1; calls < 100; calls++) {
    const result = await user.callTool("get_message", { id, offset, maxChars });
    expect(result.isError).toBe(false);
    // Headers (or the "continued" line) end at the first blank line.
    const part = windowOf(result.text.slice(result.text.indexOf("\n\n") + 2));
    body += part.body;
    if (part.next === undefined) return { body, calls };
    expect(part.next).toBeGreaterThan(offset);
    offset = part.next;
  }
  throw new Error("never reached the end of the body");
}

describe("mail reading tools", () => {
  it("lists the well-known folders with counts and ids", async () => {
    const user = await connectedUser();
    const result = await user.callTool("list_mail_folders");
    expect(result.isError).toBe(false);
    const names = result.text
      .split("\n")
      .filter((line) => line.includes(" · id: "))
      .map((line) => line.split(" · ")[0]);
    expect(names).toEqual(expect.arrayContaining(["Inbox", "Drafts", "Sent Items", "Deleted Items", "Archive"]));
    expect(result.text).toMatch(/^Inbox · \d+ unread of \d+ · id: AAMk\S+$/m);
    expect(result.text).toContain("Well-known names work as folder ids: inbox");
    expect((await user.callTool("list_mail_folders", { parent: "inbox" })).text).toBe("No folders here.");
  });

  it("lists the inbox newest first, one compact line per message with its id", async () => {
    const user = await connectedUser();
    const result = await user.callTool("list_messages");
    expect(result.isError).toBe(false);
    const lines = messageLines(result.text);
    expect(lines).toHaveLength(25);
    const times = lines.map((line) => LINE.exec(line)?.[1] ?? "");
    expect(times.toSorted().toReversed()).toEqual(times);
    for (const line of lines) {
      expect(line).toMatch(/^\S+ \S+ · .+ <[^>]+@[^>]+> · /);
      expect(line.length).toBeLessThan(400);
    }
    expect(result.text).not.toMatch(/<html|<p>|bodyPreview|@odata/);
  });

  it("pages through a folder with the cursor, no message twice, across three pages", async () => {
    const user = await connectedUser();
    const seen = new Set<string>();
    let cursor: string | undefined;
    let last = "9999";
    for (let page = 0; page < 3; page++) {
      const result = await user.callTool("list_messages", { limit: 10, ...(cursor ? { cursor } : {}) });
      expect(result.isError).toBe(false);
      const lines = messageLines(result.text);
      expect(lines).toHaveLength(10);
      for (const line of lines) {
        const [, time = "", , id = ""] = LINE.exec(line) ?? [];
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        expect(time <= last).toBe(true);
        last = time;
      }
      cursor = cursorOf(result.text);
      expect(cursor).toBeTruthy();
    }
    expect(seen.size).toBe(30);
    const misused = await user.callTool("search_messages", { query: "invoice", cursor });
    expect(misused).toMatchObject({ isError: true });
    expect(misused.text).toContain("cursor: cursor belongs to another listing");
  });

  it("filters by unread, sender and date", async () => {
    const user = await connectedUser();
    const unread = await user.callTool("list_messages", { unreadOnly: true, limit: 50 });
    expect(messageLines(unread.text).length).toBeGreaterThan(0);
    for (const line of messageLines(unread.text)) expect(line).toMatch(/\[unread/);

    const sender = /<([^>]+)>/.exec(messageLines((await user.callTool("list_messages", { limit: 1 })).text)[0] ?? "")?.[1] ?? "";
    const fromSender = await user.callTool("list_messages", { from: sender.toUpperCase(), limit: 50 });
    expect(messageLines(fromSender.text).length).toBeGreaterThan(0);
    for (const line of messageLines(fromSender.text)) expect(line).toContain(`<${sender}>`);

    const since = historyDay(-10);
    const recent = await user.callTool("list_messages", { since, limit: 50 });
    expect(messageLines(recent.text).length).toBeGreaterThan(0);
    for (const line of messageLines(recent.text)) expect(line.slice(0, 10) >= since).toBe(true);

    const none = await user.callTool("list_messages", { from: "nobody@nowhere.example" });
    expect(none).toEqual({ isError: false, text: "No messages match." });
  });

  it("shows recipients rather than the sender in Sent Items", async () => {
    const user = await connectedUser();
    const sent = await user.callTool("list_messages", { folder: "sentitems", limit: 5 });
    expect(sent.isError).toBe(false);
    for (const line of messageLines(sent.text)) expect(line).toMatch(/^\S+ \S+ · → .+@/);
  });

  it("searches by subject or sender across folders or in one, with paging", async () => {
    const user = await connectedUser();
    const invoices = await user.callTool("search_messages", { query: "subject:invoice", limit: 5 });
    expect(invoices.isError).toBe(false);
    const lines = messageLines(invoices.text);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.toLowerCase()).toMatch(/ · [^·]*invoice[^·]* · /);
    const cursor = cursorOf(invoices.text);
    // Fewer invoices than one page leave no cursor, and no page 2 to repeat anything.
    const next = cursor ? (await user.callTool("search_messages", { query: "subject:invoice", limit: 5, cursor })).text : "";
    expect(idsOf(next).some((id) => idsOf(invoices.text).includes(id))).toBe(false);
    const newsletters = await user.callTool("search_messages", { query: "from:updates.example.net", folder: "inbox", limit: 50 });
    for (const line of messageLines(newsletters.text)) expect(line).toContain("@updates.example.net>");
    const none = await user.callTool("search_messages", { query: 'zebra "quoted" \\ words' });
    expect(none).toEqual({ isError: false, text: 'No messages match "zebra "quoted" \\ words".' });
  });

  it("reads a message as headers and clean text", async () => {
    const user = await connectedUser();
    const id = idsOf((await user.callTool("list_messages", { limit: 1 })).text)[0] ?? "";
    const result = await user.callTool("get_message", { id });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/^From: .+\nTo: .*dana@.+\n(Cc: .+\n)?Date: \d{4}-\d\d-\d\d \d\d:\d\dZ\nSubject: .+/);
    expect(result.text).not.toMatch(/<\/?(p|div|table|html|span)\b|&nbsp;|&amp;/);
  });

  it("windows a long HTML message and continues exactly where each window ended", async () => {
    const user = await connectedUser();
    const token = await mailToken(user, ["Mail.Read"]);
    const all = (await (await graph(token, "/me/messages?$top=300&$select=id,body")).json()) as {
      value: { id: string; body: { content: string; contentType: string } }[];
    };
    const longest = all.value.filter((m) => m.body.contentType === "html").sort((a, b) => b.body.content.length - a.body.content.length)[0];
    const id = longest?.id ?? "";
    expect(longest?.body.content.length).toBeGreaterThan(20_000);

    const first = await user.callTool("get_message", { id });
    expect(first.text).toMatch(/\[characters 0–\d+ of \d+\]\n/);
    expect(first.text).toMatch(/\n\[More: call get_message with offset \d+\.\]$/);
    expect(first.text).not.toMatch(/<(style|td|tr|img)\b|cid:|font-family/);
    const offset = windowOf(first.text).next ?? 0;
    const second = await user.callTool("get_message", { id, offset });
    expect(second.text).toMatch(/^Subject: .+ \(continued\)\n\n\[characters \d+–\d+ of \d+\]\n/);
    expect(second.text).not.toContain("From:");

    const small = await readWholeBody(user, id, 1500);
    const large = await readWholeBody(user, id, 20_000);
    expect(small.calls).toBeGreaterThan(3);
    expect(small.body).toBe(large.body);
    const total = Number(/of (\d+)\]/.exec(first.text)?.[1]);
    expect(large.body.length).toBe(total);
    const past = await user.callTool("get_message", { id, offset: total + 10 });
    expect(past.text).toContain(`Nothing after offset ${total + 10}; it has ${total} characters.`);
  });

  it("lists attachments and reads text ones decoded, HTML as text, binaries as details only", async () => {
    const user = await connectedUser();
    const csv = "region,amount\r\nLisbon,120.50\r\nOsaka,99.00\r\n";
    const draftId = await draftWithAttachments(user, [
      { name: "totals.csv", contentType: "text/csv", contentBytes: base64(csv) },
      {
        name: "note.html",
        contentType: "text/html",
        contentBytes: base64("<html><body><p>Hello <b>team</b> &amp; friends</p><script>x()</script></body></html>"),
      },
      {
        name: "chart.png",
        contentType: "image/png",
        contentBytes: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      },
    ]);
    const message = await user.callTool("get_message", { id: draftId });
    expect(message.text).toContain("Attachments (read with get_attachment):");
    const attachmentId = (name: string) =>
      new RegExp(`^- ${name.replace(".", "\\.")} \\(.+\\) · id: (\\S+)$`, "m").exec(message.text)?.[1] ?? "";
    expect(message.text).toMatch(/^- totals\.csv \(text\/csv, 43 B\) · id: \S+$/m);

    const table = await user.callTool("get_attachment", { messageId: draftId, attachmentId: attachmentId("totals.csv") });
    expect(table).toEqual({ isError: false, text: "totals.csv (text/csv, 43 B)\nregion,amount\nLisbon,120.50\nOsaka,99.00\n" });
    const note = await user.callTool("get_attachment", { messageId: draftId, attachmentId: attachmentId("note.html") });
    expect(note.text).toMatch(/^note\.html \(text\/html, \d+ B\)\nHello team & friends$/);
    const image = await user.callTool("get_attachment", { messageId: draftId, attachmentId: attachmentId("chart.png") });
    expect(image).toEqual({ isError: false, text: "chart.png (image/png, 70 B)\nBinary attachment; its content is not shown." });
  });

  it("windows a long text attachment, and one over 3 MB", async () => {
    const user = await connectedUser();
    const log = Array.from({ length: 2000 }, (_, i) => `line ${i} of the export`).join("\n");
    const big = "x".repeat(3_100_000);
    const draftId = await draftWithAttachments(user, [
      { name: "export.log", contentType: "text/plain", contentBytes: base64(log) },
      { name: "huge.txt", contentType: "text/plain", contentBytes: btoa(big) },
    ]);
    const message = await user.callTool("get_message", { id: draftId });
    const idFor = (name: string) => new RegExp(`^- ${name.replace(".", "\\.")} .* · id: (\\S+)$`, "m").exec(message.text)?.[1] ?? "";

    let offset = 0;
    let text = "";
    for (let calls = 0; calls < 20; calls++) {
      const part = await user.callTool("get_attachment", {
        messageId: draftId,
        attachmentId: idFor("export.log"),
        offset,
        maxChars: 10_000,
      });
      expect(part.isError).toBe(false);
      const window = windowOf(part.text.slice(part.text.indexOf("\n") + 1));
      text += window.body;
      if (window.next === undefined) break;
      expect(part.text).toContain(`[More: call get_attachment with the same ids and offset ${window.next}.]`);
      offset = window.next;
    }
    expect(text).toBe(log);

    // Past the 3 MB Graph hands over inline as base64, the bytes come from $value.
    const huge = await user.callTool("get_attachment", { messageId: draftId, attachmentId: idFor("huge.txt"), maxChars: 1000 });
    expect(huge.isError).toBe(false);
    expect(huge.text).toBe(
      `huge.txt (text/plain, 3.0 MB)\n[characters 0–1000 of 3100000]\n${"x".repeat(1000)}\n[More: call get_attachment with the same ids and offset 1000.]`,
    );
  });

  it("answers unknown and malformed ids with Graph's error and a hint, and keeps path tricks in their segment", async () => {
    const user = await connectedUser();
    const unknown = await user.callTool("get_message", { id: "AAMkAGI2TG93AAA=" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain("Microsoft Graph answered 404");
    expect(unknown.text).toContain("Hint: The item does not exist");

    for (const id of ["../../users/x", "x/../../me", "not an id!"]) {
      const malformed = await user.callTool("get_message", { id });
      expect(malformed.isError).toBe(true);
      expect(malformed.text).toContain("400 ErrorInvalidIdMalformed");
      expect(malformed.text).not.toMatch(/From:|Subject:/);
    }
    const folder = await user.callTool("list_messages", { folder: "../../users/x" });
    expect(folder.isError).toBe(true);
    expect(folder.text).toContain("Microsoft Graph answered 404");
    for (const id of ["..", "."]) {
      const dots = await user.callTool("get_message", { id });
      expect(dots.isError).toBe(true);
      expect(dots.text).toMatch(/Invalid arguments.*id: expected the message id/);
    }
    const attachment = await user.callTool("get_attachment", { messageId: "AAMkAGI2TG93AAA=", attachmentId: "../x" });
    expect(attachment.isError).toBe(true);
    expect(attachment.text).toContain("Microsoft Graph answered 404");
  });

  it("cannot read another user's message by id", async () => {
    const user = await connectedUser();
    const colleague = { oid: crypto.randomUUID(), userPrincipalName: `sam@${user.tenant.slug}.example`, displayName: "Sam Okafor" };
    await emulator.addUser(user.entra.tenantId, colleague);
    const token = await graphToken(user.entra.tenantId, colleague.oid, ["Mail.Read"]);
    const theirs = (await (await graph(token, "/me/messages?$top=1&$select=id")).json()) as { value: { id: string }[] };
    const result = await user.callTool("get_message", { id: theirs.value[0]?.id ?? "" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Microsoft Graph answered 404");
  });

  it("names the offending field when arguments are invalid", async () => {
    const user = await connectedUser();
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["list_messages", { limit: 500 }, /limit: expected a whole number from 1 to 50/],
      ["list_messages", { since: "last tuesday" }, /since: expected an ISO date/],
      ["list_messages", { from: "bob" }, /from: expected an email address/],
      ["list_messages", { folder: " " }, /folder: expected a folder id/],
      ["search_messages", { query: "  " }, /query: expected something to search for/],
      ["get_message", { id: "x", maxChars: 50 }, /maxChars: expected a whole number from 200 to 20000/],
      ["get_message", { id: "x", offset: -1 }, /offset: expected a whole number/],
      ["get_message", {}, /id:/],
      ["get_message", { id: "x", extra: true }, /extra/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await user.callTool(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(result.text).toMatch(/Invalid arguments/);
      expect(result.text).toMatch(message);
    }
  });

  it("recovers from Graph throttling", async () => {
    const user = await connectedUser();
    await injectGraphFault(user, { status: 429, count: 2, retryAfterSeconds: 0, pathContains: "/messages" });
    const result = await user.callTool("list_messages", { limit: 3 });
    expect(result.isError).toBe(false);
    expect(messageLines(result.text)).toHaveLength(3);
  });
});

describe("mail policy and catalogue", () => {
  it("hides write tools under a read-only policy and refuses to run them", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    const names = (await user.listTools()).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(READ_TOOLS));
    for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
    const refused = await user.callTool("send_message", { to: [user.user.userPrincipalName], subject: "Blocked by policy", body: "x" });
    expect(refused.isError).toBe(true);
    const token = await mailToken(user, ["Mail.Read"]);
    const sent = (await (
      await graph(token, `/me/messages?$search=${encodeURIComponent('"subject:Blocked by policy"')}&$select=id`)
    ).json()) as { value: unknown[] };
    expect(sent.value).toHaveLength(0);
    expect((await user.callTool("list_messages", { limit: 1 })).isError).toBe(false);
  });

  it("drops every mail tool when the group is disabled", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["files"] } });
    const names = (await user.listTools()).map((tool) => tool.name);
    for (const name of [...READ_TOOLS, ...WRITE_TOOLS]) expect(names).not.toContain(name);
    expect((await user.callTool("list_messages")).isError).toBe(true);
    expect((await user.callTool("send_message", { to: ["a@b.example"], subject: "x", body: "y" })).isError).toBe(true);
  });

  it("carries honest annotations and terse schemas", async () => {
    const user = await connectedUser();
    const tools = new Map((await user.listTools()).map((tool) => [tool.name, tool]));
    // tools/list leaves out hints equal to MCP's defaults.
    const hints = (name: string) => {
      const given = tools.get(name)?.annotations ?? {};
      return { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true, ...given };
    };
    for (const name of READ_TOOLS) expect(hints(name)).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    for (const name of ["send_message", "reply_message", "forward_message"]) {
      expect(hints(name)).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
    }
    expect(hints("create_draft")).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false });
    expect(hints("move_message")).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false });
    expect(hints("mark_message")).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
    const mail = [...READ_TOOLS, ...WRITE_TOOLS].map((name) => tools.get(name));
    // What these tools control costs about 90 cl100k tokens each (measured); characters are a stable stand-in here.
    // `mailbox` adds about 30 characters to each, `attachments` about 200 to the four that send or draft.
    const advertised = mail.map((tool) => ({ description: tool?.description, inputSchema: tool?.inputSchema }));
    expect(JSON.stringify(advertised).length).toBeLessThan(11 * 430);
    for (const tool of mail) expect(tool?.description?.split(". ")).toHaveLength(1);
  });
});
