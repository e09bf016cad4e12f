/**
 * @module The AADSTS codes the gateway recognises, in one catalogue, and the
 * classification of every failed Entra token request built on it.
 *
 * Entra ID names each failure in `error_description` as `AADSTS<n>: ...`
 * ("Microsoft Entra authentication and authorization error codes"). A code
 * tells whose problem a failure is (one user's grant, or the org's app for
 * every user), whether an administrator's consent would fix a sign-in, and,
 * for the credential check at signup and secret rotation, what to tell the
 * org admin in plain words.
 */

/**
 * - `user`: this user's grant is gone (revoked, expired, password reset): re-authorize.
 * - `tenant`: the org's app is broken (bad or expired secret, app deleted): every user is affected.
 * - `unavailable`: Entra is down or throttling: retry later.
 */
export type EntraFailureKind = "user" | "tenant" | "unavailable";

export type EntraFailure = { kind: EntraFailureKind; aadsts: string | undefined; reason: string };

interface AadstsEntry {
  /** Whose problem a refused token request is; without it, Entra's OAuth error code decides. */
  kind?: "user" | "tenant";
  /** A sign-in stopped for missing consent: only an administrator can let the user through. */
  consent?: true;
  /** Plain-language help for the org admin whose credentials signup or rotation checks. */
  help?: string;
  /** Why an administrator's consent (the admin-consent link) was not recorded. */
  adminConsent?: string;
  /** Which of the credentials an org admin entered the refusal is about, so a form can point at it. */
  concerns?: CredentialPart;
}

/** The values an org admin copies from (or uploads to) the app registration: its directory, the app, its secret or certificate. */
export type CredentialPart = "tenant" | "client" | "secret" | "certificate";

const CATALOGUE: Readonly<Record<string, AadstsEntry>> = {
  // The org's app: every user of the tenant is affected.
  AADSTS7000215: { kind: "tenant", concerns: "secret", help: "the client secret is wrong (paste the secret's Value, not its Secret ID)" },
  AADSTS7000222: {
    kind: "tenant",
    concerns: "secret",
    help: "the client secret has expired; create a new one in the app's Certificates & secrets",
  },
  AADSTS700016: { kind: "tenant", concerns: "client", help: "no application with this client ID exists in this Entra tenant" },
  AADSTS90002: { kind: "tenant", concerns: "tenant", help: "the Entra tenant was not found; check the Directory (tenant) ID" },
  AADSTS7000112: { kind: "tenant", concerns: "client", help: "the application is disabled in this Entra tenant" },
  // The redirect URI is not registered on the app.
  AADSTS50011: { kind: "tenant" },
  // Certificate credentials (private_key_jwt), as "Microsoft Entra authentication and authorization
  // error codes" names them: InvalidClientAssertionSignature (the certificate is not, or no longer,
  // uploaded to the app, or the key does not match it), ClientAssertionAppIdMismatch,
  // ClientAssertionNotWithinValidTimeRange, and the key credential that signed it has expired.
  AADSTS700027: {
    kind: "tenant",
    concerns: "certificate",
    help: "the app does not accept the gateway's certificate: it is not uploaded to the app yet, or was removed (in the Entra admin center: App registrations → your app → Certificates & secrets → Certificates → Upload certificate)",
  },
  AADSTS700021: { kind: "tenant", concerns: "client", help: "the client assertion names another application than this client ID" },
  AADSTS700024: {
    kind: "tenant",
    help: "the client assertion is outside its valid time range; the gateway's clock or the certificate's validity is off",
  },
  AADSTS7000274: {
    kind: "tenant",
    concerns: "certificate",
    help: "the certificate is outside its validity period (expired or not yet valid); generate a new one, upload it and promote it",
  },
  AADSTS900023: { concerns: "tenant", help: "the tenant ID is not a valid Entra tenant identifier" },
  // "Client assertion audience claim does not match Realm issuer" (Azure SDK service principal troubleshooting);
  // the AADSTS reference lists the code as InvalidResourcelessScope.
  AADSTS700023: {
    concerns: "tenant",
    help: "the client assertion's audience does not match this tenant's token endpoint (check the Directory (tenant) ID), or the request's scope names no resource",
  },
  // One user's grant: refresh token expired or revoked, code expired, reused or
  // redeemed with the wrong verifier or reply address, multi-factor required.
  AADSTS700082: { kind: "user" },
  AADSTS50173: { kind: "user" },
  AADSTS70008: { kind: "user" },
  AADSTS54005: { kind: "user" },
  AADSTS70000: { kind: "user" },
  AADSTS9002313: { kind: "user" },
  AADSTS501481: { kind: "user" },
  AADSTS500112: { kind: "user" },
  AADSTS50076: { kind: "user" },
  AADSTS50079: { kind: "user" },
  // Missing consent ("Unexpected error when performing consent to an application"):
  // 65001 nobody consented, 90093 a policy lets users consent to nothing,
  // 90094 a permission only an admin can grant, 90095 the same with the
  // admin consent workflow on. A refresh refused with 65001 ends the grant.
  AADSTS65001: { kind: "user", consent: true },
  AADSTS90093: { consent: true, adminConsent: "the account that opened the link cannot grant permissions for the whole organization" },
  AADSTS90094: { consent: true, adminConsent: "the account that opened the link cannot grant permissions for the whole organization" },
  AADSTS90095: { consent: true },
  // The administrator declined the permissions on the admin-consent page.
  AADSTS65004: { adminConsent: "the permissions were declined" },
};

