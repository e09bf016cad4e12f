import { beforeAll, describe, expect, it } from "vitest";
import { toolCallDetail } from "../src/audit/tool-call";
import { putUploadRange } from "../src/graph/upload";
import { ALL_TOOLS } from "../src/graph/tools";
import { EMULATOR, graph, graphToken } from "./helpers/emulator";
import { connectedUser, okText as ok } from "./helpers/mcp";

/**
 * Attachments on send_message, reply_message, forward_message and
 * create_draft: OneDrive files and other messages' attachments fetched by
 * the gateway, small ones inline, large ones through an Outlook upload
 * session whose every range the emulator checks.
 */
type User = Awaited<ReturnType<typeof connectedUser>>;

interface GraphAttachment {
  id: string;
  name: string;
  size: number;
  contentBytes?: string;
}

const fileIdIn = (listing: string, name: string): string => {
  const line = listing.split("\n").find((candidate) => candidate.startsWith(`${name} · `));
  const id = /id: (\S+)$/.exec(line ?? "")?.[1];
  if (!id) throw new Error(`no ${name} in:\n${listing}`);
  return id;
};

async function mailToken(user: User) {
  return graphToken(user.entra.tenantId, user.entra.oid, ["Mail.ReadWrite", "Files.Read"]);
}

/** The attachments (with content) of the newest message in the user's inbox with this subject, read straight from Graph. */
async function receivedAttachments(user: User, subject: string): Promise<GraphAttachment[]> {
  const token = await mailToken(user);
  const found = (await (await graph(token, `/me/mailFolders/inbox/messages?$select=id,subject&$top=100`)).json()) as {
    value: { id: string; subject: string }[];
  };
  const message = found.value.find((candidate) => candidate.subject === subject);
  if (!message) throw new Error(`no "${subject}" in the inbox`);
  const listed = await graph(token, `/me/messages/${encodeURIComponent(message.id)}/attachments`);
  return ((await listed.json()) as { value: GraphAttachment[] }).value;
}

