import { z } from "zod";
import type { Env } from "./env";

/**
 * Configuration parsed once per isolate from the Worker's vars and secrets, so
 * a misconfigured deployment fails fast with a message naming the setting.
 */
const booleanText = z.enum(["true", "false"]).transform((value) => value === "true");
const positiveIntText = z.coerce.number().int().positive();
const baseUrl = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));

const ConfigSchema = z.object({
  BASE_DOMAIN: z
    .string()
    .min(1)
    .transform((value) => value.toLowerCase().replace(/\.$/, "")),
  /** The Global cloud's Entra ID and Graph; the other clouds' follow, each defaulting to Microsoft's host (src/tenancy/clouds.ts). */
  LOGIN_BASE: baseUrl,
  GRAPH_BASE: baseUrl,
  /**
   * The national clouds' hosts ("National clouds", learn.microsoft.com/entra/identity-platform/authentication-national-cloud;
   * "Microsoft Graph national cloud deployments", learn.microsoft.com/graph/deployments). Set only to point them elsewhere,
   * as the tests and `npm run dev` do at the emulator.
   */
  LOGIN_BASE_USGOV_HIGH: baseUrl.default("https://login.microsoftonline.us"),
  GRAPH_BASE_USGOV_HIGH: baseUrl.default("https://graph.microsoft.us"),
  LOGIN_BASE_USGOV_DOD: baseUrl.default("https://login.microsoftonline.us"),
  GRAPH_BASE_USGOV_DOD: baseUrl.default("https://dod-graph.microsoft.us"),
  // China's Entra host as Microsoft's China documentation lists it (docs.azure.cn, "National clouds"), and the host its
  // discovery document names for the token endpoint; the older alias login.chinacloudapi.cn reaches the same service,
  // but an id_token's issuer is checked against this base, so it must be the host Entra issues tokens as.
  LOGIN_BASE_CHINA: baseUrl.default("https://login.partner.microsoftonline.cn"),
  GRAPH_BASE_CHINA: baseUrl.default("https://microsoftgraph.chinacloudapi.cn"),
  ACTIVE_KEK_ID: z.string().regex(/^[A-Za-z0-9_]+$/, "letters, digits or underscore"),
  VERIFY_ENTRA_CREDENTIALS: booleanText,
  TENANT_CACHE_TTL_SECONDS: positiveIntText,
  /**
   * How long a revoked access token may keep working in isolates other than
   * the one that revoked it (src/tenancy/token-record-cache.ts); 0 turns the
   * cache off. At most 60 s, the delay Cloudflare documents for a KV change
   * to reach other locations: revocation stays no slower than the storage under it. Unset in deployments older than the setting.
   */
  TOKEN_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60, "at most 60 seconds").default(30),
  SIGNUP_MAX_BODY_BYTES: positiveIntText,
  OPERATOR_TOKEN: z.string().min(32, "at least 32 characters").optional(),
  SIGNUP_INVITE_TOKEN: z.string().min(1).optional(),
  /** HMAC key of the cookie that remembers a user's consent per MCP client. */
  CONSENT_SECRET: z.string({ error: "the CONSENT_SECRET secret is not set" }).min(32, "at least 32 characters"),
  /** Key material for paging cursors (src/graph/cursor.ts): they are sealed so no one can read or edit them. */
  CURSOR_SECRET: z.string({ error: "the CURSOR_SECRET secret is not set" }).min(32, "at least 32 characters"),
  /**
   * Origins an organization may stream its audit trail to besides public
   * https hosts (src/audit/stream-url.ts), space-separated: the local
   * receiver of `npm run dev` and the tests. Empty (the default) in production.
   */
  AUDIT_STREAM_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(/\s+/).filter((origin) => origin !== ""))
    .pipe(
      z.array(z.url({ protocol: /^https?$/, error: "expected space-separated http(s) origins" }).transform((url) => new URL(url).origin)),
    ),
});

export type Config = z.infer<typeof ConfigSchema> & {
  /** Key-encryption keys by id, raw bytes. */
  keks: ReadonlyMap<string, Uint8Array>;
};

const KEK_PREFIX = "KEK_";

function readKeks(env: Env): Map<string, Uint8Array> {
  const keks = new Map<string, Uint8Array>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(KEK_PREFIX) || typeof value !== "string") continue;
    const bytes = decodeBase64(value.trim());
    if (bytes?.length !== 32) {
      throw new ConfigError(`${name} must be base64 of exactly 32 random bytes`);
    }
    keks.set(name.slice(KEK_PREFIX.length), bytes);
  }
  return keks;
}

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: { env: Env; config: Config } | undefined;

export function readConfig(env: Env): Config {
  if (cached?.env === env) return cached.config;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ConfigError(`Invalid gateway configuration: ${detail}`);
  }
  const keks = readKeks(env);
  if (!keks.has(parsed.data.ACTIVE_KEK_ID)) {
    throw new ConfigError(
      `Invalid gateway configuration: ACTIVE_KEK_ID is "${parsed.data.ACTIVE_KEK_ID}" but secret KEK_${parsed.data.ACTIVE_KEK_ID} is not set`,
    );
  }
  const config = { ...parsed.data, keks };
  cached = { env, config };
  return config;
}
