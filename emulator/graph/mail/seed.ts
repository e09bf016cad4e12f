import type { EmulatedUser } from "../../state";
import { historyEnd } from "../day";
import { opaqueId, pick, seededRandom } from "../random";
import {
  attachmentFile,
  CATEGORIES,
  colleagues,
  composeBody,
  externalPeople,
  type Person,
  pickTopic,
  PIXEL_PNG,
  SYSTEM_SENDERS,
} from "./content";
import {
  type AttachmentRecord,
  changeKeyFor,
  emptyMailbox,
  flagDate,
  folderId,
  type FollowupFlag,
  type ItemBody,
  type MailStore,
  type MessageRecord,
  recipient,
  type WellKnownName,
} from "./model";
import { base64Size, htmlDocument, isoSeconds, previewOf, utf8Base64 } from "./text";
import { DAY_MS } from "../timezones";

/**
 * @module
 * A user's seeded mailbox: about two hundred messages over the last ninety
 * days, the same content for the same user every time (dates are relative
 * to the seed date).
 */
const SEEDED_MESSAGES = 200;
/** A mailbox without an invoice by its 60th thread gets the next one (about 1 in 70). */
const INVOICE_BY_THREAD = 60;

interface Thread {
  topic: ReturnType<typeof pickTopic>;
  counterpart: Person;
  conversationId: string;
  conversationIndex: string;
  start: number;
  long: boolean;
}

/** A mailbox whose history ends just before `historyEnd(seedDay)`; draws keyed by the owner's oid. */
export function seedMailbox(tenantId: string, owner: EmulatedUser, seedDay: number): MailStore {
  const store = emptyMailbox(tenantId, owner);
  const random = seededRandom(`mail:${owner.oid}`);
  const me: Person = { name: owner.displayName, address: owner.mail };
  const domain = owner.mail.split("@")[1] ?? "example.com";
  const people = [...externalPeople(random, 28), ...colleagues(random, domain, 12)];
  const base = historyEnd(seedDay);
  let index = 0;
  let longBodies = 0;
  let threads = 0;
  let invoiced = false;
  while (index < SEEDED_MESSAGES) {
    let topic = pickTopic(random);
    // At least four long (>20 KB) bodies, spread through the mailbox.
    if (longBodies < 4 && index >= 45 * (longBodies + 1)) {
      while (topic.kind !== "newsletter" && topic.kind !== "report") topic = pickTopic(random);
    } else if (!invoiced && threads >= INVOICE_BY_THREAD) {
      // And supplier invoices, which a whole mailbox of threads missed about 1 time in 7,000.
      while (topic.kind !== "invoice") topic = pickTopic(random);
    }
    invoiced ||= topic.kind === "invoice";
    threads += 1;
    const length = topic.bulk || random() < 0.65 ? 1 : 2 + Math.floor(random() * 3);
    const thread: Thread = {
      topic,
      counterpart: topic.bulk ? pick(random, SYSTEM_SENDERS) : pick(random, people),
      conversationId: `AAQk${opaqueId(`conv:${owner.oid}:${index}`).slice(4, 48)}=`,
      conversationIndex: utf8Base64(`ci:${index}:${Math.floor(random() * 1e9)}`).contentBytes,
      start: base - (1 + Math.floor(random() * 89)) * DAY_MS + (7 + random() * 11) * 3_600_000,
      long: (topic.kind === "newsletter" || topic.kind === "report") && (longBodies < 4 || random() < 0.2),
    };
    if (thread.long) longBodies += 1;
    let when = thread.start;
    let outgoing = !topic.bulk && !thread.long && random() < 0.15;
    for (let position = 0; position < length && index < SEEDED_MESSAGES; position++) {
      const last = position === length - 1;
      const draft = last && (length > 1 ? !outgoing && random() < 0.3 : outgoing && random() < 0.5);
      const message = seedMessage(store, random, {
        thread,
        position,
        when: Math.min(when, base - 60_000),
        outgoing: outgoing || draft,
        draft,
        me,
        people,
        index,
        base,
      });
      store.messages.set(message.id, message);
      index += 1;
      when += (0.5 + random() * 30) * 3_600_000;
      outgoing = outgoing ? false : random() < 0.55;
    }
  }
  showEveryImportance(store);
  return store;
}

/**
 * Low and high importance both appear, as in any mailbox of a few hundred
 * messages: 4% low drew none of 200 about 1 time in 3,500. The one changed
 * is in the inbox, where list tools look first.
 */
function showEveryImportance(store: MailStore): void {
  const messages = [...store.messages.values()];
  const inbox = messages.filter((message) => message.parentFolderId === folderId(store, "inbox"));
  for (const importance of ["low", "high"] as const) {
    if (messages.some((message) => message.importance === importance)) continue;
    const normal = inbox.find((message) => message.importance === "normal");
    if (normal) normal.importance = importance;
  }
}

