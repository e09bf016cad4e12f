import { z } from "zod";

/**
 * @module
 * Request bodies of the Teams endpoints, as zod schemas: a channel or chat
 * message (POST …/messages, …/replies) and an online meeting
 * (POST /me/onlineMeetings).
 */
export const MessageInput = z.object({
  subject: z.string().max(255).nullable().optional(),
  importance: z.enum(["normal", "high", "urgent"]).optional(),
  body: z.object({
    contentType: z
      .preprocess((value) => (typeof value === "string" ? value.toLowerCase() : value), z.enum(["text", "html"]))
      .default("text"),
    content: z.string().min(1).max(28_000),
  }),
  mentions: z
    .array(
      z.object({
        id: z.number().int().min(0),
        mentionText: z.string().max(256),
        mentioned: z.object({ user: z.object({ id: z.string().max(100) }) }),
      }),
    )
    .max(20)
    .optional(),
  attachments: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
});

const Attendee = z.object({
  upn: z.string().max(320).optional(),
  role: z.enum(["attendee", "presenter", "producer", "coorganizer"]).optional(),
  identity: z
    .object({ user: z.object({ id: z.string().max(100).optional(), displayName: z.string().max(256).nullable().optional() }).optional() })
    .optional(),
});

export const MeetingInput = z
  .object({
    subject: z.string().max(255).optional(),
    startDateTime: z.iso.datetime({ offset: true }).optional(),
    endDateTime: z.iso.datetime({ offset: true }).optional(),
    participants: z.object({ attendees: z.array(Attendee).max(500).optional() }).optional(),
    allowedPresenters: z.enum(["everyone", "organization", "roleIsPresenter", "organizer"]).optional(),
    isEntryExitAnnounced: z.boolean().optional(),
    lobbyBypassSettings: z.object({ scope: z.string().max(50).optional(), isDialInBypassEnabled: z.boolean().optional() }).optional(),
  })
  .refine((input) => !input.startDateTime || !input.endDateTime || Date.parse(input.endDateTime) > Date.parse(input.startDateTime), {
    message: "endDateTime must be after startDateTime",
    path: ["endDateTime"],
  });
