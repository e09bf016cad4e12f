import { Hono, type Context } from "hono";
import { StreamNotConfigured, removeStream, rotateStreamSecret, sendTestBatch, setStream } from "../../audit/stream-settings";
import { streamUrlRulesOf, streamUrlSchema } from "../../audit/stream-url";
import { streamBody, streamSecretBody, type StreamPageInput } from "../pages/console/stream-page";
import type { ConsoleEnv } from "./context";
import { back, flashOf, form, render, text } from "./view";

/**
 * @module The console's Streaming page: the same actions as the admin API's
 * `/api/admin/audit/stream` (set the endpoint, rotate the secret, stop, send
 * a test batch), as forms. A new secret is shown once on its own page.
 */

function deps(c: Context<ConsoleEnv>) {
  return { registry: c.get("registry"), config: c.get("config") };
}

function streamPage(c: Context<ConsoleEnv>, extra: Partial<StreamPageInput> = {}, status: 200 | 400 | 502 = 200) {
  const stream = c.get("tenant").audit.stream;
  return render(
    c,
    "streaming",
    "Streaming",
    streamBody({
      csrfToken: c.get("csrfToken"),
      url: stream?.url ?? null,
      failingSince: stream?.failingSince ?? null,
      errors: {},
      flash: flashOf(c),
      ...extra,
    }),
    status,
  );
}

export const consoleStreamRoutes = new Hono<ConsoleEnv>()
  .get("/admin/streaming", (c) => streamPage(c))
  .post("/admin/streaming", async (c) => {
    const typed = text((await form(c)).url);
    const parsed = streamUrlSchema(streamUrlRulesOf(c.get("config"))).safeParse(typed);
    if (!parsed.success) {
      return streamPage(c, { errors: { url: parsed.error.issues[0]?.message ?? "expected an https URL" }, typedUrl: typed }, 400);
    }
    const { secret } = await setStream(deps(c), c.get("tenant"), parsed.data);
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return render(c, "streaming", "Stream signing secret", streamSecretBody(parsed.data, secret));
  })
  .post("/admin/streaming/secret", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.audit.stream) return streamPage(c, { errors: { url: new StreamNotConfigured().message } }, 400);
    const { secret } = await rotateStreamSecret(deps(c), tenant);
    c.get("tenantCache").invalidate(tenant.slug);
    return render(c, "streaming", "Stream signing secret", streamSecretBody(tenant.audit.stream.url, secret));
  })
  .post("/admin/streaming/delete", async (c) => {
    await removeStream(deps(c), c.get("tenant"));
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return back(c, "/admin/streaming", "stream-removed");
  })
  .post("/admin/streaming/test", async (c) => {
    const tenant = c.get("tenant");
    if (!tenant.audit.stream?.sealedSecret) return streamPage(c, { errors: { url: new StreamNotConfigured().message } }, 400);
    const admin = c.get("consoleAdmin");
    const outcome = await sendTestBatch(deps(c), tenant, { type: "console_admin", userId: admin.userId, upn: admin.upn || undefined });
    const words = outcome.ok
      ? `The endpoint accepted the test batch (HTTP ${outcome.status}).`
      : `The test batch was not accepted: ${outcome.reason}${outcome.status ? ` (HTTP ${outcome.status})` : ""}.`;
    return streamPage(c, { testResult: { delivered: outcome.ok, text: words } });
  });
