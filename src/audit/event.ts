import { z } from "zod";

/**
 * @module The audit event: one schema, versioned, for every place an event
 * appears (the queue, the stored trail in R2, the admin API and its exports,
 * the SIEM stream). `docs/audit-event.schema.json` is generated from it and a
 * test keeps the two equal. Free text a user or model wrote (bodies,
 * comments, search text) is never in an event: only its length.
 *
 * Version 1. A change that removes or retypes a field is a new version;
 * adding an optional field is not.
 */

export const AUDIT_SCHEMA_VERSION = 1;

/** `<entra tid>.<oid>` of a Microsoft account, lower case. */
const UserId = z.string().regex(/^[0-9a-f-]{36}\.[0-9a-f-]{36}$/, "expected <tid>.<oid>");

export const AuditActorSchema = z.strictObject({
  /** Who acted: a signed-in user (through their AI client), an org admin (console or admin key), the operator, or the gateway itself. */
  type: z.enum(["user", "console_admin", "admin_key", "operator", "system"]),
  /** For a user or console admin. */
  userId: UserId.optional(),
  /** Sign-in name as of the event, for a user or console admin. */
  upn: z.string().max(320).optional(),
});

export const AuditClientSchema = z.strictObject({
  /** The MCP client's OAuth client ID (a registration id or a metadata document URL). */
  id: z.string().max(2048),
  /** Its display name as registered (self-chosen unless verified). */
  name: z.string().max(200).optional(),
});

export const AuditSourceSchema = z.strictObject({
  /** The client's IP address as Cloudflare saw it (`CF-Connecting-IP`). */
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
});

const ToolCallDetail = z.strictObject({
  tool: z.string(),
  outcome: z.enum(["ok", "error", "invalid_arguments", "denied", "throttled"]),
  /** HTTP status of the last Graph response, when Graph was called. */
  graphStatus: z.number().int().optional(),
  /** Graph's `request-id` response header, for a support case with Microsoft. */
  graphRequestId: z.string().max(100).optional(),
  latencyMs: z.number().int().nonnegative(),
  /** Ids of the items the call named or created (message, event, file, chat…). */
  targets: z.array(z.string().max(1024)).max(50).optional(),
  /** Addresses that outbound mail, meeting invitations or share links went to. */
  recipients: z.array(z.string().max(320)).max(500).optional(),
  /** Free-text arguments by name, replaced by their length in characters. */
  textLengths: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

const SignInDetail = z.strictObject({
  /**
   * `grant`: an MCP client got a grant after Microsoft sign-in; `console`: an
   * admin entered the console; `console_test`: a console admin ran the test
   * sign-in with the users' permissions (Verify setup).
   */
  what: z.enum(["grant", "console", "console_test"]),
  outcome: z.enum(["ok", "refused"]),
  /** Why it was refused, as a short code (e.g. `not_console_admin`, `foreign_directory`, `AADSTS65001`). */
  reason: z.string().max(100).optional(),
  redirectHost: z.string().max(255).optional(),
  grantedScopes: z.array(z.string().max(200)).max(100).optional(),
  /** For `console_test`: the permissions the enabled tool groups need that Microsoft did not grant. */
  missingScopes: z.array(z.string().max(200)).max(100).optional(),
});

const ConsentDetail = z.strictObject({
  decision: z.enum(["approved", "denied"]),
  redirectHost: z.string().max(255).optional(),
  requestedScopes: z.array(z.string().max(200)).max(100).optional(),
});

const TokenRefreshFailedDetail = z.strictObject({
  /** `entra`: Microsoft refused the user's refresh token; `gateway`: the MCP refresh token was refused. */
  side: z.enum(["entra", "gateway"]),
  reason: z.string().max(100),
});

const RevocationDetail = z.strictObject({
  scope: z.enum(["client", "user"]),
  /** The user whose access was revoked. */
  subject: UserId,
  grantIds: z.array(z.string().max(200)).max(1000),
  agentWiped: z.boolean(),
});

const AdminActionDetail = z.strictObject({
  /** e.g. `policy.update`, `client_secret.rotate`, `admin_key.rotate`, `tenant.suspend`, `console_admin.add`, `audit_stream.set`. */
  action: z.string().max(100),
  outcome: z.enum(["ok", "refused"]),
  /** For a changed setting: the values before and after (never secrets: a secret is `"(set)"`). */
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const AUDIT_KINDS = [
  "tool_call",
  "sign_in",
  "consent",
  "token_refresh_failed",
  "revocation",
  "admin_action",
  "operator_action",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const base = {
  v: z.literal(AUDIT_SCHEMA_VERSION),
  /** Unique per event (UUID v4); the stored trail holds each id once. */
  id: z.uuid(),
  /** When it happened, ISO 8601 UTC with milliseconds. */
  time: z.iso.datetime({ precision: 3 }),
  /** The gateway's tenant id of the organization. */
  tenantId: z.string().min(1).max(64),
  actor: AuditActorSchema,
  client: AuditClientSchema.optional(),
  source: AuditSourceSchema.optional(),
};

export const AuditEventSchema = z.discriminatedUnion("kind", [
  z.strictObject({ ...base, kind: z.literal("tool_call"), detail: ToolCallDetail }),
  z.strictObject({ ...base, kind: z.literal("sign_in"), detail: SignInDetail }),
  z.strictObject({ ...base, kind: z.literal("consent"), detail: ConsentDetail }),
  z.strictObject({ ...base, kind: z.literal("token_refresh_failed"), detail: TokenRefreshFailedDetail }),
  z.strictObject({ ...base, kind: z.literal("revocation"), detail: RevocationDetail }),
  z.strictObject({ ...base, kind: z.literal("admin_action"), detail: AdminActionDetail }),
  z.strictObject({ ...base, kind: z.literal("operator_action"), detail: AdminActionDetail }),
]);

export type AuditEvent = z.infer<typeof AuditEventSchema>;
/** What a producer supplies; `v`, `id` and `time` are filled in when it is recorded. */
export type AuditEventInput = AuditEvent extends infer E ? (E extends AuditEvent ? Omit<E, "v" | "id" | "time"> : never) : never;
