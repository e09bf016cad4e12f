import type { MessageRecord, Recipient } from "./model";
import { htmlToText } from "./text";

/** @module `$search` over the emulated mailbox's messages. */

/**
 * Graph's `$search` over messages, KQL-style: bare words match subject, body
 * and people; `from:`, `to:`, `cc:`, `subject:`, `body:`, `attachment:` and
 * `hasattachments:` narrow to one property; every term must match. Without
 * `body` (Mail.ReadBasic), bodies are never searched.
 */
export function messageMatcher(search: string, options: { body: boolean }): (message: MessageRecord) => boolean {
  const terms = [...search.replace(/^"|"$/g, "").matchAll(/(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)]
    .map((match) => ({
      property: match[1]?.toLowerCase(),
      value: (match[2] ?? match[3] ?? match[4] ?? "").replace(/^"|"$/g, "").toLowerCase(),
    }))
    .filter((term) => term.value && term.value !== "and");
  const people = (recipients: (Recipient | null)[]) =>
    recipients
      .map((r) => (r ? `${r.emailAddress.name} ${r.emailAddress.address}` : ""))
      .join(" ")
      .toLowerCase();
  return (message) => {
    const text = () => {
      if (!options.body) return "";
      return (message.body.contentType === "html" ? htmlToText(message.body.content) : message.body.content).toLowerCase();
    };
    return terms.every(({ property, value }) => {
      switch (property) {
        case "from":
          return people([message.from]).includes(value);
        case "to":
          return people(message.toRecipients).includes(value);
        case "cc":
          return people(message.ccRecipients).includes(value);
        case "subject":
          return message.subject.toLowerCase().includes(value);
        case "body":
          return options.body && text().includes(value);
        case "hasattachments":
          return String(message.hasAttachments) === value;
        case "attachment":
          return message.attachments.some((a) => a.name.toLowerCase().includes(value));
        default: {
          const word = property ? `${property}:${value}` : value;
          return (
            message.subject.toLowerCase().includes(word) ||
            people([message.from, ...message.toRecipients]).includes(word) ||
            text().includes(word)
          );
        }
      }
    });
  };
}
