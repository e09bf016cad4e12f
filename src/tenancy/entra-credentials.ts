/**
 * Checks an org's Entra app credentials by asking its tenant's token endpoint
 * for an app-only token (client credentials grant). Success proves the tenant,
 * client ID and secret belong together; the token itself is discarded.
 */
export type CredentialCheck =
  | { ok: true }
  | { ok: false; kind: "rejected"; aadsts: string | undefined; reason: string }
  | { ok: false; kind: "unreachable"; reason: string };

export interface CredentialCheckInput {
  loginBase: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
}

const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
const TIMEOUT_MS = 10_000;

/** Plain-language help for the AADSTS codes a signup can realistically hit. */
const AADSTS_HELP: Readonly<Record<string, string>> = {
  AADSTS7000215:
    "the client secret is wrong (paste the secret's Value, not its Secret ID)",
  AADSTS7000222: "the client secret has expired; create a new one in the app's Certificates & secrets",
  AADSTS700016: "no application with this client ID exists in this Entra tenant",
  AADSTS90002: "the Entra tenant was not found; check the Directory (tenant) ID",
  AADSTS900023: "the tenant ID is not a valid Entra tenant identifier",
  AADSTS7000112: "the application is disabled in this Entra tenant",
  // "Client assertion audience claim does not match Realm issuer" (Azure SDK service principal troubleshooting);
  // the AADSTS reference lists the code as InvalidResourcelessScope.
  AADSTS700023:
    "the client assertion's audience does not match this tenant's token endpoint (check the Directory (tenant) ID), or the request's scope names no resource",
};

export function explainAadsts(code: string | undefined, description: string): string {
  if (code && AADSTS_HELP[code]) return AADSTS_HELP[code];
  // Entra's own first sentence, without its trace and correlation ids.
  const firstSentence = description.replace(/^AADSTS\d+:\s*/, "").split(/\.\s|\r?\n/)[0];
  return firstSentence?.trim() || "Entra ID refused the credentials";
}

export function aadstsCode(description: string): string | undefined {
  return /\bAADSTS\d+\b/.exec(description)?.[0];
}

export async function checkClientCredentials(input: CredentialCheckInput): Promise<CredentialCheck> {
  const url = `${input.loginBase}/${encodeURIComponent(input.entraTenantId)}/oauth2/v2.0/token`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: input.clientId,
        client_secret: input.clientSecret,
        scope: GRAPH_DEFAULT_SCOPE,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, kind: "unreachable", reason: "Entra ID did not answer" };
  }
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true };
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    return { ok: false, kind: "unreachable", reason: `Entra ID answered HTTP ${response.status}` };
  }
  const body = await response.json<{ error_description?: unknown }>().catch(() => ({ error_description: undefined }));
  const description = typeof body.error_description === "string" ? body.error_description : "";
  const aadsts = aadstsCode(description);
  return { ok: false, kind: "rejected", aadsts, reason: explainAadsts(aadsts, description) };
}
