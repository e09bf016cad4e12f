/**
 * @module What a dynamically registered client may store (RFC 7591 sets no limits;
 * a registration lives in KV for 90 days): a few redirect URIs of bounded
 * length, each https, http (the provider sends codes to loopback http only)
 * or an allowed private-use scheme, and display fields of bounded length.
 * The provider has already checked the types; this runs before it stores the
 * client, and a refusal is `invalid_client_metadata` naming the field.
 */

import type { ClientRegistrationCallbackOptions, ClientRegistrationCallbackResult } from "@cloudflare/workers-oauth-provider";
import { z } from "zod";
import { cleanDisplayName } from "../tenancy/names";
import { isAllowedPrivateUseScheme } from "../tenancy/policy";

export const CLIENT_METADATA_LIMITS = {
  redirectUris: 10,
  uriLength: 2048,
  nameLength: 200,
  contacts: 5,
  contactLength: 254,
  localized: 20,
} as const;
const L = CLIENT_METADATA_LIMITS;

/** Why a redirect URI's scheme is refused, or undefined when it is allowed. */
export function redirectSchemeProblem(uri: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) return "must be an absolute URI";
  if (scheme === "https" || scheme === "http" || isAllowedPrivateUseScheme(scheme)) return undefined;
  return `the scheme ${scheme}: is not allowed; use https, http on a loopback address, or a private-use scheme named after your domain (RFC 8252 §7.1, e.g. com.example.app:/callback)`;
}

const uri = z.string().max(L.uriLength, `at most ${L.uriLength} characters`);
const redirectUri = uri.superRefine((value, ctx) => {
  const problem = redirectSchemeProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const RegistrationLimits = z.looseObject({
  redirect_uris: z.array(redirectUri).max(L.redirectUris, `at most ${L.redirectUris} redirect URIs`).optional(),
  // Seen after withCleanClientNames: a name of invisible characters only arrives empty.
  client_name: z
    .string()
    .min(1, "no visible characters; name the app in letters a person can read")
    .max(L.nameLength, `at most ${L.nameLength} characters`)
    .optional(),
  client_uri: uri.optional(),
  logo_uri: uri.optional(),
  tos_uri: uri.optional(),
  policy_uri: uri.optional(),
  jwks_uri: uri.optional(),
  contacts: z
    .array(z.string().max(L.contactLength, `at most ${L.contactLength} characters`))
    .max(L.contacts, `at most ${L.contacts} contacts`)
    .optional(),
});

/** Language-tagged variants (`client_name#fr`, RFC 7591 §2.2): as many as `localized`, each bounded like its field. */
const LOCALIZED_LENGTH: Readonly<Record<string, number>> = {
  client_name: L.nameLength,
  client_uri: L.uriLength,
  logo_uri: L.uriLength,
  tos_uri: L.uriLength,
  policy_uri: L.uriLength,
};

function localizedProblem(metadata: Record<string, unknown>): string | undefined {
  const localized = Object.entries(metadata).filter(([key]) => key.includes("#") && LOCALIZED_LENGTH[key.slice(0, key.indexOf("#"))]);
  if (localized.length > L.localized) return `at most ${L.localized} language-tagged fields (such as client_name#fr)`;
  for (const [key, value] of localized) {
    const max = LOCALIZED_LENGTH[key.slice(0, key.indexOf("#"))] ?? 0;
    if (key.length > 64) return "language-tagged field names are at most 64 characters";
    if (typeof value === "string" && value.length > max) return `${key}: at most ${max} characters`;
    if (key.startsWith("client_name#") && value === "") return `${key}: no visible characters; name the app in letters a person can read`;
  }
  return undefined;
}

export function checkClientRegistration({
  clientMetadata,
}: ClientRegistrationCallbackOptions): ClientRegistrationCallbackResult | undefined {
  const parsed = RegistrationLimits.safeParse(clientMetadata);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path ?? [])
      .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index ? "." : ""}${String(part)}`))
      .join("");
    return { code: "invalid_client_metadata", description: `${field || "client metadata"}: ${issue?.message ?? "invalid"}` };
  }
  const problem = localizedProblem(clientMetadata);
  return problem ? { code: "invalid_client_metadata", description: problem } : undefined;
}

/**
 * The registration request with every `client_name` (and its `client_name#<lang>`
 * variants) cleaned of bidi and invisible characters, so the stored client
 * record never holds them; a name with nothing visible left becomes empty,
 * which checkClientRegistration then refuses, naming the field. The
 * provider resolves the metadata it stores before its registration callback
 * runs, so the body has to be cleaned before the provider reads it. Anything
 * that is not a JSON object is passed on unchanged, for the provider's own error.
 */
export async function withCleanClientNames(request: Request): Promise<Request> {
  const text = await request.text();
  // The same registration request (a POST), with the body it should carry now.
  const withBody = (content: string) => new Request(request, { method: request.method, body: content });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return withBody(text);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return withBody(text);
  const metadata = body as Record<string, unknown>;
  for (const [field, value] of Object.entries(metadata)) {
    if (field !== "client_name" && !field.startsWith("client_name#")) continue;
    if (typeof value !== "string") continue;
    metadata[field] = cleanDisplayName(value);
  }
  return withBody(JSON.stringify(metadata));
}
