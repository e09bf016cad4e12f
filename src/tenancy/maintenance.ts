import type { Config } from "../config";
import { logError, logEvent } from "../lib/log";
import { applyAuditRetention } from "./audit-retention";
import { purgeTenant, type PurgeDeps } from "./offboarding";

/**
 * @module The scheduled sweep: finishes tenant deletions that were cut short,
 * warns tenant admins whose Entra client secret or active certificate
 * expires within 30 days, and purges audit trails past each tenant's retention.
 *
 * Retention visits a slice of the tenants per run, resuming after the last
 * tenant the previous run finished (a KV key holds that position), so 10,000
 * tenants cost the same per run as 100: the cron runs 96 times a day and
 * visits 120 tenants each time, so every tenant's trail is trimmed about once
 * a day, which is as fine as a retention counted in days needs.
 */

const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
/** Where the retention sweep continues: the id of the last tenant it finished (a global key, outside every tenant's `t:` prefix). */
export const RETENTION_CURSOR_KEY = "maintenance:audit-retention-after";
const RETENTION_TENANTS_PER_RUN = 120;
/** R2, D1 and Durable Object calls the retention sweep may spend per run. */
const RETENTION_CALL_BUDGET = 400;

export function daysUntil(date: Date, now = Date.now()): number {
  return Math.floor((date.getTime() - now) / DAY_MS);
}

export type MaintenanceDeps = PurgeDeps & { config: Config; db: D1Database };

/**
 * Trims the next slice of tenants' audit trails to their retention, within
 * the run's budget; a tenant the budget cut short is where the next run starts.
 */
export async function sweepAuditRetention(deps: MaintenanceDeps, now = Date.now()): Promise<{ tenants: number; objectsDeleted: number }> {
  const after = (await deps.kv.get(RETENTION_CURSOR_KEY)) ?? undefined;
  const page = await deps.registry.list(RETENTION_TENANTS_PER_RUN, after);
  let calls = 0;
  let objectsDeleted = 0;
  let finished: string | undefined = after;
  let tenants = 0;
  for (const tenant of page) {
    if (tenant.status !== "deleting") {
      try {
        const result = await applyAuditRetention({ ...deps.audit, db: deps.db }, tenant, RETENTION_CALL_BUDGET - calls, now);
        calls += result.calls;
        objectsDeleted += result.deleted;
        if (!result.complete) break;
      } catch (error) {
        // One tenant's failure must not stall the sweep for all the others: it is retried on the next pass.
        logError("audit_retention_failed", error, { tenantId: tenant.id });
        calls += 1;
      }
    }
    finished = tenant.id;
    tenants += 1;
    if (calls >= RETENTION_CALL_BUDGET) break;
  }
  // A short page was the end of the list: the next run starts again from the first tenant.
  const wrapped = page.length < RETENTION_TENANTS_PER_RUN && tenants === page.length;
  if (wrapped) await deps.kv.delete(RETENTION_CURSOR_KEY);
  else if (finished !== after && finished !== undefined) await deps.kv.put(RETENTION_CURSOR_KEY, finished);
  return { tenants, objectsDeleted };
}

/**
 * A `certificate_expiring` alert for each tenant that signs with a
 * certificate expiring within 30 days (once a week, like the secret's).
 */
async function warnExpiringCertificates(deps: MaintenanceDeps, now = Date.now()): Promise<number> {
  let warned = 0;
  const expiring = await deps.registry.certificates.expiringActive(new Date(now + (EXPIRY_WARNING_DAYS + 1) * DAY_MS));
  for (const certificate of expiring) {
    const days = daysUntil(certificate.notAfter, now);
    if (days > EXPIRY_WARNING_DAYS) continue;
    const steps =
      "generate a new certificate (POST /api/admin/credentials/certificates or the console's Credentials page), upload it to the app, then verify and promote it";
    const detail =
      days < 0
        ? `The certificate ${certificate.thumbprint} has expired: users cannot sign in until you ${steps}`
        : `The certificate ${certificate.thumbprint} expires in ${days} day${days === 1 ? "" : "s"}: ${steps}`;
    if (await deps.registry.addAlert(certificate.tenantId, "certificate_expiring", detail, 7 * 24 * 60)) warned += 1;
  }
  return warned;
}

export async function runMaintenance(deps: MaintenanceDeps) {
  const summary = { purged: 0, stillDeleting: 0, expiryWarnings: 0, retentionTenants: 0, auditObjectsDeleted: 0 };
  // One tenant per run: a purge spends most of an invocation's KV budget.
  for (const tenant of await deps.registry.listDeleting(1)) {
    try {
      const result = await purgeTenant(deps, tenant);
      if (result.deleted) summary.purged += 1;
      else summary.stillDeleting += 1;
    } catch (error) {
      logError("scheduled_purge_failed", error, { tenantId: tenant.id });
    }
  }
  let afterId: string | undefined;
  for (;;) {
    const page = await deps.registry.list(100, afterId);
    if (page.length === 0) break;
    for (const tenant of page) {
      // A tenant that signs with a certificate is warned about the certificate instead.
      if (tenant.status === "deleting" || tenant.credentialKind === "certificate" || !tenant.secretExpiresAt) continue;
      const days = daysUntil(tenant.secretExpiresAt);
      if (days > EXPIRY_WARNING_DAYS) continue;
      const detail =
        days < 0
          ? "The Entra client secret has expired: users cannot sign in until a new one is set with PUT /api/admin/client-secret"
          : `The Entra client secret expires in ${days} day${days === 1 ? "" : "s"}: create a new one in Entra and set it with PUT /api/admin/client-secret`;
      // One warning a week is enough to be seen without burying other alerts.
      if (await deps.registry.addAlert(tenant.id, "secret_expiring", detail, 7 * 24 * 60)) summary.expiryWarnings += 1;
    }
    afterId = page.at(-1)?.id;
  }
  summary.expiryWarnings += await warnExpiringCertificates(deps);
  try {
    const retention = await sweepAuditRetention(deps);
    summary.retentionTenants = retention.tenants;
    summary.auditObjectsDeleted = retention.objectsDeleted;
  } catch (error) {
    logError("audit_retention_failed", error);
  }
  logEvent("maintenance_run", summary);
  return summary;
}
