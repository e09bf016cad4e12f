import type { Context } from "hono";
import { z } from "zod";
import { graphError } from "../errors";

/**
 * @module
 * Request bodies of the mail endpoints, as zod schemas, and the reader that
 * turns a bad body into Graph's 400 (`RequestBodyRead`). Unknown message
 * properties are refused, as Graph refuses them.
 */
const withoutAnnotations = (value: unknown) =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith("@odata.")))
    : value;

const EmailAddressInput = z.strictObject({ address: z.string().trim().max(320), name: z.string().max(256).optional() });
const RecipientInput = z.strictObject({ emailAddress: EmailAddressInput }).transform((r) => ({
  emailAddress: { name: r.emailAddress.name ?? r.emailAddress.address, address: r.emailAddress.address },
}));
const Recipients = z.array(RecipientInput).max(500);
const BodyInput = z.strictObject({
  contentType: z
    .string()
    .toLowerCase()
    .pipe(z.enum(["html", "text"]))
    .default("text"),
  content: z.string().max(4_000_000).default(""),
});
const DateTimeTimeZoneInput = z.strictObject({ dateTime: z.string().min(1).max(40), timeZone: z.string().min(1).max(100) });
const FlagInput = z.strictObject({
  flagStatus: z.enum(["notFlagged", "flagged", "complete"]),
  startDateTime: DateTimeTimeZoneInput.optional(),
  dueDateTime: DateTimeTimeZoneInput.optional(),
  completedDateTime: DateTimeTimeZoneInput.optional(),
});

/** About 3 MB decoded: Graph's limit for attachments added in one request. */
const MAX_ATTACHMENT_BASE64 = 4 * 1024 * 1024;
export const AttachmentInput = z.object({
  "@odata.type": z.string().regex(/^#?microsoft\.graph\.fileAttachment$/i, "only #microsoft.graph.fileAttachment is supported"),
  name: z.string().min(1).max(255),
  contentType: z.string().max(255).optional(),
  contentBytes: z.base64().max(MAX_ATTACHMENT_BASE64),
  isInline: z.boolean().optional(),
  contentId: z.string().max(255).nullable().optional(),
});
export type AttachmentInput = z.infer<typeof AttachmentInput>;

const MessageShape = z.strictObject({
  subject: z.string().max(4000).optional(),
  body: BodyInput.optional(),
  toRecipients: Recipients.optional(),
  ccRecipients: Recipients.optional(),
  bccRecipients: Recipients.optional(),
  replyTo: Recipients.optional(),
  from: RecipientInput.nullable().optional(),
  sender: RecipientInput.nullable().optional(),
  importance: z
    .string()
    .toLowerCase()
    .pipe(z.enum(["low", "normal", "high"]))
    .optional(),
  categories: z.array(z.string().min(1).max(255)).max(50).optional(),
  flag: FlagInput.optional(),
  isRead: z.boolean().optional(),
  isDeliveryReceiptRequested: z.boolean().optional(),
  isReadReceiptRequested: z.boolean().optional(),
  inferenceClassification: z.enum(["focused", "other"]).optional(),
  attachments: z.array(AttachmentInput).max(50).optional(),
});
export const MessageInput = z.preprocess(withoutAnnotations, MessageShape);
export type MessageInput = z.infer<typeof MessageShape>;

/** Fields PATCH may change only while the message is a draft. */
export const DRAFT_ONLY_FIELDS = [
  "subject",
  "body",
  "toRecipients",
  "ccRecipients",
  "bccRecipients",
  "replyTo",
  "from",
  "sender",
  "isDeliveryReceiptRequested",
  "isReadReceiptRequested",
] as const;

const GraphBoolean = z.union([
  z.boolean(),
  z.enum(["true", "false", "True", "False"]).transform((value) => value.toLowerCase() === "true"),
]);

export const SendMailInput = z.strictObject({ message: MessageInput, saveToSentItems: GraphBoolean.optional() });
export const ResponseInput = z.strictObject({
  comment: z.string().max(1_000_000).optional(),
  toRecipients: Recipients.optional(),
  message: MessageInput.optional(),
});
export const MoveInput = z.strictObject({ destinationId: z.string().min(1).max(512) });

export async function readBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  options: { operation?: string; optional?: boolean; keepAnnotations?: boolean } = {},
): Promise<T | Response> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim()) {
    try {
      raw = JSON.parse(text);
    } catch {
      return graphError(
        400,
        "RequestBodyRead",
        "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
      );
    }
  } else if (!options.optional) {
    return graphError(400, "RequestBodyRead", "Empty Payload. JSON content expected.");
  }
  const parsed = schema.safeParse(options.operation || options.keepAnnotations ? raw : withoutAnnotations(raw));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    if (issue.path.length === 0 && options.operation) {
      return graphError(
        400,
        "RequestBodyRead",
        `The parameter '${key}' in the request payload is not a valid parameter for the operation '${options.operation}'.`,
      );
    }
    return graphError(
      400,
      "RequestBodyRead",
      `The property '${key}' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    );
  }
  return graphError(400, "RequestBodyRead", `Invalid value for '${issue?.path.join(".") || "body"}': ${issue?.message ?? "invalid"}`);
}
