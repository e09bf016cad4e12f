import type { Config } from "../config";
import { logError, logEvent } from "../lib/log";
import { purgeTenant, type PurgeDeps } from "./offboarding";

/**
 * @module The scheduled sweep: finishes tenant deletions that were cut short, and
 * warns tenant admins whose Entra client secret expires within 30 days.
 */

const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export function daysUntil(date: Date, now = Date.now()): number {
  return Math.floor((date.getTime() - now) / DAY_MS);
}

export async function runMaintenance(deps: PurgeDeps & { config: Config }) {
  const summary = { purged: 0, stillDeleting: 0, expiryWarnings: 0 };
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
      if (tenant.status === "deleting" || !tenant.secretExpiresAt) continue;
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
  logEvent("maintenance_run", summary);
  return summary;
}
