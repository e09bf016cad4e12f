import type { z } from "zod";
import type { AuditActorSchema, AuditClientSchema, AuditEvent, AuditEventInput, AuditSourceSchema } from "./event";

/**
 * @module Builders for the audit events the gateway writes outside tool calls
 * (sign-in, consent, refresh failures, revocations, admin and operator
 * actions), and the parts every event shares: who acted, through which MCP
 * client, from which address. Each value is cut to the schema's bounds here,
 * so a long user agent or client name never makes an event invalid.
 */

export type AuditActor = z.infer<typeof AuditActorSchema>;
export type AuditClient = z.infer<typeof AuditClientSchema>;
export type AuditSource = z.infer<typeof AuditSourceSchema>;
type DetailOf<K extends AuditEvent["kind"]> = Extract<AuditEvent, { kind: K }>["detail"];
export type SignInDetail = DetailOf<"sign_in">;
export type ConsentDetail = DetailOf<"consent">;
export type RevocationDetail = DetailOf<"revocation">;
export type ActionDetail = DetailOf<"admin_action">;

/** Who, through what and from where: the part of an event that is not its detail. */
export interface EventParty {
  tenantId: string;
  actor: AuditActor;
  client?: AuditClient;
  source?: AuditSource;
}

/** Written where a secret's value would go: the event says it was set, never what to. */
export const SECRET_SET = "(set)";

/** `<tid>.<oid>` as the schema spells it (lower case), or nothing when it is not that shape. */
export function auditUserId(userId: string): string | undefined {
  const lower = userId.toLowerCase();
  return /^[0-9a-f-]{36}\.[0-9a-f-]{36}$/.test(lower) ? lower : undefined;
}

/** A signed-in user (through an AI client) or a console admin. */
export function personActor(type: "user" | "console_admin", userId: string, upn?: string): AuditActor {
  const id = auditUserId(userId);
  return { type, ...(id ? { userId: id } : {}), ...(upn ? { upn: upn.slice(0, 320) } : {}) };
}

export const ADMIN_KEY_ACTOR: AuditActor = { type: "admin_key" };
export const OPERATOR_ACTOR: AuditActor = { type: "operator" };

/** The caller's address as Cloudflare saw it and its user agent, cut to the schema's bounds. */
export function auditSource(headers: Headers): AuditSource | undefined {
  const ip = headers.get("cf-connecting-ip")?.slice(0, 64);
  const userAgent = headers.get("user-agent")?.slice(0, 512);
  if (!ip && !userAgent) return undefined;
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

/** An MCP client by its OAuth client id and registered name, cut to the schema's bounds. */
export function auditClient(id: string, name?: string): AuditClient | undefined {
  if (!id) return undefined;
  const cleanName = name?.trim().slice(0, 200);
  return { id: id.slice(0, 2048), ...(cleanName ? { name: cleanName } : {}) };
}

/** The host a redirect URI names (`app.example.com`, `127.0.0.1`), or its scheme for an app's private-use URI. */
export function redirectHostOf(redirectUri: string | undefined): string | undefined {
  if (!redirectUri) return undefined;
  try {
    const url = new URL(redirectUri);
    return (url.hostname || url.protocol.replace(/:$/, "")).slice(0, 255) || undefined;
  } catch {
    return undefined;
  }
}

/** Scopes as the schema bounds them: at most 100, each at most 200 characters. */
export function auditScopes(scopes: readonly string[] | undefined): string[] | undefined {
  if (!scopes || scopes.length === 0) return undefined;
  return scopes.filter((scope) => scope.length > 0 && scope.length <= 200).slice(0, 100);
}

/** A short reason code as the schema bounds it. */
export const auditReason = (reason: string): string => reason.slice(0, 100);

function withParty<K extends AuditEvent["kind"]>(kind: K, party: EventParty, detail: DetailOf<K>): AuditEventInput {
  const event = {
    kind,
    tenantId: party.tenantId,
    actor: party.actor,
    ...(party.client ? { client: party.client } : {}),
    ...(party.source ? { source: party.source } : {}),
    detail,
  };
  return event as AuditEventInput;
}

/** An MCP client got a grant, or was refused one, after Microsoft sign-in; an admin entered the console, or ran its test sign-in. */
export function signInEvent(party: EventParty, detail: SignInDetail): AuditEventInput {
  const { reason, grantedScopes: granted, missingScopes: missing, ...rest } = detail;
  const grantedScopes = auditScopes(granted);
  const missingScopes = auditScopes(missing);
  return withParty("sign_in", party, {
    ...rest,
    ...(reason ? { reason: auditReason(reason) } : {}),
    ...(grantedScopes ? { grantedScopes } : {}),
    ...(missingScopes ? { missingScopes } : {}),
  });
}

/** A user approved or denied an MCP client on the consent page. */
export function consentEvent(party: EventParty, detail: ConsentDetail): AuditEventInput {
  const { requestedScopes: asked, ...rest } = detail;
  const requestedScopes = auditScopes(asked);
  return withParty("consent", party, { ...rest, ...(requestedScopes ? { requestedScopes } : {}) });
}

/** Microsoft refused a user's refresh token (`entra`), or the gateway refused an MCP refresh (`gateway`). */
export function refreshFailedEvent(party: EventParty, side: "entra" | "gateway", reason: string): AuditEventInput {
  return withParty("token_refresh_failed", party, { side, reason: auditReason(reason) });
}

/** A user's access was revoked, for one client or entirely. */
export function revocationEvent(party: EventParty, detail: RevocationDetail): AuditEventInput {
  return withParty("revocation", party, { ...detail, grantIds: detail.grantIds.slice(0, 1000) });
}

/** An org admin changed something (console or admin key). */
export function adminActionEvent(party: EventParty, detail: ActionDetail): AuditEventInput {
  return withParty("admin_action", party, detail);
}

/** The operator acted on an organization. */
export function operatorActionEvent(tenantId: string, source: AuditSource | undefined, detail: ActionDetail): AuditEventInput {
  return withParty("operator_action", { tenantId, actor: OPERATOR_ACTOR, source }, detail);
}

type Settings = Record<string, unknown>;

/**
 * The settings that changed, before and after; keys named in `secrets` are
 * written as "(set)" (or null when cleared), never their value. Unchanged
 * keys are left out, so the event says what the admin actually changed.
 */
export function settingsChange(before: Settings, after: Settings, secrets: readonly string[] = []): { before: Settings; after: Settings } {
  const shown = (key: string, value: unknown) =>
    secrets.includes(key) ? (value === null || value === undefined ? null : SECRET_SET) : value;
  const changed: { before: Settings; after: Settings } = { before: {}, after: {} };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key]) && !secrets.includes(key)) continue;
    if (secrets.includes(key) && after[key] === undefined) continue;
    changed.before[key] = shown(key, before[key]);
    changed.after[key] = shown(key, after[key]);
  }
  return changed;
}
