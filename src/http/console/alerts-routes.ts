import { Hono, type Context } from "hono";
import { auditOf } from "../audit";
import {
  NoticesNotConfigured,
  removeNoticeWebhook,
  rotateNoticeSecret,
  sendTestNotice,
  setNoticeWebhook,
  type NoticeSettingsDeps,
} from "../../audit/notice-settings";
import { streamUrlRulesOf, streamUrlSchema } from "../../audit/stream-url";
import { alertsBody, noticeSecretBody, type AlertsPageInput } from "../pages/console/alerts-page";
import type { ConsoleEnv } from "./context";
import { back, consoleParty, flashOf, form, render, text } from "./view";

/**
 * @module The console's Alerts page: the alerts with each one's notice
 * state, and the notices webhook with the same actions as the admin API's
 * `/api/admin/notices` (set the URL, make a new secret, remove, send a test
 * notice), as forms. A new secret is shown once on its own page. Every
 * change is audited with the console admin as the actor.
 */

function noticeDeps(c: Context<ConsoleEnv>): NoticeSettingsDeps {
  return { registry: c.get("registry"), config: c.get("config"), audit: { recorder: auditOf(c), party: consoleParty(c) } };
}

async function alertsPage(c: Context<ConsoleEnv>, extra: Partial<AlertsPageInput> = {}, status: 200 | 400 = 200) {
  const tenant = c.get("tenant");
  return render(
    c,
    "alerts",
    "Alerts",
    alertsBody({
      csrfToken: c.get("csrfToken"),
      alerts: await c.get("registry").alerts(tenant.id),
      webhook: tenant.notices ? { url: tenant.notices.url, failingSince: tenant.notices.failingSince } : null,
      errors: {},
      flash: flashOf(c),
      ...extra,
    }),
    status,
  );
}

function notConfigured(c: Context<ConsoleEnv>) {
  return alertsPage(c, { errors: { url: new NoticesNotConfigured().message } }, 400);
}

export const consoleAlertsRoutes = new Hono<ConsoleEnv>()
  .get("/admin/alerts", (c) => alertsPage(c))
  .post("/admin/alerts/notices", async (c) => {
    const typed = text((await form(c)).url);
    const parsed = streamUrlSchema(streamUrlRulesOf(c.get("config"))).safeParse(typed);
    if (!parsed.success) {
      return alertsPage(c, { errors: { url: parsed.error.issues[0]?.message ?? "expected an https URL" }, typedUrl: typed }, 400);
    }
    const { secret } = await setNoticeWebhook(noticeDeps(c), c.get("tenant"), parsed.data);
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return render(c, "alerts", "Notices signing secret", noticeSecretBody(parsed.data, secret));
  })
  .post("/admin/alerts/notices/secret", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.notices) return notConfigured(c);
    const { url, secret } = await rotateNoticeSecret(noticeDeps(c), tenant);
    c.get("tenantCache").invalidate(tenant.slug);
    return render(c, "alerts", "Notices signing secret", noticeSecretBody(url, secret));
  })
  .post("/admin/alerts/notices/delete", async (c) => {
    await removeNoticeWebhook(noticeDeps(c), c.get("tenant"));
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return back(c, "/admin/alerts", "notices-removed");
  })
  .post("/admin/alerts/notices/test", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.notices?.sealedSecret) return notConfigured(c);
    const outcome = await sendTestNotice(noticeDeps(c), tenant);
    const words = outcome.ok
      ? `The webhook accepted the test notice (HTTP ${outcome.status}).`
      : `The test notice was not accepted: ${outcome.reason}${outcome.status ? ` (HTTP ${outcome.status})` : ""}.`;
    // A success clears "failing since": show the page as it is now.
    const fresh = outcome.ok ? await c.get("registry").findById(tenant.id) : tenant;
    const webhook = fresh?.notices ? { url: fresh.notices.url, failingSince: fresh.notices.failingSince } : null;
    return alertsPage(c, { testResult: { delivered: outcome.ok, text: words }, webhook });
  });
