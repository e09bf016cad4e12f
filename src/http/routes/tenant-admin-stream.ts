import { Hono } from "hono";
import { z } from "zod";
import type { TenantEnv } from "../context";
import { ApiError } from "../errors";
import { readJsonBody } from "../json-body";
import { actionDeps, secretOnce } from "./admin-deps";
import { streamUrlRulesOf, streamUrlSchema } from "../../audit/stream-url";
import { StreamNotConfigured, removeStream, rotateStreamSecret, sendTestBatch, setStream } from "../../audit/stream-settings";
import type { Tenant } from "../../tenancy/tenant";

/**
 * @module The audit stream on the tenant admin API (mounted under
 * tenant-admin.ts, behind its admin-key check):
 * `GET /api/admin/audit/stream`, `PUT /api/admin/audit/stream` `{ url }`
 * (answers the new signing secret once), `POST /api/admin/audit/stream/secret`
 * (a new secret, once), `DELETE /api/admin/audit/stream`, and
 * `POST /api/admin/audit/stream/test` (one signed test batch now, and how the
 * endpoint answered).
 */

const SECRET_NOTICE = "Shown only once: store it where your receiver verifies signatures. The previous secret no longer signs batches.";

function streamView(tenant: Tenant) {
  const stream = tenant.audit.stream;
  return {
    url: stream?.url ?? null,
    failingSince: stream?.failingSince?.toISOString() ?? null,
  };
}

function notConfigured(): ApiError {
  return new ApiError(404, "stream_not_configured", new StreamNotConfigured().message);
}

export const tenantAdminStreamRoutes = new Hono<TenantEnv>()
  .get("/api/admin/audit/stream", (c) => c.json(streamView(c.get("tenant"))))
  .put("/api/admin/audit/stream", async (c) => {
    const schema = z.strictObject({ url: streamUrlSchema(streamUrlRulesOf(c.get("config"))) });
    const { url } = await readJsonBody(c, schema);
    const { secret } = await setStream(actionDeps(c), c.get("tenant"), url);
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return secretOnce(c, url, secret, SECRET_NOTICE);
  })
  .post("/api/admin/audit/stream/secret", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.audit.stream) throw notConfigured();
    const { secret } = await rotateStreamSecret(actionDeps(c), tenant);
    c.get("tenantCache").invalidate(tenant.slug);
    return secretOnce(c, tenant.audit.stream.url, secret, SECRET_NOTICE);
  })
  .delete("/api/admin/audit/stream", async (c) => {
    const removed = await removeStream(actionDeps(c), c.get("tenant"));
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return c.json({ url: null, removed });
  })
  .post("/api/admin/audit/stream/test", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.audit.stream?.sealedSecret) throw notConfigured();
    const outcome = await sendTestBatch(actionDeps(c), tenant, { type: "admin_key" });
    return c.json({
      delivered: outcome.ok,
      status: outcome.status,
      batchId: outcome.batchId,
      message: outcome.ok
        ? `The endpoint accepted the test batch (HTTP ${outcome.status})`
        : `The test batch was not accepted: ${outcome.reason}`,
    });
  });
