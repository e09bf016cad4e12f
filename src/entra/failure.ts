import type { GraphResponse } from "../graph/client";
import { logEvent } from "../lib/log";
import type { Registry } from "../tenancy/registry";
import type { AlertKind } from "../tenancy/schema";
import { aadstsHelp, isMissingConsent, type EntraFailure, type EntraFailureKind } from "./aadsts";

/**
 * @module What an Entra failure means beyond the request that met it: the
 * one place a failure becomes a tenant alert (`recordEntraFailure`), and the
 * words each kind of caller is answered with, as data its layer renders: a
 * page or a redirect at sign-in (`signInReply`), an OAuth error at the token
 * endpoint (`tokenReply`), a Graph-shaped failure for a tool call (`toolReply`).
 *
 * An alert's detail is built from the AADSTS code, Entra's first line and,
 * for missing consent, the admin-consent link: never from a secret, a token
 * or anything a browser sent.
 */

/** At sign-in only: Entra wants an administrator's consent before this user may sign in. */
export interface MissingConsent {
  kind: "consent";
  aadsts: string;
}

export type SignInFailure = EntraFailure | MissingConsent;

/** A code exchange Entra refused, as a sign-in failure: missing consent first, whatever kind its code has otherwise. */
export function signInFailure(failure: EntraFailure): SignInFailure {
  return isMissingConsent(failure.aadsts) ? { kind: "consent", aadsts: failure.aadsts } : failure;
}

/** Where the failure happened: a user's sign-in, or a token refresh (for a tool call or the MCP refresh grant). */
export type EntraFailureEvent =
  | { step: "sign-in"; tenantId: string; failure: SignInFailure; adminConsentUrl: string }
  | { step: "refresh"; tenantId: string; failure: EntraFailure };

/** What the admin should do, from the AADSTS catalogue, as a sentence after Entra's own words. */
function helpFor(aadsts: string | undefined): string {
  const help = aadstsHelp(aadsts);
  return help ? ` What to do: ${help}.` : "";
}

/**
 * Which failures the tenant admin hears about: what the org must fix (its
 * app refused, consent missing) and Entra unavailable while refreshing,
 * which fails every user at once. A user's own dead grant concerns that
 * user only; Entra unavailable at sign-in is the user's to retry.
 */
function alertFor(event: EntraFailureEvent): { kind: AlertKind; detail: string } | undefined {
  if (event.step === "sign-in") {
    const { failure } = event;
    if (failure.kind === "consent") {
      return {
        kind: "admin_consent_required",
        detail: `A user could not sign in: Entra ID requires an administrator to approve the app's permissions first (${failure.aadsts}). A Global, Privileged Role or Cloud Application Administrator grants them for everyone by opening ${event.adminConsentUrl}`,
      };
    }
    if (failure.kind === "tenant") {
      return {
        kind: "entra_app_rejected",
        detail: `Entra ID refused the organization's app at sign-in (${failure.aadsts ?? "no code"}): ${failure.reason}${helpFor(failure.aadsts)}`,
      };
    }
    return undefined;
  }
  const { failure } = event;
  if (failure.kind === "tenant") {
    return {
      kind: "entra_app_rejected",
      detail: `Entra ID refused the organization's app while refreshing a user's token (${failure.aadsts ?? "no code"}): ${failure.reason}${helpFor(failure.aadsts)}`,
    };
  }
  if (failure.kind === "unavailable") {
    return { kind: "entra_unavailable", detail: `Entra ID was unavailable while refreshing a user's token: ${failure.reason}` };
  }
  return undefined;
}

/**
 * Logs an Entra failure and alerts the tenant admin when it is the org's to
 * fix or affects everyone (a repeat within the quiet period is not stored
 * again). Answers the kind of alert it raised, if any.
 */
export async function recordEntraFailure(registry: Pick<Registry, "addAlert">, event: EntraFailureEvent): Promise<AlertKind | undefined> {
  const { tenantId, failure } = event;
  if (failure.kind === "consent") logEvent("entra_consent_missing", { tenantId, aadsts: failure.aadsts });
  else if (event.step === "refresh") logEvent("entra_refresh_failed", { tenantId, kind: failure.kind, aadsts: failure.aadsts });
  const alert = alertFor(event);
  if (alert) await registry.addAlert(tenantId, alert.kind, alert.detail);
  return alert?.kind;
}

/**
 * How a failed sign-in ends: back to the MCP client with an OAuth error, a
 * page for the person in the browser, or the page that shows the
 * admin-consent link (`adminConsent`).
 */
export type SignInReply =
  | { to: "client"; error: "access_denied"; description: string }
  | { to: "browser"; status: 502 | 503; title: string; message: string }
  | { to: "adminConsent"; status: 403 };

export function signInReply(failure: SignInFailure, tenant: { displayName: string }): SignInReply {
  switch (failure.kind) {
    case "consent":
      return { to: "adminConsent", status: 403 };
    case "tenant":
      return {
        to: "browser",
        status: 502,
        title: "Your organization's Microsoft app needs attention",
        message: `Entra ID refused the app ${tenant.displayName} registered (${failure.aadsts ?? "no code"}). Your administrator has been notified.`,
      };
    case "unavailable":
      return { to: "browser", status: 503, title: "Microsoft sign-in is unavailable", message: "Try again in a minute." };
    case "user":
      return { to: "client", error: "access_denied", description: "Microsoft refused the sign-in" };
  }
}

/** The MCP refresh_token grant's answer when the Entra refresh behind it failed. */
export interface TokenReply {
  error: "invalid_grant" | "temporarily_unavailable";
  status: 400 | 503;
  description: string;
  retryAfterSeconds?: number;
}

const TOKEN_REPLIES: Readonly<Record<EntraFailureKind, TokenReply>> = {
  // The user's Microsoft grant is gone for good: the provider revokes ours, and the client re-authorizes.
  user: { error: "invalid_grant", status: 400, description: "Microsoft sign-in expired or was revoked; sign in again" },
  tenant: {
    error: "temporarily_unavailable",
    status: 503,
    description: "Your organization's Microsoft app needs attention from its administrator",
    retryAfterSeconds: 30,
  },
  unavailable: {
    error: "temporarily_unavailable",
    status: 503,
    description: "Microsoft sign-in is temporarily unavailable; try again shortly",
    retryAfterSeconds: 30,
  },
};

export function tokenReply(kind: EntraFailureKind): TokenReply {
  return { ...TOKEN_REPLIES[kind] };
}

export type GraphFailure = Extract<GraphResponse, { ok: false }>;

const TOOL_REPLIES: Readonly<Record<EntraFailureKind, GraphFailure>> = {
  user: {
    ok: false,
    status: 401,
    code: "SignInExpired",
    message: "The Microsoft sign-in behind this connection has expired or was revoked",
  },
  tenant: {
    ok: false,
    status: 503,
    code: "OrganizationAppRejected",
    message: "Entra ID refused your organization's Microsoft app; your administrator has been alerted",
  },
  unavailable: {
    ok: false,
    status: 503,
    code: "SignInUnavailable",
    message: "Microsoft sign-in is unavailable at the moment; try again shortly",
  },
};

/** A tool call whose token could not be refreshed: the Graph-shaped failure the tool reports. */
export function toolReply(kind: EntraFailureKind): GraphFailure {
  return { ...TOOL_REPLIES[kind] };
}
