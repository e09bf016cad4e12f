import { describe, expect, it } from "vitest";
import { folderId } from "../../emulator/graph/mail/model";
import { seedMailbox } from "../../emulator/graph/mail/seed";
import { EMULATOR, emulator, graph, graphToken, signedInUser } from "../helpers/emulator";
import { historyDay, SEED_DAY_MS } from "../helpers/seed-date";

/** Emulated Graph mail: folders, messages, actions, sendMail, attachments, scopes and isolation. */
interface Recipient {
  emailAddress: { name: string; address: string };
}
interface Message {
  id: string;
  subject: string;
  bodyPreview?: string;
  body?: { contentType: string; content: string };
  isRead: boolean;
  isDraft: boolean;
  hasAttachments: boolean;
  receivedDateTime: string;
  parentFolderId: string;
  conversationId: string;
  from: Recipient | null;
  toRecipients: Recipient[];
  categories: string[];
  flag: { flagStatus: string };
  importance: string;
}
interface Folder {
  id: string;
  displayName: string;
  totalItemCount: number;
  unreadItemCount: number;
}
interface Attachment {
  "@odata.type": string;
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
  contentBytes?: string;
}
interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
}

const SEEDED = 200;
const ALL = ["Mail.ReadWrite", "Mail.Send"];

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  return JSON.parse(text) as T;
}

async function list<T = Message>(token: string, path: string): Promise<Page<T>> {
  return json<Page<T>>(await graph(token, path));
}

async function first(token: string, path: string): Promise<Message> {
  const message = (await list(token, path)).value[0];
  if (!message) throw new Error(`no message at ${path}`);
  return message;
}

async function folder(token: string, name: string): Promise<Folder> {
  return json<Folder>(await graph(token, `/me/mailFolders/${name}`));
}

async function errorCode(response: Response, status: number): Promise<string> {
  return (await json<{ error: { code: string } }>(response, status)).error.code;
}

const filter = (expression: string) => `$filter=${encodeURIComponent(expression)}`;