interface SeedInput {
  thread: Thread;
  position: number;
  when: number;
  outgoing: boolean;
  draft: boolean;
  me: Person;
  people: Person[];
  index: number;
  base: number;
}

function seedFolder(random: () => number, input: SeedInput): WellKnownName {
  if (input.draft) return "drafts";
  const age = (input.base - input.when) / DAY_MS;
  const roll = random();
  if (input.outgoing) return roll < 0.06 ? "deleteditems" : "sentitems";
  if (input.thread.topic.bulk && roll < 0.2) return "deleteditems";
  if (roll < 0.03) return "junkemail";
  if (age > 30 && roll < 0.2) return "archive";
  if (roll > 0.96) return "deleteditems";
  return "inbox";
}

function seedMessage(store: MailStore, random: () => number, input: SeedInput): MessageRecord {
  const { thread, position, when, outgoing, draft, me } = input;
  const seedKey = `${store.tenantId}:${store.owner.oid}:${input.index}`;
  const id = opaqueId(`mail:${seedKey}`);
  const from = outgoing ? me : thread.counterpart;
  const to = outgoing ? thread.counterpart : me;
  const cc = !thread.topic.bulk && random() < 0.3 ? [pick(random, input.people)].filter((p) => p.address !== from.address) : [];
  const subject = position === 0 ? thread.topic.subject : `RE: ${thread.topic.subject}`;
  const generated = composeBody(random, thread.topic.kind, thread.topic.subject, from, to, thread.long && position === 0 && !outgoing);
  const body: ItemBody =
    generated.contentType === "html"
      ? { contentType: "html", content: htmlDocument(generated.content, generated.head) }
      : { contentType: "text", content: generated.content };
  const stamp = isoSeconds(when);
  const attachments: AttachmentRecord[] = generated.inline.map((image, i) => ({
    id: opaqueId(`att:${seedKey}:inline:${i}`),
    name: image.name,
    contentType: "image/png",
    size: base64Size(PIXEL_PNG),
    isInline: true,
    lastModifiedDateTime: stamp,
    contentId: image.contentId,
    contentLocation: null,
    contentBytes: PIXEL_PNG,
  }));
  const fileChance = thread.topic.kind === "invoice" || thread.topic.kind === "report" ? 0.4 : thread.topic.bulk ? 0.02 : 0.1;
  if (random() < fileChance) {
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      const file = attachmentFile(random, thread.topic.subject, i);
      attachments.push({
        id: opaqueId(`att:${seedKey}:${i}`),
        name: file.name,
        contentType: file.contentType,
        isInline: false,
        lastModifiedDateTime: stamp,
        contentId: null,
        contentLocation: null,
        ...utf8Base64(file.text),
      });
    }
  }
  const folder = seedFolder(random, input);
  const age = (input.base - when) / DAY_MS;
  const unreadChance = outgoing ? 0 : folder !== "inbox" ? 0.05 : age < 3 ? 0.6 : age < 14 ? 0.35 : 0.12;
  const flagRoll = random();
  const flag: FollowupFlag =
    outgoing || flagRoll > 0.12
      ? { flagStatus: "notFlagged" }
      : flagRoll < 0.08
        ? { flagStatus: "flagged", startDateTime: flagDate(when), dueDateTime: flagDate(when + (2 + Math.floor(random() * 10)) * DAY_MS) }
        : { flagStatus: "complete", completedDateTime: flagDate(when + DAY_MS) };
  const importanceRoll = random();
  return {
    id,
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
    changeKey: changeKeyFor(id),
    categories:
      random() < 0.15 ? [...new Set([pick(random, CATEGORIES), pick(random, CATEGORIES)])].slice(0, 1 + Math.floor(random() * 2)) : [],
    receivedDateTime: stamp,
    sentDateTime: isoSeconds(when - Math.floor(random() * 90_000)),
    hasAttachments: attachments.some((attachment) => !attachment.isInline),
    internetMessageId: `<${opaqueId(`imid:${seedKey}`).slice(4, 36).replace(/[-_=]/g, "x")}@${from.address.split("@")[1] ?? "example.com"}>`,
    subject,
    bodyPreview: previewOf(body),
    importance: importanceRoll < 0.08 ? "high" : importanceRoll < 0.12 ? "low" : "normal",
    parentFolderId: folderId(store, folder),
    conversationId: thread.conversationId,
    conversationIndex: thread.conversationIndex,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: random() >= unreadChance,
    isDraft: draft,
    inferenceClassification: thread.topic.bulk ? "other" : "focused",
    body,
    uniqueBody: body,
    sender: draft ? null : recipient(from),
    from: draft ? null : recipient(from),
    toRecipients: [recipient(to)],
    ccRecipients: cc.map(recipient),
    bccRecipients: [],
    replyTo: [],
    flag,
    attachments,
  };
}
