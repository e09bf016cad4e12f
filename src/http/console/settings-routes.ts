import { Hono, type Context } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import { z } from "zod";
import { canonicalOrigin } from "../../oauth/provider-env";
import { ApiError } from "../errors";
import { adminKeyBody, goodbyeBody, settingsBody, type SettingsInput } from "../pages/console/admin-pages";
import { signedOutPage } from "../pages/console/sign-in-pages";
import { page } from "../pages/layout";
import { changeStatus, deleteTenant, rotateAdminKey } from "../tenant-admin-actions";
import type { ConsoleEnv } from "./context";
import { consolePageHeaders } from "./respond";
import { COOKIE_OPTIONS, deleteSession, SESSION_COOKIE } from "./session";
import { adminActionEvent, type ActionDetail } from "../../audit/events";
import { auditOf } from "../audit";
import { back, consoleParty, deps, form, flashOf, render, text } from "./view";

/**
 * @module The console's Organization page (console admins, Entra roles,
 * admin key, suspend and resume, delete) and sign-out.
 */

const EmailForm = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "expected a sign-in name such as alex@contoso.com" }).max(254, "a sign-in name is at most 254 characters")),
});

async function settingsPage(c: Context<ConsoleEnv>, errors: SettingsInput["errors"] = {}, status: 200 | 400 | 403 = 200) {
  const tenant = c.get("tenant");
  const admins = await c.get("registry").consoleAdmins(tenant.id);
  return render(
    c,
    "settings",
    "Organization",
    settingsBody({
      csrfToken: c.get("csrfToken"),
      slug: tenant.slug,
      host: new URL(canonicalOrigin(c.get("config"), tenant)).host,
      signedInUserId: c.get("consoleAdmin").userId,
      admins,
      consoleAdminRoles: tenant.consoleAdminRoles,
      status: tenant.status,
      suspendedByOperator: tenant.suspendedBy === "operator",
      errors,
      flash: flashOf(c),
    }),
    status,
  );
}

async function setStatus(c: Context<ConsoleEnv>, status: "active" | "suspended") {
  try {
    await changeStatus(deps(c), status);
  } catch (error) {
    if (error instanceof ApiError && error.code === "suspended_by_operator") return settingsPage(c, { status: error.message }, 403);
    throw error;
  }
  return back(c, "/admin/settings", status === "active" ? "resumed" : "suspended");
}

/** Audits a change to who may enter the console (the shared admin actions audit themselves). */
function audited(c: Context<ConsoleEnv>, detail: ActionDetail): void {
  auditOf(c).record(adminActionEvent(consoleParty(c), detail));
}

async function signOut(c: Context<ConsoleEnv>) {
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (sessionId) await deleteSession(c.env.OAUTH_KV, c.get("tenant").id, sessionId);
  deleteCookie(c, SESSION_COOKIE, COOKIE_OPTIONS);
  return c.html(signedOutPage(c.get("tenant").displayName), 200, consolePageHeaders());
}

export const consoleSettingsRoutes = new Hono<ConsoleEnv>()
  .get("/admin/settings", (c) => settingsPage(c))
  .post("/admin/settings/admins", async (c) => {
    const input = EmailForm.safeParse({ email: text((await form(c)).email) });
    if (!input.success) return settingsPage(c, { email: input.error.issues[0]?.message ?? "expected a sign-in name" }, 400);
    const added = await c
      .get("registry")
      .addConsoleAdmin(c.get("tenant").id, input.data.email, c.get("consoleAdmin").upn || c.get("consoleAdmin").userId);
    if (!added) return settingsPage(c, { email: `${input.data.email} is already a console admin` }, 400);
    audited(c, { action: "console_admin.add", outcome: "ok", after: { email: input.data.email } });
    return back(c, "/admin/settings", "admin-added");
  })
  .post("/admin/settings/admins/remove", async (c) => {
    const email = text((await form(c)).email).toLowerCase();
    const tenant = c.get("tenant");
    const mine = (await c.get("registry").consoleAdminByUserId(tenant.id, c.get("consoleAdmin").userId))?.email === email;
    const result = await c.get("registry").removeConsoleAdmin(tenant.id, email);
    if (result === "last") {
      audited(c, { action: "console_admin.remove", outcome: "refused", before: { email } });
      return settingsPage(c, { email: "The last console admin cannot be removed; add another first" }, 400);
    }
    if (result === "missing") return settingsPage(c, { email: `${email || "That name"} is not a console admin` }, 400);
    audited(c, { action: "console_admin.remove", outcome: "ok", before: { email } });
    if (mine) return signOut(c);
    return back(c, "/admin/settings", "admin-removed");
  })
  .post("/admin/settings/entra-roles", async (c) => {
    const admit = text((await form(c)).admit) === "on";
    await c.get("registry").setConsoleAdminRoles(c.get("tenant").id, admit);
    const before = { consoleAdminRoles: c.get("tenant").consoleAdminRoles };
    audited(c, { action: "console_admin_roles.set", outcome: "ok", before, after: { consoleAdminRoles: admit } });
    c.get("tenantCache").invalidate(c.get("tenant").slug);
    return back(c, "/admin/settings", admit ? "roles-on" : "roles-off");
  })
  .post("/admin/settings/admin-key", async (c) => render(c, "settings", "New admin key", adminKeyBody(await rotateAdminKey(deps(c)))))
  .post("/admin/settings/suspend", (c) => setStatus(c, "suspended"))
  .post("/admin/settings/resume", (c) => setStatus(c, "active"))
  .post("/admin/settings/delete", async (c) => {
    const confirm = text((await form(c)).confirm).trim();
    try {
      const purged = await deleteTenant(deps(c), confirm);
      deleteCookie(c, SESSION_COOKIE, COOKIE_OPTIONS);
      const orgName = c.get("tenant").displayName;
      return c.html(page(`${orgName} was deleted`, goodbyeBody(orgName, purged.body.deleted)), 200, consolePageHeaders());
    } catch (error) {
      if (error instanceof ApiError && error.code === "confirmation_mismatch") {
        return settingsPage(c, { confirm: `Type ${c.get("tenant").slug} exactly to delete this organization` }, 400);
      }
      if (error instanceof ApiError && error.code === "suspended_by_operator") return settingsPage(c, { status: error.message }, 403);
      throw error;
    }
  })
  .post("/admin/sign-out", (c) => signOut(c));