describe("emulated Graph mail: reading", () => {
  it("pages through every seeded message with @odata.nextLink, newest first", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const firstPage = await list(token, "/me/messages?$count=true");
    expect(firstPage.value).toHaveLength(10);
    expect(firstPage["@odata.count"]).toBe(SEEDED);
    const seen: Message[] = [];
    let path: string | undefined = "/me/messages?$top=50";
    while (path) {
      const page: Page<Message> = await list(token, path);
      seen.push(...page.value);
      const next = page["@odata.nextLink"];
      path = next ? next.slice(`${EMULATOR()}/v1.0`.length) : undefined;
    }
    expect(seen).toHaveLength(SEEDED);
    expect(new Set(seen.map((m) => m.id)).size).toBe(SEEDED);
    const times = seen.map((m) => Date.parse(m.receivedDateTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Date.parse(`${historyDay(0)}T00:00:00Z`) - Math.min(...times)).toBeLessThan(92 * 86_400_000);
  });

  it("seeds a realistic mailbox: long HTML, inline images, attachments, threads, the same for the same user", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const all = (await list(token, "/me/messages?$top=1000")).value;
    const long = all.filter((m) => (m.body?.content.length ?? 0) > 20_000);
    expect(long.length).toBeGreaterThanOrEqual(3);
    expect(long.some((m) => m.body?.content.includes("cid:") && m.body.content.includes("<table"))).toBe(true);
    expect(all.some((m) => /&(euro|mdash|rsquo|amp);/.test(m.body?.content ?? ""))).toBe(true);
    expect(all.every((m) => (m.bodyPreview?.length ?? 0) <= 255 && !/<(html|div|p|table|td)\b/i.test(m.bodyPreview ?? ""))).toBe(true);
    const withFiles = all.filter((m) => m.hasAttachments).length;
    expect(withFiles / SEEDED).toBeGreaterThan(0.05);
    expect(withFiles / SEEDED).toBeLessThan(0.3);
    const threads = new Map<string, number>();
    for (const m of all) threads.set(m.conversationId, (threads.get(m.conversationId) ?? 0) + 1);
    expect([...threads.values()].some((n) => n >= 3)).toBe(true);
    expect(all.some((m) => !m.isRead) && all.some((m) => m.flag.flagStatus === "flagged") && all.some((m) => m.categories.length > 0)).toBe(
      true,
    );
    expect(new Set(all.map((m) => m.importance))).toEqual(new Set(["low", "normal", "high"]));
    expect(all.every((m) => !m.from || /@([\w-]+\.)*example(\.(com|org|net))?$/.test(m.from.emailAddress.address))).toBe(true);

    // Content depends only on the user: the same oid in another tenant sees the same subjects.
    const { user } = await signedInUser(["Mail.Read"]);
    const subjects = async (tenantId: string) => {
      await emulator.createTenant({ tenantId, displayName: "Twin" });
      await emulator.addUser(tenantId, { ...user, oid: "7e57da7a-0000-4000-8000-00000000c0de" });
      const twin = await graphToken(tenantId, "7e57da7a-0000-4000-8000-00000000c0de", ["Mail.Read"]);
      return (await list(twin, "/me/messages?$top=1000&$select=subject")).value.map((m) => m.subject).sort();
    };
    expect(await subjects(crypto.randomUUID())).toEqual(await subjects(crypto.randomUUID()));
  });

  it("honours $select and $filter on isRead, sender and attachments", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const selected = await list<Record<string, unknown>>(token, "/me/messages?$select=subject,from&$top=3");
    expect(selected.value.map((m) => Object.keys(m).sort())).toEqual(Array.from({ length: 3 }, () => ["from", "id", "subject"]));

    const unread = await list(token, `/me/messages?${filter("isRead eq false")}&$top=1000&$count=true`);
    expect(unread.value.length).toBeGreaterThan(0);
    expect(unread.value.every((m) => !m.isRead)).toBe(true);

    const sender = (await first(token, `/me/mailFolders/inbox/messages?$top=1`)).from?.emailAddress.address ?? "";
    const fromSender = await list(token, `/me/messages?${filter(`from/emailAddress/address eq '${sender}'`)}&$top=1000`);
    expect(fromSender.value.length).toBeGreaterThan(0);
    expect(fromSender.value.every((m) => m.from?.emailAddress.address === sender)).toBe(true);

    const recent = await list(
      token,
      `/me/messages?${filter(`hasAttachments eq true and receivedDateTime ge ${historyDay(-90)}T00:00:00Z`)}&$top=1000`,
    );
    expect(recent.value.length).toBeGreaterThan(0);
    expect(recent.value.every((m) => m.hasAttachments)).toBe(true);
    expect((await graph(token, `/me/messages?${filter("isRead eq")}`)).status).toBe(400);
  });

  it("searches subject, body and people, and refuses $search with $orderby or $filter", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const bySubject = await list(token, `/me/messages?$search=${encodeURIComponent('"subject:invoice"')}&$top=1000`);
    expect(bySubject.value.length).toBeGreaterThan(0);
    expect(bySubject.value.every((m) => m.subject.toLowerCase().includes("invoice"))).toBe(true);
    const anywhere = await list(token, `/me/messages?$search=${encodeURIComponent('"invoice"')}&$top=1000`);
    expect(anywhere.value.length).toBeGreaterThanOrEqual(bySubject.value.length);
    const orderBy = await graph(token, `/me/messages?$search="invoice"&$orderby=subject`);
    expect(await errorCode(orderBy, 400)).toBe("BadRequest");
    expect((await graph(token, `/me/messages?$search="invoice"&${filter("isRead eq true")}`)).status).toBe(400);
  });

  it("lists the well-known folders with counts and resolves well-known names as ids", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const folders = (await list<Folder>(token, "/me/mailFolders")).value;
    const names = folders.map((f) => f.displayName);
    for (const name of ["Inbox", "Drafts", "Sent Items", "Deleted Items", "Archive", "Junk Email"]) expect(names).toContain(name);
    expect(folders.reduce((sum, f) => sum + f.totalItemCount, 0)).toBe(SEEDED);
    const inbox = await folder(token, "inbox");
    expect(folders.find((f) => f.displayName === "Inbox")?.id).toBe(inbox.id);
    expect((await folder(token, "Inbox")).id).toBe(inbox.id);
    expect(inbox.totalItemCount).toBe(Math.max(...folders.map((f) => f.totalItemCount)));
    const inboxMessages = (await list(token, "/me/mailFolders/inbox/messages?$top=1000")).value;
    expect(inboxMessages).toHaveLength(inbox.totalItemCount);
    expect(inboxMessages.every((m) => m.parentFolderId === inbox.id)).toBe(true);
    expect(inboxMessages.filter((m) => !m.isRead)).toHaveLength(inbox.unreadItemCount);
    const byId = await json<Message>(await graph(token, `/me/mailFolders/${inbox.id}/messages/${inboxMessages[0]?.id}`));
    expect(byId.id).toBe(inboxMessages[0]?.id);
    expect(await errorCode(await graph(token, "/me/mailFolders/AAMkNoSuchFolder="), 404)).toBe("ErrorItemNotFound");
  });

  it("returns a text body with Preference-Applied when asked for outlook.body-content-type text", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const html = await first(token, `/me/messages?${filter("body/contentType eq 'html'")}&$top=1`);
    expect(html.body?.content).toMatch(/<html/i);
    const response = await graph(token, `/me/messages/${html.id}`, { headers: { Prefer: 'outlook.body-content-type="text"' } });
    expect(response.headers.get("preference-applied")).toBe('outlook.body-content-type="text"');
    const text = await json<Message>(response);
    expect(text.body?.contentType).toBe("text");
    expect(text.body?.content).not.toMatch(/<(html|div|p|table|td|br)\b|&(amp|nbsp|euro);/i);
    expect(text.body?.content.length).toBeGreaterThan(0);
    const listed = await graph(token, "/me/messages?$top=2", { headers: { Prefer: 'outlook.body-content-type="text"' } });
    expect(listed.headers.get("preference-applied")).toBe('outlook.body-content-type="text"');
    expect((await json<Page<Message>>(listed)).value.every((m) => m.body?.contentType === "text")).toBe(true);
  });

  it("lists attachment metadata and returns contentBytes and raw bytes that match size", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const message = await first(token, `/me/messages?${filter("hasAttachments eq true")}&$top=1`);
    const attachments = (await list<Attachment>(token, `/me/messages/${message.id}/attachments?$select=name,size,contentType,isInline`))
      .value;
    expect(attachments.length).toBeGreaterThanOrEqual(1);
    expect(attachments.every((a) => a.contentBytes === undefined && a.size > 0)).toBe(true);
    const full = (await list<Attachment>(token, `/me/messages/${message.id}/attachments`)).value;
    expect(full.every((a) => a["@odata.type"] === "#microsoft.graph.fileAttachment" && typeof a.contentBytes === "string")).toBe(true);
    const fileId = attachments.find((a) => !a.isInline)?.id ?? "";
    const attachment = await json<Attachment>(await graph(token, `/me/messages/${message.id}/attachments/${fileId}`));
    expect(attachment["@odata.type"]).toBe("#microsoft.graph.fileAttachment");
    expect(atob(attachment.contentBytes ?? "")).toHaveLength(attachment.size);
    const raw = await graph(token, `/me/messages/${message.id}/attachments/${fileId}/$value`);
    expect(raw.headers.get("content-type")).toContain(attachment.contentType);
    expect((await raw.arrayBuffer()).byteLength).toBe(attachment.size);

    const inline = (await list(token, "/me/messages?$top=1000")).value.find((m) => m.body?.content.includes("cid:"));
    const inlineParts = (await list<Attachment>(token, `/me/messages/${inline?.id}/attachments`)).value;
    expect(inlineParts.some((a) => a.isInline && a.contentId && inline?.body?.content.includes(`cid:${a.contentId}`))).toBe(true);
    expect(await errorCode(await graph(token, `/me/messages/${message.id}/attachments/AAMkNope=`), 404)).toBe("ErrorItemNotFound");
  });
});

