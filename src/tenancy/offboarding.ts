import { logEvent } from "../lib/log";
import type { Registry } from "./registry";
import type { TenantCache } from "./tenant-cache";
import { agentName } from "./agent-name";
import { purgeAuditTrail, type AuditTrailStore } from "./audit-retention";
import { purgeTenantKv } from "./tenant-kv";
import type { Tenant } from "./tenant";

/**
 * @module Deletes everything the gateway holds for a tenant: each user's agent
 * storage, its audit trail (the tenant's audit log and every object under its
 * R2 prefix), every `t:<tenantId>:` KV key (OAuth clients, grants, tokens) and
 * then its D1 rows, usage roll-ups included (with the
 * wrapped data key, which makes any stray copy of the secret undecryptable).
 *
 * The tenant is first marked `deleting`, which takes it offline at once and
 * keeps the row as the record of unfinished work: a purge cut short (a KV
 * failure, or more keys than one invocation may delete) is resumed by calling
 * again, or by the scheduled sweep, until the row itself is removed last.
 */

export type PurgeResult = { deleted: true; kvKeysDeleted: number } | { deleted: false; kvKeysDeleted: number };

/** What a purge needs of the `USER_AGENT` namespace: a user's agent by name, to wipe it. */
export interface UserAgents {
  getByName(name: string): { forget(): Promise<void> };
}

export interface PurgeDeps {
  registry: Registry;
  kv: KVNamespace;
  tenantCache: TenantCache;
  agents: UserAgents;
  /** The audit trail's bucket and tenant logs. */
  audit: AuditTrailStore;
}

/**
 * Wipes each signed-in user's agent (it may hold a refreshed Graph token),
 * a page at a time, forgetting the users as it goes so a cut-short purge
 * resumes where it stopped. Users come from D1, not from grants, so users
 * whose grant already expired are found too.
 */
async function forgetUserAgents(deps: PurgeDeps, tenantId: string, budget: number): Promise<{ calls: number; complete: boolean }> {
  let calls = 0;
  for (;;) {
    const userIds = await deps.registry.userIds(tenantId, 50);
    if (userIds.length === 0) return { calls, complete: true };
    for (const userId of userIds) {
      await deps.agents.getByName(agentName(tenantId, userId)).forget();
    }
    await deps.registry.forgetUsers(tenantId, userIds);
    calls += userIds.length + 2;
    if (calls >= budget) return { calls, complete: false };
  }
}

/**
 * Wipes one user's agent, then forgets the user, in that order: a user still
 * listed is a wipe still owed. Their grants are the caller's to revoke first,
 * so no token can reach the agent again.
 */
export async function forgetUser(deps: Pick<PurgeDeps, "registry" | "agents">, tenantId: string, userId: string): Promise<void> {
  await deps.agents.getByName(agentName(tenantId, userId)).forget();
  await deps.registry.forgetUsers(tenantId, [userId]);
}

const CALL_BUDGET = 800;
/** R2 calls per invocation for the audit trail: 2 per 1,000 objects, so 200,000 objects; a larger trail continues on the next call. */
const AUDIT_CALL_BUDGET = 400;

export async function purgeTenant(deps: PurgeDeps, tenant: Tenant): Promise<PurgeResult> {
  if (tenant.status !== "deleting") {
    await deps.registry.setStatus(tenant.id, "deleting");
    logEvent("tenant_deletion_started", { tenantId: tenant.id });
  }
  deps.tenantCache.invalidate(tenant.slug);
  const agents = await forgetUserAgents(deps, tenant.id, CALL_BUDGET);
  if (!agents.complete) return { deleted: false, kvKeysDeleted: 0 };
  // The status is already `deleting`, so the tenant's log discards whatever still arrives instead of writing it.
  const audit = await purgeAuditTrail(deps.audit, tenant.id, AUDIT_CALL_BUDGET);
  if (!audit.complete) {
    logEvent("tenant_purge_partial", { tenantId: tenant.id, auditObjectsDeleted: audit.deleted });
    return { deleted: false, kvKeysDeleted: 0 };
  }
  const kv = await purgeTenantKv(deps.kv, tenant.id, CALL_BUDGET - agents.calls);
  if (!kv.complete) {
    logEvent("tenant_purge_partial", { tenantId: tenant.id, kvKeysDeleted: kv.removed });
    return { deleted: false, kvKeysDeleted: kv.removed };
  }
  await deps.registry.deleteAll(tenant.id);
  deps.tenantCache.invalidate(tenant.slug);
  logEvent("tenant_purged", { tenantId: tenant.id, kvKeysDeleted: kv.removed });
  return { deleted: true, kvKeysDeleted: kv.removed };
}

/** What the delete endpoints answer: 200 when done, 202 while keys remain. */
export function purgeResponseBody(result: PurgeResult) {
  return result.deleted
    ? { status: 200 as const, body: { deleted: true, kvKeysDeleted: result.kvKeysDeleted } }
    : {
        status: 202 as const,
        body: {
          deleted: false,
          status: "deleting",
          kvKeysDeleted: result.kvKeysDeleted,
          message: "Deletion is under way and continues in the background; repeat the request to speed it up",
        },
      };
}
