import { Hono, type Context } from "hono";
import type { z } from "zod";
import { exportTrail, type ExportFormat } from "../../audit/read-export";
import { readTrail, type TrailFilters } from "../../audit/read";
import { TrailCursorError } from "../../audit/read-cursor";
import { usageReport } from "../../audit/read-usage";
import {
  AuditExportQuerySchema,
  AuditListQuerySchema,
  DEFAULT_LIST_DAYS,
  DEFAULT_PAGE,
  resolveDays,
  resolveRange,
  RetentionSchema,
  UsageQuerySchema,
} from "../audit-query";
import type { TenantEnv } from "../context";
import { ApiError, validationError } from "../errors";
import { readJsonBody } from "../json-body";
import type { AdminActionDeps } from "../tenant-admin-actions";
import { adminActionEvent, ADMIN_KEY_ACTOR } from "../../audit/events";
import { auditOf, partyOf } from "../audit";
import type { Tenant } from "../../tenancy/tenant";

/**
 * @module The org's audit trail and usage on the tenant admin API (mounted
 * under tenant-admin.ts, behind its admin-key check):
 * `GET /api/admin/audit` (a page, newest first, with filters and a cursor),
 * `GET /api/admin/audit/export` (NDJSON or CSV of a range, streamed),
 * `GET /api/admin/usage` (per-day roll-ups) and
 * `PUT /api/admin/audit/retention`. Only this tenant's trail is ever read:
 * its prefix comes from the host's tenant, never from the request.
 */

function parsedQuery<Schema extends z.ZodType>(c: Context<TenantEnv>, schema: Schema): z.infer<Schema> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw validationError(result.error, "query");
  return result.data;
}

/** An export's file name: the org's slug and the range, safe in a header. */
function exportFileName(slug: string, from: Date, to: Date, format: string): string {
  const stamp = (time: Date) => time.toISOString().slice(0, 16).replace(/[:]/g, "");
  return `audit-${slug}-${stamp(from)}-${stamp(to)}.${format}`;
}

/** The export as a download: streamed, never cached, named after the org and the range. */
export function auditExportResponse(
  bucket: R2Bucket,
  tenant: Tenant,
  query: TrailFilters & { from: Date; to: Date; format: ExportFormat },
): Response {
  return new Response(exportTrail(bucket, tenant.id, query, query.format), {
    headers: {
      "content-type": query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(tenant.slug, query.from, query.to, query.format)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/** Sets the org's retention (already validated) and drops the cached row so every page shows it; the days now set. */
export async function saveRetention(
  deps: Pick<AdminActionDeps, "registry" | "tenantCache" | "tenant" | "audit">,
  days: number,
): Promise<number> {
  const { registry, tenantCache, tenant } = deps;
  const updated = await registry.setAuditRetention(tenant.id, days);
  tenantCache.invalidate(tenant.slug);
  const retentionDays = updated?.audit.retentionDays ?? days;
  const change = { before: { retentionDays: tenant.audit.retentionDays }, after: { retentionDays } };
  deps.audit?.recorder.record(adminActionEvent(deps.audit.party, { action: "audit_retention.set", outcome: "ok", ...change }));
  return retentionDays;
}

export const tenantAdminAuditRoutes = new Hono<TenantEnv>()
  .get("/api/admin/audit", async (c) => {
    const query = parsedQuery(c, AuditListQuerySchema);
    const { from, to } = resolveRange(query, DEFAULT_LIST_DAYS);
    const deps = { bucket: c.env.AUDIT_BUCKET, cursorSecret: c.get("config").CURSOR_SECRET };
    try {
      const page = await readTrail(deps, c.get("tenant").id, { ...query, from, to, limit: query.limit ?? DEFAULT_PAGE });
      return c.json({ from: from.toISOString(), to: to.toISOString(), events: page.events, nextCursor: page.nextCursor }, 200, {
        "cache-control": "no-store",
      });
    } catch (error) {
      if (!(error instanceof TrailCursorError)) throw error;
      throw new ApiError(400, "invalid_request", `Invalid query: cursor: ${error.message}`, {
        issues: [{ field: "cursor", message: error.message }],
      });
    }
  })
  .get("/api/admin/audit/export", (c) => {
    const query = parsedQuery(c, AuditExportQuerySchema);
    return auditExportResponse(c.env.AUDIT_BUCKET, c.get("tenant"), { ...query, ...resolveRange(query, 1) });
  })
  .get("/api/admin/usage", async (c) => {
    const query = parsedQuery(c, UsageQuerySchema);
    const { from, to } = resolveDays(query);
    return c.json(await usageReport(c.get("registry"), c.get("tenant").id, from, to, query.user), 200, { "cache-control": "no-store" });
  })
  .put("/api/admin/audit/retention", async (c) => {
    const { days } = await readJsonBody(c, RetentionSchema);
    const tenant = c.get("tenant");
    const audit = { recorder: auditOf(c), party: partyOf(c, tenant.id, ADMIN_KEY_ACTOR) };
    const deps = { registry: c.get("registry"), tenantCache: c.get("tenantCache"), tenant, audit };
    return c.json({ retentionDays: await saveRetention(deps, days) });
  });
