/**
 * Worker bindings as declared in wrangler.toml. Secrets (`KEK_<id>`,
 * `OPERATOR_TOKEN`, `SIGNUP_INVITE_TOKEN`) are read through `readConfig`, which
 * validates them once per isolate.
 */
import type { UserGraphAgent } from "./agent/user-agent";

export interface Env {
  USER_AGENT: DurableObjectNamespace<UserGraphAgent>;
  DB: D1Database;
  OAUTH_KV: KVNamespace;
  SIGNUP_RATE_LIMITER: RateLimit;
  BASE_DOMAIN: string;
  LOGIN_BASE: string;
  GRAPH_BASE: string;
  ACTIVE_KEK_ID: string;
  VERIFY_ENTRA_CREDENTIALS: string;
  TENANT_CACHE_TTL_SECONDS: string;
  /** Optional: 30 when unset. */
  TOKEN_CACHE_TTL_SECONDS?: string;
  SIGNUP_MAX_BODY_BYTES: string;
  OPERATOR_TOKEN?: string;
  CONSENT_SECRET: string;
  CURSOR_SECRET: string;
  REGISTER_RATE_LIMITER: RateLimit;
  OAUTH_RATE_LIMITER: RateLimit;
  SIGNUP_INVITE_TOKEN?: string;
  [kek: `KEK_${string}`]: string | undefined;
}

export const GATEWAY_VERSION = "0.1.0";
