import type { Context } from "hono";
import type { UserAccessDeps } from "../oauth/user-access";
import type { EventParty } from "../audit/events";
import { auditOf } from "./audit";
import type { TenantEnv } from "./context";
import { oauthContext } from "./tenant-oauth";

/**
 * @module The request's tenant as the user-access functions need it: its own
 * OAuth helpers over its prefixed KV view, the registry, and the user agents.
 * Shared by the admin API and the admin console.
 */

/** `party`: who acts, for the audit events of revocations. */
export function userAccessDeps<E extends TenantEnv>(c: Context<E>, party?: EventParty): UserAccessDeps {
  const { env, oauth } = oauthContext(c);
  const audit = party ? { recorder: auditOf(c), party } : undefined;
  return { tenantId: c.get("tenant").id, registry: c.get("registry"), oauth, kv: env.OAUTH_KV, agents: c.env.USER_AGENT, audit };
}
