import type { Context } from "hono";
import { ADMIN_KEY_ACTOR } from "../../audit/events";
import { auditOf, partyOf } from "../audit";
import type { TenantEnv } from "../context";
import type { AdminActionDeps } from "../tenant-admin-actions";

/**
 * @module The shared admin actions' dependencies for an admin API request
 * (tenant-admin.ts and the route files it mounts): the admin key is who acts;
 * and the one answer that carries a signing secret shown once.
 */

export function actionDeps(c: Context<TenantEnv>): AdminActionDeps {
  const tenant = c.get("tenant");
  const audit = { recorder: auditOf(c), party: partyOf(c, tenant.id, ADMIN_KEY_ACTOR) };
  return { config: c.get("config"), registry: c.get("registry"), tenantCache: c.get("tenantCache"), env: c.env, tenant, audit };
}

/** A new signing secret (audit stream, notices webhook), shown once and never cached anywhere on the way. */
export function secretOnce(c: Context<TenantEnv>, url: string, secret: string, secretNotice: string) {
  return c.json({ url, secret, secretNotice }, 200, { "cache-control": "no-store" });
}
