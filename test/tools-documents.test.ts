import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../src/lib/encoding";
import { simplePdf } from "../emulator/graph/files/office";
import { docx, encryptedPdf, pdf, pptx, xlsx } from "./helpers/documents";
import { EMULATOR, graph, graphToken } from "./helpers/emulator";
import { connectedUser } from "./helpers/mcp";

/**
 * get_file and get_attachment read documents the tests make at run time,
 * uploaded to the user's OneDrive (Graph's simple upload) and attached to a
 * message: the text in windows that continue where the last one ended, and
 * every bound and unreadable file answered with its reason, never base64.
 */
type User = Awaited<ReturnType<typeof connectedUser>>;

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const WINDOW = /Content \(text characters (\d+)–(\d+) of (\d+)\):\n([\s\S]*?)(?:\nMore: call get_file with offset (\d+)\.)?$/;

async function upload(user: User, name: string, bytes: Uint8Array, drive = "/me/drive"): Promise<string> {
  const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Files.ReadWrite"]);
  const response = await fetch(`${EMULATOR()}/v1.0${drive}/root:/${encodeURIComponent(name)}:/content`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: bytes,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function readWhole(user: User, id: string, maxChars: number, extra: Record<string, unknown> = {}) {
  let text = "";
  let calls = 0;
  for (let offset: number | undefined = 0; offset !== undefined; calls++) {
    const result = await user.callTool("get_file", { id, maxChars, ...extra, ...(offset ? { offset } : {}) });
    expect(result.isError, result.text).toBe(false);
    const match = WINDOW.exec(result.text);
    if (!match) throw new Error(`no window at ${offset}:\n${result.text}`);
    expect(Number(match[1])).toBe(offset);
    text += match[4] ?? "";
    offset = match[5] === undefined ? undefined : Number(match[5]);
    if (calls > 50) throw new Error("too many windows");
  }
  return { text, calls };
}

const REVIEW = docx([
  { heading: "Quarterly review" },
  { paragraph: "Revenue grew in every region." },
  {
    table: [
      ["Region", "Revenue"],
      ["North", "120"],
      ["South", "95"],
    ],
  },
]);

describe("get_file reads documents as text", () => {
  it("reads a Word file with a table, a two-sheet workbook, a slide deck and a two-page PDF", async () => {
    const user = await connectedUser();
    const word = await user.callTool("get_file", { id: await upload(user, "Review.docx", REVIEW) });
    expect(word.isError, word.text).toBe(false);
    expect(word.text).toMatch(/^Name: Review\.docx\nId: \S+\nFolder: \/\nSize: [\d.]+ KB\n/);
    expect(word.text).toMatch(/Type: application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document\nLink: https:\/\/\S+\n/);
    expect(word.text).toMatch(
      /Content \(text characters 0–\d+ of \d+\):\n# Quarterly review\nRevenue grew in every region\.\nRegion \| Revenue\nNorth \| 120\nSouth \| 95$/,
    );

    const book = xlsx([
      {
        name: "Budget",
        rows: [
          ["Item", "Cost"],
          ["Rent", { value: 1200, style: 2 }],
        ],
      },
      {
        name: "Staff",
        rows: [
          ["Name", "Start"],
          ["Ines", { value: 45000, style: 3 }],
        ],
      },
    ]);
    const sheets = await user.callTool("get_file", { id: await upload(user, "Budget.xlsx", book) });
    expect(sheets.text).toMatch(
      /\n## Sheet: Budget\nItem \| Cost\nRent \| \$1,200\.00\n\n## Sheet: Staff\nName \| Start\nInes \| 2023-03-15$/,
    );

    const deck = pptx([{ shapes: [["Kick-off"], ["Goals"]], notes: "Welcome everyone" }, { shapes: [["Thanks"]] }]);
    const slides = await user.callTool("get_file", { id: await upload(user, "Kickoff.pptx", deck) });
    expect(slides.text).toMatch(/\n## Slide 1\nKick-off\nGoals\nNotes: Welcome everyone\n\n## Slide 2\nThanks$/);

    const twoPages = await pdf([["Dear reader,", "page one."], ["Page two ends here."]]);
    const pages = await user.callTool("get_file", { id: await upload(user, "Letter.pdf", twoPages) });
    expect(pages.text).toMatch(/\n## Page 1\nDear reader,\npage one\.\n\n## Page 2\nPage two ends here\.$/);
  }, 30_000);

  it("reads a long document in windows that continue exactly where the last one ended", async () => {
    const user = await connectedUser();
    const paragraphs = Array.from({ length: 120 }, (_, i) => ({ paragraph: `Paragraph ${i + 1} of the long report, with some words.` }));
    const id = await upload(user, "Long report.docx", docx([{ heading: "Long report" }, ...paragraphs]));
    const small = await readWhole(user, id, 500);
    const large = await readWhole(user, id, 20_000);
    expect(small.calls).toBeGreaterThan(5);
    expect(large.calls).toBe(1);
    expect(small.text).toBe(large.text);
    const second = await user.callTool("get_file", { id, offset: 480, maxChars: 500 });
    expect(second.text).toMatch(/^Name: Long report\.docx \(continued\)\nContent \(text characters 480–\d+ of \d+\):\n/);
    const past = await user.callTool("get_file", { id, offset: 999_999 });
    expect(past.text).toMatch(/Content: nothing after offset 999999; the text has \d+ characters\.$/);
  });

  it("reads the seeded Office and PDF files, which are real documents", async () => {
    const user = await connectedUser();
    const shared = /^Shared\/ · .* · id: (\S+)$/m.exec((await user.callTool("list_files")).text)?.[1] ?? "";
    const listing = (await user.callTool("list_files", { folderId: shared })).text;
    const idOf = (name: string) => new RegExp(`^${name.replace(".", "\\.")} · .* · id: (\\S+)$`, "m").exec(listing)?.[1] ?? "";
    expect((await user.callTool("get_file", { id: idOf("Handbook.pdf") })).text).toMatch(/\n## Page 1\nHandbook\nPrepared by /);
    expect((await user.callTool("get_file", { id: idOf("Holiday rota.xlsx") })).text).toMatch(
      /\n## Sheet: Summary\nLine \| Amount \| Share\n/,
    );
    expect((await user.callTool("get_file", { id: idOf("Kickoff deck.pptx") })).text).toMatch(/\n## Slide 1\nKickoff deck\n/);
  }, 30_000);

  it("reads a file in another drive named by driveId, and answers 404 for a drive that is not the user's", async () => {
    const user = await connectedUser();
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Files.Read"]);
    const driveId = ((await (await graph(token, "/me/drive")).json()) as { id: string }).id;
    const id = await upload(user, "In a library.docx", REVIEW, `/drives/${encodeURIComponent(driveId)}`);
    const read = await user.callTool("get_file", { id, driveId });
    expect(read.isError, read.text).toBe(false);
    expect(read.text).toContain("\n# Quarterly review\n");
    const foreign = await user.callTool("get_file", { id, driveId: "b!someoneElsesLibrary" });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toContain("Microsoft Graph answered 404 itemNotFound");
    expect((await user.callTool("get_file", { id, driveId: ".." })).text).toMatch(/Invalid arguments.*: driveId: expected the drive id/);
  });

  it("answers each bound exceeded, and encrypted, corrupt or binary files, with the reason and the link", async () => {
    const user = await connectedUser();
    const refused = async (name: string, bytes: Uint8Array) => {
      const result = await user.callTool("get_file", { id: await upload(user, name, bytes) });
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toMatch(new RegExp(`^Cannot show the text of ${name.replace(".", "\\.")}: `));
      expect(result.text).toMatch(/\nHint: Open it instead: https:\/\/\S+$/);
      return result.text;
    };
    const tooLarge = new Uint8Array(10 * 1024 * 1024 + 1);
    tooLarge.set(strToU8("%PDF-1.4\n"));
    expect(await refused("Scan.pdf", tooLarge)).toContain(": it is larger than 10 MB (10,485,760 bytes), the most read.");
    const bomb = zipSync({ "word/document.xml": new Uint8Array(42 * 1024 * 1024) }, { level: 1 });
    expect(await refused("Bomb.docx", bomb)).toContain(": its parts unpack to more than 40 MB, the most read from one file.");
    const manyPages = simplePdf(Array.from({ length: 301 }, (_, i) => [`Page ${i + 1}`]));
    expect(await refused("Thick.pdf", manyPages)).toContain(": it has 301 pages; at most 300 are read.");
    const manySheets = xlsx(Array.from({ length: 51 }, (_, i) => ({ name: `S${i + 1}`, rows: [["x"]] })));
    expect(await refused("Sheets.xlsx", manySheets)).toContain(": it has 51 sheets; at most 50 are read.");
    const manyRows = xlsx([{ name: "Log", rows: Array.from({ length: 20_001 }, (_, i) => [i]) }]);
    expect(await refused("Rows.xlsx", manyRows)).toContain(": it has more than 20,000 rows with content, the most read from one workbook.");
    expect(await refused("Broken.docx", strToU8("PK\u0003\u0004 cut short"))).toContain(
      ": the file is damaged (its zip package cannot be read).",
    );
    expect(await refused("Locked.pdf", await encryptedPdf())).toContain(": it is password-protected (encrypted).");
    expect(await refused("Garbage.pdf", strToU8("%PDF-1.7\nthis is no pdf"))).toContain(": the file is damaged or is not a PDF.");

    const png = strToU8("\u0089PNG\r\n\u001a\n not text");
    const image = await user.callTool("get_file", { id: await upload(user, "Photo.png", png) });
    expect(image.isError).toBe(false);
    expect(image.text).toMatch(/Type: image\/png\nLink: https:\/\/\S+\nContent: not text \(image\/png\); open the link to view it\.$/);
  }, 60_000);
});

describe("get_attachment reads attached documents as text", () => {
  it("reads a Word attachment and a PDF attachment in windows, and refuses a corrupt one with the reason", async () => {
    const user = await connectedUser();
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.ReadWrite"]);
    const paragraphs = Array.from({ length: 60 }, (_, i) => ({ paragraph: `Clause ${i + 1}: the parties agree to this.` }));
    const attachment = (name: string, bytes: Uint8Array, contentType: string) => ({
      "@odata.type": "#microsoft.graph.fileAttachment",
      name,
      contentType,
      contentBytes: bytesToBase64(bytes),
    });
    const created = await graph(token, "/me/messages", {
      json: {
        subject: "Contract for review",
        attachments: [
          attachment("Contract.docx", docx([{ heading: "Contract" }, ...paragraphs]), DOCX_TYPE),
          attachment("Letter.pdf", await pdf([["Page one"], ["Page two"]]), "application/pdf"),
          attachment("Broken.xlsx", strToU8("not a workbook"), "application/octet-stream"),
        ],
      },
    });
    const messageId = ((await created.json()) as { id: string }).id;
    const message = await user.callTool("get_message", { id: messageId });
    const idFor = (name: string) => new RegExp(`^- ${name.replace(".", "\\.")} .* · id: (\\S+)$`, "m").exec(message.text)?.[1] ?? "";

    let offset = 0;
    let text = "";
    for (let calls = 0; calls < 20; calls++) {
      const part = await user.callTool("get_attachment", { messageId, attachmentId: idFor("Contract.docx"), offset, maxChars: 500 });
      expect(part.isError, part.text).toBe(false);
      expect(part.text).toMatch(
        /^Contract\.docx \(application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document, [\d.]+ KB\)\n/,
      );
      const body = part.text.slice(part.text.indexOf("\n") + 1);
      const span = /^\[characters (\d+)–(\d+) of (\d+)\]\n/.exec(body);
      expect(Number(span?.[1])).toBe(offset);
      const next = /\n\[More: call get_attachment with the same ids and offset (\d+)\.\]$/.exec(body);
      text += body.slice(span?.[0].length ?? 0, next ? next.index : undefined);
      if (!next) break;
      offset = Number(next[1]);
    }
    expect(text).toMatch(/^# Contract\nClause 1: the parties agree to this\.\n[\s\S]*\nClause 60: the parties agree to this\.$/);

    const letter = await user.callTool("get_attachment", { messageId, attachmentId: idFor("Letter.pdf") });
    expect(letter.text).toMatch(/^Letter\.pdf \(application\/pdf, [\d.]+ (KB|B)\)\n## Page 1\nPage one\n\n## Page 2\nPage two$/);
    const broken = await user.callTool("get_attachment", { messageId, attachmentId: idFor("Broken.xlsx") });
    expect(broken.isError).toBe(true);
    expect(broken.text).toMatch(
      /^Cannot show the text of Broken\.xlsx: it is not a valid Office file \(not a zip package\)\.\nHint: Open it in Outlook or OneDrive instead\.$/,
    );
  }, 30_000);

  it("refuses an attachment over 10 MB (uploaded in ranges, as Graph takes one) with the reason", async () => {
    const user = await connectedUser();
    const token = await graphToken(user.entra.tenantId, user.entra.oid, ["Mail.ReadWrite"]);
    const draft = await graph(token, "/me/messages", { json: { subject: "Scanned archive" } });
    const messageId = ((await draft.json()) as { id: string }).id;
    // Graph takes an attachment over 3 MB only through an upload session, in ranges of at most 4 MB.
    const size = 10 * 1024 * 1024 + 1;
    const session = await graph(token, `/me/messages/${messageId}/attachments/createUploadSession`, {
      json: { AttachmentItem: { attachmentType: "file", name: "Archive.pdf", size, contentType: "application/pdf" } },
    });
    expect(session.status).toBe(201);
    const { uploadUrl } = (await session.json()) as { uploadUrl: string };
    const bytes = new Uint8Array(size);
    bytes.set(strToU8("%PDF-1.4\n"));
    for (let start = 0; start < size; start += 4 * 1024 * 1024) {
      const end = Math.min(size, start + 4 * 1024 * 1024) - 1;
      const put = await fetch(uploadUrl, {
        method: "PUT",
        headers: { "content-range": `bytes ${start}-${end}/${size}` },
        body: bytes.slice(start, end + 1),
      });
      expect(put.status).toBe(end === size - 1 ? 201 : 200);
    }
    const message = await user.callTool("get_message", { id: messageId });
    const attachmentId = /^- Archive\.pdf .* · id: (\S+)$/m.exec(message.text)?.[1] ?? "";
    expect(attachmentId).not.toBe("");
    const refused = await user.callTool("get_attachment", { messageId, attachmentId });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe(
      "Cannot show the text of Archive.pdf: it is larger than 10 MB (10,485,760 bytes), the most read.\nHint: Open it in Outlook or OneDrive instead.",
    );
  }, 60_000);
});
