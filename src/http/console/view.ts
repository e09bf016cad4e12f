import type { Context } from "hono";
import { consolePage, type ConsoleSection } from "../pages/console/layout";
import { flashNote } from "../pages/console/parts";
import type { AdminActionDeps } from "../tenant-admin-actions";
import { personActor, type EventParty } from "../../audit/events";
import { auditOf, partyOf } from "../audit";
import type { ConsoleEnv } from "./context";
import { consolePageHeaders } from "./respond";

/**
 * @module What the console's routes share: rendering a page in the console's
 * shell, the fixed notes shown after a change (POST, then redirect with
 * `?done=<key>`), reading a posted form, and the admin actions' dependencies.
 */

/** Notes after a change, chosen by a fixed key: the query never puts text on the page. */
export const FLASH = {
  "policy-saved": "Policy saved. Users' AI clients see the change on their next tools list.",
  "expiry-saved": "Expiry date saved. The gateway warns you 30 days before it.",
  "secret-saved": "Microsoft accepted the new client secret; it replaces the previous one.",
  "admin-added": "Console admin added. They can sign in now.",
  "admin-removed": "Console admin removed.",
  "roles-on": "Entra administrators are admitted now.",
  "roles-off": "Entra administrators are no longer admitted (unless listed).",
  suspended: "The organization is suspended.",
  resumed: "The organization is active again.",
  "stream-removed": "Streaming stopped. The audit trail is still kept and can be exported.",
  "notices-removed": "Webhook removed. Alerts are still shown here and on the admin API.",
  "certificate-generated": "Certificate generated. Download it, upload it to your app in Entra, then verify it here.",
  "certificate-verified": "Microsoft accepted the certificate.",
  "certificate-promoted":
    "The gateway now signs in with this certificate. Remove the previous certificate (if any) from your app in Entra.",
  "secret-deleted": "The gateway no longer holds the client secret. Delete it from your app in Entra too.",
  "secret-in-use": "Microsoft accepted the client secret; the gateway signs in with it again.",
} as const;

export function flashOf(c: Context<ConsoleEnv>) {
  const key = c.req.query("done");
  return flashNote(key && Object.hasOwn(FLASH, key) ? FLASH[key as keyof typeof FLASH] : undefined);
}

export function render(
  c: Context<ConsoleEnv>,
  current: ConsoleSection,
  title: string,
  body: Parameters<typeof consolePage>[1],
  status: 200 | 400 | 403 | 404 | 422 | 502 = 200,
) {
  const admin = c.get("consoleAdmin");
  const context = { orgName: c.get("tenant").displayName, adminName: admin.name || admin.upn, csrfToken: c.get("csrfToken"), current };
  return c.html(consolePage(title, body, context), status, consolePageHeaders());
}

/** The signed-in console admin as an audit event's party. */
export function consoleParty(c: Context<ConsoleEnv>): EventParty {
  const admin = c.get("consoleAdmin");
  return partyOf(c, c.get("tenant").id, personActor("console_admin", admin.userId, admin.upn));
}

export function deps(c: Context<ConsoleEnv>): AdminActionDeps {
  const audit = { recorder: auditOf(c), party: consoleParty(c) };
  return {
    config: c.get("config"),
    registry: c.get("registry"),
    tenantCache: c.get("tenantCache"),
    env: c.env,
    tenant: c.get("tenant"),
    audit,
  };
}

export async function form(c: Context<ConsoleEnv>) {
  return c.req.parseBody({ all: true });
}

export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return typeof value === "string" ? [value] : [];
}

export const back = (c: Context<ConsoleEnv>, path: string, done: keyof typeof FLASH) => c.redirect(`${path}?done=${done}`, 303);
