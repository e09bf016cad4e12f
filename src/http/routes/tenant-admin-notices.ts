import { Hono } from "hono";
import { z } from "zod";
import {
  NoticesNotConfigured,
  noticeSettingsView,
  removeNoticeWebhook,
  rotateNoticeSecret,
  sendTestNotice,
  setNoticeWebhook,
} from "../../audit/notice-settings";
import { streamUrlRulesOf, streamUrlSchema } from "../../audit/stream-url";
import type { TenantEnv } from "../context";
import { ApiError } from "../errors";
import { readJsonBody } from "../json-body";
import { actionDeps, secretOnce } from "./admin-deps";

/**
 * @module The alert notices' webhook on the tenant admin API (mounted under
 * tenant-admin.ts, behind its admin-key check), laid out as the audit
 * stream's: `GET /api/admin/notices`, `PUT /api/admin/notices` `{ url }`
 * (answers the new signing secret once), `POST /api/admin/notices/secret`
 * (a new secret, once), `DELETE /api/admin/notices`, and
 * `POST /api/admin/notices/test` (one signed test notice now, and how the
 * webhook answered). Each alert's delivery state is on `GET /api/admin/alerts`.
 */

const SECRET_NOTICE = "Shown only once: store it where your receiver verifies signatures. The previous secret no longer signs notices.";

function notConfigured(): ApiError {
  return new ApiError(404, "notices_not_configured", new NoticesNotConfigured().message);
}

export const tenantAdminNoticesRoutes = new Hono<TenantEnv>()
  .get("/api/admin/notices", (c) => c.json(noticeSettingsView(c.get("tenant"))))
  .put("/api/admin/notices", async (c) => {
    const schema = z.strictObject({ url: streamUrlSchema(streamUrlRulesOf(c.get("config"))) });
    const { url } = await readJsonBody(c, schema);
    const { secret } = await setNoticeWebhook(actionDeps(c), c.get("tenant"), url);
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return secretOnce(c, url, secret, SECRET_NOTICE);
  })
  .post("/api/admin/notices/secret", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.notices) throw notConfigured();
    const { url, secret } = await rotateNoticeSecret(actionDeps(c), tenant);
    c.get("tenantCache").invalidate(tenant.slug);
    return secretOnce(c, url, secret, SECRET_NOTICE);
  })
  .delete("/api/admin/notices", async (c) => {
    const removed = await removeNoticeWebhook(actionDeps(c), c.get("tenant"));
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return c.json({ url: null, removed });
  })
  .post("/api/admin/notices/test", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.notices?.sealedSecret) throw notConfigured();
    const outcome = await sendTestNotice(actionDeps(c), tenant);
    return c.json({
      delivered: outcome.ok,
      status: outcome.status,
      id: outcome.id,
      message: outcome.ok
        ? `The webhook accepted the test notice (HTTP ${outcome.status})`
        : `The test notice was not accepted: ${outcome.reason}`,
    });
  });