/** A short fingerprint of some bytes, so a 5 MB comparison never prints 5 MB. */
async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `${bytes.byteLength}:${Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** The fingerprint of a OneDrive file, read through Graph's /content redirect and its download URL (without the token). */
async function driveDigest(user: User, fileId: string): Promise<string> {
  const redirect = await fetch(`${EMULATOR()}/v1.0/me/drive/items/${encodeURIComponent(fileId)}/content`, {
    headers: { authorization: `Bearer ${await mailToken(user)}` },
    redirect: "manual",
  });
  const download = await fetch(redirect.headers.get("location") ?? "");
  return digest(new Uint8Array(await download.arrayBuffer()));
}

const decodedDigest = (base64: string) => digest(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
const subjectOf = (what: string) => `${what} ${crypto.randomUUID().slice(0, 8)}`;

describe("attachments on outgoing mail", () => {
  let user: User;
  let small: string;
  let large: string;

  beforeAll(async () => {
    user = await connectedUser();
    small = fileIdIn(await ok(user, "list_files", { limit: 50 }), "Welcome.txt");
    large = fileIdIn(await ok(user, "search_files", { query: "sensor-readings" }), "sensor-readings-2025.csv");
  }, 60_000);

  it("sends a small OneDrive file inline, byte for byte", async () => {
    const subject = subjectOf("Welcome file");
    const sent = await ok(user, "send_message", {
      to: [user.user.userPrincipalName],
      subject,
      body: "Attached.",
      attachments: [{ fileId: small }],
    });
    expect(sent).toMatch(new RegExp(`^Sent "${subject}" with 1 attachment \\(\\d+ B\\) to `));
    const [attachment] = await receivedAttachments(user, subject);
    expect(attachment?.name).toBe("Welcome.txt");
    expect(await decodedDigest(attachment?.contentBytes ?? "")).toBe(await driveDigest(user, small));
  });

  it("sends a file over 3 MB through an upload session, byte for byte", async () => {
    const subject = subjectOf("Sensor data");
    const sent = await ok(user, "send_message", {
      to: [user.user.userPrincipalName],
      subject,
      body: "The readings.",
      attachments: [{ fileId: large }],
    });
    expect(sent).toContain("with 1 attachment (5.0 MB)");
    expect(sent).toContain("A copy is in Sent Items.");
    const [attachment] = await receivedAttachments(user, subject);
    expect(attachment?.name).toBe("sensor-readings-2025.csv");
    expect(attachment?.size).toBe(5 * 1024 * 1024);
    expect(await decodedDigest(attachment?.contentBytes ?? "")).toBe(await driveDigest(user, large));
    // Nothing is left behind in Drafts.
    const drafts = await ok(user, "list_messages", { folder: "drafts", limit: 50 });
    expect(drafts).not.toContain(subject);

    // The received 5 MB attachment can itself be attached again: read from $value a range at a time into a new upload session.
    const token = await mailToken(user);
    const inbox = (await (await graph(token, `/me/mailFolders/inbox/messages?$select=id,subject&$top=100`)).json()) as {
      value: { id: string; subject: string }[];
    };
    const messageId = inbox.value.find((message) => message.subject === subject)?.id ?? "";
    const copy = await ok(user, "create_draft", {
      subject: "Again",
      body: "x",
      attachments: [{ messageId, attachmentId: attachment?.id }],
    });
    expect(copy).toContain("with 1 attachment (5.0 MB)");
    const draftId = /id: (\S+)$/.exec(copy)?.[1] ?? "";
    const copied = (await (await graph(token, `/me/messages/${encodeURIComponent(draftId)}/attachments`)).json()) as {
      value: GraphAttachment[];
    };
    expect(await decodedDigest(copied.value[0]?.contentBytes ?? "")).toBe(await driveDigest(user, large));
  }, 30_000);

  it("copies another message's attachment into a draft, and forwards and replies with files", async () => {
    const subject = subjectOf("Notes");
    await ok(user, "send_message", { to: [user.user.userPrincipalName], subject, body: "Notes.", attachments: [{ fileId: small }] });
    const token = await mailToken(user);
    const inbox = (await (await graph(token, `/me/mailFolders/inbox/messages?$select=id,subject&$top=100`)).json()) as {
      value: { id: string; subject: string }[];
    };
    const messageId = inbox.value.find((message) => message.subject === subject)?.id ?? "";
    const [source] = await receivedAttachments(user, subject);
    const attachmentId = source?.id ?? "";

    const draft = await ok(user, "create_draft", { subject: "Copy", body: "x", attachments: [{ messageId, attachmentId }] });
    expect(draft).toMatch(/^Draft saved in Drafts: "Copy" with 1 attachment \(\d+ B\) to \(no recipients\) · id: \S+$/);
    const draftId = /id: (\S+)$/.exec(draft)?.[1] ?? "";
    const copied = await graph(token, `/me/messages/${encodeURIComponent(draftId)}/attachments`);
    expect(((await copied.json()) as { value: GraphAttachment[] }).value).toMatchObject([{ name: "Welcome.txt", size: source?.size }]);

    const forwarded = await ok(user, "forward_message", {
      id: messageId,
      to: [user.user.userPrincipalName],
      attachments: [{ fileId: large }],
    });
    expect(forwarded).toMatch(/^Forwarded with 1 attachment \(5\.0 MB\) to /);
    const replied = await ok(user, "reply_message", { id: messageId, comment: "Here.", attachments: [{ fileId: small }] });
    expect(replied).toMatch(/^Reply sent with 1 attachment \(\d+ B\); a copy is in Sent Items\.$/);
    const forwardCopy = await receivedAttachments(user, `FW: ${subject}`);
    expect(forwardCopy.map((attachment) => attachment.name).sort()).toEqual(["Welcome.txt", "sensor-readings-2025.csv"]);
  }, 30_000);

  it("names the attachment that does not exist, and refuses a malformed one before calling Graph", async () => {
    const missing = await user.callTool("send_message", {
      to: [user.user.userPrincipalName],
      subject: "x",
      body: "y",
      attachments: [{ fileId: small }, { fileId: "01NOSUCHFILE" }],
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^Could not read attachments\.1\.fileId: Microsoft Graph answered 404 itemNotFound/);
    for (const bad of [{}, { fileId: small, messageId: "m" }, { messageId: "m" }]) {
      const refused = await user.callTool("create_draft", { subject: "x", body: "y", attachments: [bad] });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/attachments\.0: expected \{fileId, driveId\?\} or \{messageId, attachmentId\}/);
    }
  });

  it("records attachment ids and the mailbox as the call's targets", () => {
    const tool = ALL_TOOLS.find((candidate) => candidate.name === "send_message");
    if (!tool) throw new Error("no send_message");
    const detail = toolCallDetail({
      tool,
      args: {
        to: ["ada@example.com"],
        subject: "s",
        body: "b",
        mailbox: "support@example.com",
        attachments: [
          { fileId: "F1", driveId: "D1" },
          { messageId: "M1", attachmentId: "A1" },
        ],
      },
      outcome: "ok",
      latencyMs: 1,
    });
    expect(detail.targets).toEqual(["support@example.com", "F1", "D1", "M1", "A1"]);
    expect(detail.recipients).toEqual(["ada@example.com"]);
  });
});

describe("the emulator's Outlook upload session", () => {
  let token: string;
  let draftPath: string;

  beforeAll(async () => {
    const user = await connectedUser();
    token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.ReadWrite"]);
    const draft = (await (await graph(token, "/me/messages", { json: { subject: "Upload" } })).json()) as { id: string };
    draftPath = `/me/messages/${encodeURIComponent(draft.id)}`;
  });

  async function session(size: number): Promise<string> {
    const created = await graph(token, `${draftPath}/attachments/createUploadSession`, {
      json: { AttachmentItem: { attachmentType: "file", name: "big.bin", size } },
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { uploadUrl: string; nextExpectedRanges: string[] };
    expect(body.nextExpectedRanges).toEqual(["0-"]);
    expect(body.uploadUrl.startsWith(EMULATOR())).toBe(true);
    return body.uploadUrl;
  }

  const put = (url: string, range: string, bytes: number, headers: Record<string, string> = {}) =>
    fetch(url, { method: "PUT", headers: { "content-range": range, ...headers }, body: new Uint8Array(bytes) });

  it("takes ranges in order, answers 200 then 201 with the attachment's Location, and refuses every other range", async () => {
    const url = await session(10);
    expect((await put(url, "bytes 4-9/10", 6)).status).toBe(416);
    expect((await put(url, "bytes 0-3/11", 4)).status).toBe(416);
    expect((await put(url, "bytes 0-3/10", 5)).status).toBe(400);
    expect((await put(url, "bytes 0-3/10", 4, { authorization: `Bearer ${token}` })).status).toBe(400);
    const first = await put(url, "bytes 0-3/10", 4);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ nextExpectedRanges: ["4-"] });
    expect((await put(url, "bytes 0-3/10", 4)).status).toBe(416);
    const last = await put(url, "bytes 4-9/10", 6);
    expect(last.status).toBe(201);
    expect(last.headers.get("location")).toMatch(/\/Attachments\('[^']+'\)$/);
    // The session is spent.
    expect((await put(url, "bytes 0-3/10", 4)).status).toBe(404);
  });

  it("keeps a session to its own tenant: its token under another tenant's path is not found", async () => {
    const url = await session(4);
    const foreign = url.replace(/\/_upload\/outlook\/[^/]+\//, `/_upload/outlook/${crypto.randomUUID()}/`);
    expect(foreign).not.toBe(url);
    expect((await put(foreign, "bytes 0-3/4", 4)).status).toBe(404);
    expect((await put(url, "bytes 0-3/4", 4)).status).toBe(201);
  });

  it("refuses a range over 4 MB and a session for a file over 150 MB", async () => {
    const url = await session(5 * 1024 * 1024);
    expect((await put(url, `bytes 0-${4 * 1024 * 1024}/${5 * 1024 * 1024}`, 4 * 1024 * 1024 + 1)).status).toBe(416);
    const tooBig = await graph(token, `${draftPath}/attachments/createUploadSession`, {
      json: { AttachmentItem: { attachmentType: "file", name: "huge.bin", size: 151 * 1024 * 1024 } },
    });
    expect(tooBig.status).toBe(400);
  });
});

describe("an upload range leaves the gateway", () => {
  const graphBase = "https://graph.microsoft.com";

  it("as a PUT with Content-Range and no Authorization, only to an https URL or the Graph origin", async () => {
    const seen: Request[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Request(input, init));
      return Response.json({ nextExpectedRanges: ["3-"] }, { status: 200 });
    }) as typeof fetch;
    const range = { bytes: new Uint8Array([1, 2, 3]), start: 0, total: 10 };
    const sent = await putUploadRange(
      { ...range, url: "https://outlook.office.com/api/v2.0/AttachmentSessions('x')?authtoken=t" },
      { graphBase, fetcher },
    );
    expect(sent).toMatchObject({ ok: true, status: 200 });
    expect(seen[0]?.method).toBe("PUT");
    expect(seen[0]?.headers.get("content-range")).toBe("bytes 0-2/10");
    expect(seen[0]?.headers.get("authorization")).toBeNull();
    for (const url of ["http://outlook.example/upload", "https://user:pass@outlook.office.com/x", "not a url"]) {
      const refused = await putUploadRange({ ...range, url }, { graphBase, fetcher });
      expect(refused).toMatchObject({ ok: false, code: "UploadFailed" });
      expect(JSON.stringify(refused)).not.toContain("authtoken");
    }
    expect(seen).toHaveLength(1);
  });
});