describe("emulated Graph mail: changing messages", () => {
  it("patches isRead, flag and categories, but subject only on drafts", async () => {
    const { token } = await signedInUser(ALL);
    const message = await first(token, `/me/mailFolders/inbox/messages?${filter("isRead eq false")}&$top=1`);
    const patched = await json<Message>(
      await graph(token, `/me/messages/${message.id}`, {
        method: "PATCH",
        json: { isRead: true, categories: ["Red category"], flag: { flagStatus: "flagged" } },
      }),
    );
    expect(patched).toMatchObject({ id: message.id, isRead: true, categories: ["Red category"], flag: { flagStatus: "flagged" } });
    expect((await json<Message>(await graph(token, `/me/messages/${message.id}`))).isRead).toBe(true);
    const subject = await graph(token, `/me/messages/${message.id}`, { method: "PATCH", json: { subject: "Changed" } });
    expect(await errorCode(subject, 400)).toBe("ErrorInvalidPropertyUpdateSentMessage");
    expect(await errorCode(await graph(token, `/me/messages/${message.id}`, { method: "PATCH", json: { colour: "red" } }), 400)).toBe(
      "RequestBodyRead",
    );
    expect(await errorCode(await graph(token, `/me/messages/${message.id}`, { method: "PATCH", json: { isRead: "yes" } }), 400)).toBe(
      "RequestBodyRead",
    );
  });

  it("moves a message to another folder under a new id", async () => {
    const { token } = await signedInUser(ALL);
    const archive = await folder(token, "archive");
    const message = await first(token, "/me/mailFolders/inbox/messages?$top=1");
    const moved = await json<Message>(await graph(token, `/me/messages/${message.id}/move`, { json: { destinationId: "archive" } }), 201);
    expect(moved.id).not.toBe(message.id);
    expect(moved).toMatchObject({ parentFolderId: archive.id, subject: message.subject });
    expect((await graph(token, `/me/messages/${message.id}`)).status).toBe(404);
    expect((await graph(token, `/me/messages/${moved.id}`)).status).toBe(200);
    expect((await folder(token, "archive")).totalItemCount).toBe(archive.totalItemCount + 1);
    const nowhere = await graph(token, `/me/messages/${moved.id}/move`, { json: { destinationId: "AAMkNoSuchFolder=" } });
    expect(nowhere.status).toBe(404);
  });

  it("deletes a message: its id answers 404 and it lands in Deleted Items; deleting there removes it", async () => {
    const { token } = await signedInUser(ALL);
    const deletedBefore = (await folder(token, "deleteditems")).totalItemCount;
    const message = await first(token, "/me/mailFolders/inbox/messages?$top=1");
    expect((await graph(token, `/me/messages/${message.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await errorCode(await graph(token, `/me/messages/${message.id}`), 404)).toBe("ErrorItemNotFound");
    expect((await graph(token, `/me/messages/${message.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await folder(token, "deleteditems")).totalItemCount).toBe(deletedBefore + 1);
    const trashed = await first(
      token,
      `/me/mailFolders/deleteditems/messages?${filter(`conversationId eq '${message.conversationId}'`)}&$top=1`,
    );
    expect((await graph(token, `/me/messages/${trashed.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await folder(token, "deleteditems")).totalItemCount).toBe(deletedBefore);
    expect((await list(token, "/me/messages?$count=true&$top=1"))["@odata.count"]).toBe(SEEDED - 1);
  });

  it("replies and forwards: 202, the sent message in Sent Items in the same conversation", async () => {
    const { token, tenantId, other } = await signedInUser(ALL);
    const original = await first(token, "/me/mailFolders/inbox/messages?$top=1");
    const reply = await graph(token, `/me/messages/${original.id}/reply`, { json: { comment: "Thanks, <b>noted</b> & agreed." } });
    expect(reply.status).toBe(202);
    const sent = await first(token, "/me/mailFolders/sentitems/messages?$top=1");
    expect(sent.subject).toBe(`RE: ${original.subject.replace(/^RE: /, "")}`);
    expect(sent.conversationId).toBe(original.conversationId);
    expect(sent.toRecipients[0]?.emailAddress.address).toBe(original.from?.emailAddress.address);
    expect(sent.body?.content).toContain("Thanks, &lt;b&gt;noted&lt;/b&gt; &amp; agreed.");
    expect(sent.isDraft).toBe(false);

    const noRecipients = await graph(token, `/me/messages/${original.id}/forward`, { json: { comment: "FYI" } });
    expect(await errorCode(noRecipients, 400)).toBe("ErrorInvalidRecipients");
    const withFiles = await first(token, `/me/messages?${filter("hasAttachments eq true")}&$top=1`);
    const forward = await graph(token, `/me/messages/${withFiles.id}/forward`, {
      json: { comment: "FYI", toRecipients: [{ emailAddress: { address: other.userPrincipalName.toUpperCase() } }] },
    });
    expect(forward.status).toBe(202);
    const otherToken = await graphToken(tenantId, other.oid, ["Mail.Read"]);
    const received = await first(otherToken, "/me/mailFolders/inbox/messages?$top=1");
    expect(received).toMatchObject({ subject: `FW: ${withFiles.subject.replace(/^RE: /, "")}`, hasAttachments: true, isRead: false });
  });

  it("creates reply and forward drafts in Drafts, which can be edited and sent", async () => {
    const { token } = await signedInUser(ALL);
    const drafts = await folder(token, "drafts");
    const original = await first(token, "/me/mailFolders/inbox/messages?$top=1");
    const draft = await json<Message>(await graph(token, `/me/messages/${original.id}/createReply`, { method: "POST" }), 201);
    expect(draft).toMatchObject({ isDraft: true, parentFolderId: drafts.id, conversationId: original.conversationId });
    expect(draft.toRecipients[0]?.emailAddress.address).toBe(original.from?.emailAddress.address);
    const forwardDraft = await json<Message>(
      await graph(token, `/me/messages/${original.id}/createForward`, { json: { comment: "see below" } }),
      201,
    );
    expect(forwardDraft.subject.startsWith("FW: ")).toBe(true);
    expect(forwardDraft.toRecipients).toEqual([]);
    const edited = await json<Message>(
      await graph(token, `/me/messages/${draft.id}`, {
        method: "PATCH",
        json: { subject: "RE: edited", body: { contentType: "Text", content: "Short answer" } },
      }),
    );
    expect(edited).toMatchObject({
      subject: "RE: edited",
      body: { contentType: "text", content: "Short answer" },
      bodyPreview: "Short answer",
    });
    expect((await graph(token, `/me/messages/${draft.id}/send`, { method: "POST" })).status).toBe(202);
    expect((await graph(token, `/me/messages/${draft.id}`)).status).toBe(404);
    expect((await first(token, "/me/mailFolders/sentitems/messages?$top=1")).subject).toBe("RE: edited");
    expect(await errorCode(await graph(token, `/me/messages/${original.id}/send`, { method: "POST" }), 400)).toBe("ErrorInvalidOperation");
    expect(await errorCode(await graph(token, `/me/messages/${forwardDraft.id}/send`, { method: "POST" }), 400)).toBe(
      "ErrorInvalidRecipients",
    );
  });

  it("adds, expands and removes attachments on a draft, copies it, and deletes it permanently", async () => {
    const { token } = await signedInUser(ALL);
    const draft = await json<Message>(await graph(token, "/me/messages", { json: { subject: "With files" } }), 201);
    const added = await json<Attachment>(
      await graph(token, `/me/messages/${draft.id}/attachments`, {
        json: { "@odata.type": "#microsoft.graph.fileAttachment", name: "a.txt", contentType: "text/plain", contentBytes: btoa("hello") },
      }),
      201,
    );
    expect(added).toMatchObject({ name: "a.txt", size: 5, isInline: false });
    const expanded = await json<Message & { attachments: Attachment[] }>(
      await graph(token, `/me/messages/${draft.id}?$select=subject,hasAttachments&$expand=attachments($select=name,size)`),
    );
    expect(expanded).toMatchObject({
      subject: "With files",
      hasAttachments: true,
      attachments: [{ id: added.id, name: "a.txt", size: 5 }],
    });
    const copy = await json<Message>(await graph(token, `/me/messages/${draft.id}/Copy`, { json: { destinationId: "archive" } }), 201);
    expect(copy).toMatchObject({ subject: "With files", parentFolderId: (await folder(token, "archive")).id, hasAttachments: true });
    expect((await graph(token, `/me/messages/${draft.id}/attachments/${added.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await json<Message>(await graph(token, `/me/messages/${draft.id}`))).hasAttachments).toBe(false);
    expect((await list<Attachment>(token, `/me/messages/${copy.id}/attachments`)).value).toHaveLength(1);
    expect((await graph(token, `/me/messages/${copy.id}/permanentDelete`, { method: "POST" })).status).toBe(204);
    expect((await graph(token, `/me/messages/${copy.id}`)).status).toBe(404);
    const badType = await graph(token, `/me/messages/${draft.id}/attachments`, {
      json: { "@odata.type": "#microsoft.graph.itemAttachment", name: "x" },
    });
    expect(await errorCode(badType, 400)).toBe("RequestBodyRead");
  });

  it("creates a draft with POST /me/messages", async () => {
    const { token } = await signedInUser(ALL);
    const draft = await json<Message & { "@odata.context": string }>(
      await graph(token, "/me/messages", {
        json: {
          subject: "Quarterly plan",
          importance: "High",
          body: { contentType: "HTML", content: "<p>Draft &amp; notes</p>" },
          toRecipients: [{ emailAddress: { address: "dana@partner.example.org" } }],
        },
      }),
      201,
    );
    expect(draft).toMatchObject({ isDraft: true, importance: "high", subject: "Quarterly plan", bodyPreview: "Draft & notes" });
    expect(draft["@odata.context"]).toContain("/messages/$entity");
    expect(draft.toRecipients).toEqual([{ emailAddress: { name: "dana@partner.example.org", address: "dana@partner.example.org" } }]);
    expect((await folder(token, "drafts")).totalItemCount).toBeGreaterThan(0);
    expect(await errorCode(await graph(token, "/me/messages", { json: { subject: "x", bogus: 1 } }), 400)).toBe("RequestBodyRead");
  });
});

describe("emulated Graph mail: sendMail", () => {
  it("sends to another user of the tenant, who finds it unread in their inbox, and keeps a copy in Sent Items", async () => {
    const { token, tenantId, user, other } = await signedInUser(ALL);
    const subject = `Handover notes ${crypto.randomUUID().slice(0, 8)}`;
    const response = await graph(token, "/me/sendMail", {
      json: {
        message: {
          subject,
          body: { contentType: "Text", content: "See the attached checklist." },
          toRecipients: [{ emailAddress: { address: other.userPrincipalName, name: other.displayName } }],
          attachments: [
            {
              "@odata.type": "#microsoft.graph.fileAttachment",
              name: "checklist.txt",
              contentType: "text/plain",
              contentBytes: btoa("1. keys\n2. badge\n"),
            },
          ],
        },
      },
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    const sent = await first(token, "/me/mailFolders/sentitems/messages?$top=1");
    expect(sent).toMatchObject({ subject, isDraft: false, hasAttachments: true });

    const otherToken = await graphToken(tenantId, other.oid, ["Mail.Read"]);
    const received = await first(otherToken, `/me/mailFolders/inbox/messages?${filter(`subject eq '${subject}'`)}`);
    expect(received).toMatchObject({ isRead: false, hasAttachments: true, from: { emailAddress: { address: user.userPrincipalName } } });
    const attachments = (await list<Attachment>(otherToken, `/me/messages/${received.id}/attachments`)).value;
    expect(attachments.map((a) => [a.name, a.size])).toEqual([["checklist.txt", 17]]);
  });

  it("does not keep a copy when saveToSentItems is false", async () => {
    const { token } = await signedInUser(ALL);
    const before = (await folder(token, "sentitems")).totalItemCount;
    const response = await graph(token, "/me/sendMail", {
      json: {
        message: { subject: "No copy", toRecipients: [{ emailAddress: { address: "ext@partner.example.org" } }] },
        saveToSentItems: false,
      },
    });
    expect(response.status).toBe(202);
    expect((await folder(token, "sentitems")).totalItemCount).toBe(before);
  });

  it("refuses a message without valid recipients, a foreign From, and unknown parameters", async () => {
    const { token } = await signedInUser(ALL);
    const none = await graph(token, "/me/sendMail", { json: { message: { subject: "Nobody" } } });
    expect(await errorCode(none, 400)).toBe("ErrorInvalidRecipients");
    const malformed = await graph(token, "/me/sendMail", {
      json: { message: { subject: "x", toRecipients: [{ emailAddress: { address: "not-an-address" } }] } },
    });
    expect(await errorCode(malformed, 400)).toBe("ErrorInvalidRecipients");
    const sendAs = await graph(token, "/me/sendMail", {
      json: {
        message: {
          subject: "x",
          from: { emailAddress: { address: "ceo@elsewhere.example.com" } },
          toRecipients: [{ emailAddress: { address: "a@partner.example.org" } }],
        },
      },
    });
    expect(await errorCode(sendAs, 403)).toBe("ErrorSendAsDenied");
    expect(await errorCode(await graph(token, "/me/sendMail", { json: { message: {}, extra: true } }), 400)).toBe("RequestBodyRead");
    expect(
      await errorCode(await graph(token, "/me/sendMail", { method: "POST", headers: { "content-type": "application/json" } }), 400),
    ).toBe("RequestBodyRead");
  });
});

describe("emulated Graph mail: scopes and isolation", () => {
  it("enforces Mail.Send, Mail.ReadWrite and Mail.Read per endpoint", async () => {
    const { token } = await signedInUser(["Mail.Read"]);
    const message = await first(token, "/me/messages?$top=1");
    const send = await graph(token, "/me/sendMail", {
      json: { message: { toRecipients: [{ emailAddress: { address: "a@partner.example.org" } }] } },
    });
    expect(await errorCode(send, 403)).toBe("ErrorAccessDenied");
    expect((await graph(token, `/me/messages/${message.id}`, { method: "PATCH", json: { isRead: true } })).status).toBe(403);
    expect((await graph(token, `/me/messages/${message.id}/move`, { json: { destinationId: "archive" } })).status).toBe(403);
    expect((await graph(token, `/me/messages/${message.id}/reply`, { json: { comment: "hi" } })).status).toBe(403);
    expect((await graph(token, `/me/messages/${message.id}/createReply`, { method: "POST" })).status).toBe(403);
    expect((await graph(token, `/me/messages/${message.id}`, { method: "DELETE" })).status).toBe(403);

    const { token: sendOnly } = await signedInUser(["Mail.Send"]);
    expect((await graph(sendOnly, "/me/messages")).status).toBe(403);
    expect((await graph(sendOnly, "/me/mailFolders")).status).toBe(403);
  });

  it("gives Mail.ReadBasic messages without body or preview, and no attachments", async () => {
    const { token } = await signedInUser(["Mail.ReadBasic"]);
    const messages = (await list<Record<string, unknown>>(token, "/me/messages?$top=5")).value;
    expect(messages).toHaveLength(5);
    for (const message of messages) {
      expect(message).toHaveProperty("subject");
      expect(message).not.toHaveProperty("body");
      expect(message).not.toHaveProperty("bodyPreview");
    }
    const single = await json<Record<string, unknown>>(await graph(token, `/me/messages/${messages[0]?.id}?$select=subject,body`));
    expect(single).not.toHaveProperty("body");
    expect((await graph(token, `/me/messages/${messages[0]?.id}/attachments`)).status).toBe(403);
    expect((await graph(token, `/me/messages?${filter("contains(body/content, 'invoice')")}`)).status).toBe(403);
    expect((await graph(token, `/me/messages?$search=${encodeURIComponent('"body:the"')}`)).status).toBe(200);
    expect((await list(token, `/me/messages?$search=${encodeURIComponent('"body:the"')}`)).value).toEqual([]);
    expect((await graph(token, "/me/mailFolders")).status).toBe(200);
  });

  it("answers 404 for an unknown id and for another user's message, leaving it untouched", async () => {
    const { token, tenantId, other } = await signedInUser(ALL);
    expect(await errorCode(await graph(token, "/me/messages/AAMkDoesNotExist="), 404)).toBe("ErrorItemNotFound");
    const otherToken = await graphToken(tenantId, other.oid, ["Mail.ReadWrite"]);
    const theirs = await first(otherToken, `/me/mailFolders/inbox/messages?${filter("isRead eq false")}&$top=1`);
    expect((await graph(token, `/me/messages/${theirs.id}`)).status).toBe(404);
    expect((await graph(token, `/me/messages/${theirs.id}`, { method: "PATCH", json: { isRead: true } })).status).toBe(404);
    expect((await graph(token, `/me/messages/${theirs.id}/move`, { json: { destinationId: "inbox" } })).status).toBe(404);
    expect(
      (
        await graph(token, `/me/messages/${theirs.id}/forward`, {
          json: { toRecipients: [{ emailAddress: { address: "x@partner.example.org" } }] },
        })
      ).status,
    ).toBe(404);
    expect((await graph(token, `/me/messages/${theirs.id}/attachments`)).status).toBe(404);
    expect((await graph(token, `/me/messages/${theirs.id}`, { method: "DELETE" })).status).toBe(404);
    expect(await json<Message>(await graph(otherToken, `/me/messages/${theirs.id}`))).toMatchObject({ id: theirs.id, isRead: false });
  });

  it("never resolves an encoded path in a message id to another resource", async () => {
    const { token, tenantId, other } = await signedInUser(ALL);
    const otherToken = await graphToken(tenantId, other.oid, ["Mail.Read"]);
    const theirs = await first(otherToken, "/me/messages?$top=1");
    for (const id of [
      "..%2F..%2Fusers%2Fx",
      `..%2F..%2Fusers%2F${other.oid}%2Fmessages%2F${theirs.id}`,
      `${encodeURIComponent(theirs.id)}%2F..`,
      "%00",
      "inbox%3Fx%3D1",
    ]) {
      const response = await graph(token, `/me/messages/${id}`);
      expect([400, 404], id).toContain(response.status);
      expect(JSON.stringify(await response.json())).not.toContain(theirs.subject);
    }
  });
});

describe("seeded mailboxes, for owners whose draw once lacked something", () => {
  const seeded = (n: number) => {
    const oid = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const store = seedMailbox(
      "tenant",
      { oid, userPrincipalName: "u@contoso.example", displayName: "U", mail: "u@contoso.example" },
      SEED_DAY_MS,
    );
    return { store, messages: [...store.messages.values()] };
  };

  it("always hold low- and high-importance mail, low in the inbox when it had to be made", () => {
    const { store, messages } = seeded(136); // its 200 messages drew no low importance
    const low = messages.filter((message) => message.importance === "low");
    expect(low.map((message) => message.parentFolderId)).toEqual([folderId(store, "inbox")]);
    expect(messages.some((message) => message.importance === "high")).toBe(true);
  });

  it("always hold a supplier invoice", () => {
    const { messages } = seeded(6806); // its threads drew no invoice topic
    expect(messages.some((message) => /^(RE: )?Invoice INV-\d+ from /.test(message.subject))).toBe(true);
  });
});