function entryOf(code: string | undefined): AadstsEntry | undefined {
  return code !== undefined && Object.hasOwn(CATALOGUE, code) ? CATALOGUE[code] : undefined;
}

/** The first `AADSTS<n>` code in an Entra error description. */
export function aadstsCode(description: string): string | undefined {
  return /\bAADSTS\d+\b/.exec(description)?.[0];
}

/** What an org admin should fix, for a credential check Entra refused. */
export function explainAadsts(code: string | undefined, description: string): string {
  const help = entryOf(code)?.help;
  if (help) return help;
  // Entra's own first sentence, without its trace and correlation ids.
  const firstSentence = description.replace(/^AADSTS\d+:\s*/, "").split(/\.\s|\r?\n/)[0];
  return firstSentence?.trim() || "Entra ID refused the credentials";
}

/** The catalogue's plain-language help for a code, when it has some. */
export function aadstsHelp(code: string | undefined): string | undefined {
  return entryOf(code)?.help;
}

/** Which credential a refused check is about (the secret for a wrong or expired secret), when the code tells. */
export function credentialConcerned(code: string | undefined): CredentialPart | undefined {
  return entryOf(code)?.concerns;
}

/** Why Entra's admin-consent redirect says consent was not granted, when the code tells. */
export function adminConsentRefusal(code: string | undefined): string | undefined {
  return entryOf(code)?.adminConsent;
}

export function isMissingConsent(aadsts: string | undefined): aadsts is string {
  return entryOf(aadsts)?.consent === true;
}

/** The AADSTS code when Entra's redirect to /callback says the sign-in lacks consent; undefined otherwise. */
export function missingConsentCode(query: URLSearchParams): string | undefined {
  const aadsts = aadstsCode(query.get("error_description") ?? "");
  if (isMissingConsent(aadsts)) return aadsts;
  return query.get("error") === "consent_required" ? (aadsts ?? "consent_required") : undefined;
}

/** Whose problem a failed token request is, from its HTTP status and Entra's error body. */
export function classifyFailure(status: number, body: unknown): EntraFailure {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const description = typeof record.error_description === "string" ? record.error_description : "";
  const aadsts = aadstsCode(description);
  const reason = description.split(/\r?\n| Trace ID:/)[0]?.trim() || `HTTP ${status}`;
  if (status >= 500 || status === 429) return { kind: "unavailable", aadsts, reason };
  const kind = entryOf(aadsts)?.kind;
  if (kind === "tenant") return { kind: "tenant", aadsts, reason };
  if (kind === "user" || record.error === "invalid_grant") return { kind: "user", aadsts, reason };
  if (record.error === "invalid_client" || record.error === "unauthorized_client") return { kind: "tenant", aadsts, reason };
  return { kind: "user", aadsts, reason };
}
