import { Hono } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { checkUsageRange, resolveDays, UsageRangeShape } from "../audit-query";
import { validationError } from "../errors";

/**
 * @module `GET /api/operator/usage?from&to&limit&cursor` on the apex (mounted
 * under operator.ts, behind the operator token): tool calls, errors, Graph
 * throttling and distinct active users per organization over a range of UTC
 * days, from the per-day roll-ups, for billing. Organizations without usage
 * in the range are left out; pages go by tenant id.
 */

const OperatorUsageQuerySchema = z
  .object({
    ...UsageRangeShape,
    limit: z.coerce
      .number({ error: "expected a whole number from 1 to 200" })
      .int("expected a whole number from 1 to 200")
      .min(1, "expected a whole number from 1 to 200")
      .max(200, "expected a whole number from 1 to 200")
      .default(50),
    cursor: z.uuid("expected the nextCursor of a previous page").optional(),
  })
  .superRefine(checkUsageRange);

export const operatorUsageRoutes = new Hono<ApexEnv>().get("/api/operator/usage", async (c) => {
  const parsed = OperatorUsageQuerySchema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, "query");
  const { from, to } = resolveDays(parsed.data);
  const page = await c.get("registry").usageByTenant(from, to, parsed.data.limit, parsed.data.cursor);
  const nextCursor = page.length === parsed.data.limit ? (page.at(-1)?.tenantId ?? null) : null;
  return c.json(
    {
      from,
      to,
      tenants: page.map((row) => ({
        id: row.tenantId,
        slug: row.slug,
        displayName: row.displayName,
        calls: row.calls,
        errors: row.errors,
        throttled: row.throttled,
        activeUsers: row.activeUsers,
      })),
      nextCursor,
    },
    200,
    { "cache-control": "no-store" },
  );
});
