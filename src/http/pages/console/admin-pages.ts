import { html } from "hono/html";
import { CONSOLE_ADMIN_ROLES } from "../../../entra/admin-roles";
import type { AlertKind } from "../../../tenancy/schema";
import { csrfField } from "./layout";
import { copyable, fieldError, invalidAttributes, timeOf } from "./parts";

/** @module The console's Credentials and Organization pages, the alert kinds in words, and the pages after a key rotation or a deletion. */

export function credentialsBody(input: {
  csrfToken: string;
  secretHint: string;
  expiresAt: Date | null;
  errors: { clientSecret?: string; clientSecretExpiresAt?: string };
  flash: unknown;
  /** The certificate credentials' part of the page (credentials-page.ts). */
  certificates?: unknown;
}) {
  const { errors } = input;
  return html`<h1>Credentials</h1>
    ${input.flash}
    ${
      input.secretHint
        ? html`<p>
            The gateway holds a client secret starting with
            <code>${input.secretHint}…</code>${input.expiresAt ? html`, expiring ${timeOf(input.expiresAt)}` : ""}.
          </p>`
        : ""
    }
    <h2>Rotate the client secret</h2>
    <p>
      Create a new secret in the Entra admin center (App registrations → your app → Certificates &amp; secrets → New client secret) and
      paste its <strong>Value</strong>. Microsoft checks it before it replaces the current one; if it is refused, the current secret stays.
    </p>
    <form method="post" action="/admin/credentials" class="console-form" data-busy="Checking with Microsoft…">
      ${csrfField(input.csrfToken)}
      <label for="credentials-secret">New client secret (Value)</label>
      <input
        type="password"
        id="credentials-secret"
        name="clientSecret"
        required
        autocomplete="off"
        ${invalidAttributes("credentials-secret", errors.clientSecret)}
      />
      ${fieldError("credentials-secret", errors.clientSecret)}
      <label for="credentials-expiry"
        >Expires on <span class="hint">(optional, as Entra shows it; the gateway warns you 30 days before)</span></label
      >
      <input
        type="date"
        id="credentials-expiry"
        name="clientSecretExpiresAt"
        ${invalidAttributes("credentials-expiry", errors.clientSecretExpiresAt)}
      />
      ${fieldError("credentials-expiry", errors.clientSecretExpiresAt)}
      <button type="submit">Check and save</button>
    </form>
    ${input.certificates ?? ""}`;
}

/** Each alert kind as a heading on the Alerts page (alerts-page.ts). */
export const ALERT_WORDS: Record<AlertKind, string> = {
  secret_expiring: "Client secret expiring",
  certificate_expiring: "Certificate expiring",
  admin_consent_required: "A sign-in needed an administrator's consent",
  entra_app_rejected: "Microsoft refused the organization's app",
  entra_unavailable: "Microsoft Entra ID did not answer",
  audit_stream_failing: "The audit stream's endpoint keeps failing",
};

export interface SettingsInput {
  csrfToken: string;
  slug: string;
  host: string;
  signedInUserId: string;
  admins: readonly { email: string; userId: string | null; addedBy: string | null; lastSignInAt: Date | null }[];
  consoleAdminRoles: boolean;
  status: "active" | "suspended" | "deleting";
  suspendedByOperator: boolean;
  errors: { email?: string; confirm?: string; status?: string };
  flash: unknown;
}

function adminsSection(input: SettingsInput) {
  return html`<h2>Console admins</h2>
    <ul class="console-admins">
      ${input.admins.map(
        (admin) =>
          html`<li>
            <strong>${admin.email}</strong>${admin.userId === input.signedInUserId ? " (you)" : ""}
            <span class="hint"
              >${admin.userId ? "bound to its Microsoft account" : "not signed in yet"} · added by
              ${admin.addedBy ?? "signup"}${admin.lastSignInAt ? html` · last sign-in ${timeOf(admin.lastSignInAt)}` : ""}</span
            >
            ${
              input.admins.length > 1
                ? html`<form method="post" action="/admin/settings/admins/remove" class="console-inline">
                    ${csrfField(input.csrfToken)}<input type="hidden" name="email" value="${admin.email}" />
                    <button type="submit" class="secondary">Remove<span class="visually-hidden"> ${admin.email}</span></button>
                  </form>`
                : ""
            }
          </li>`,
      )}
    </ul>
    <form method="post" action="/admin/settings/admins" class="console-form">
      ${csrfField(input.csrfToken)}
      <label for="settings-email"
        >Add a console admin <span class="hint">(their Microsoft sign-in name, such as alex@contoso.com)</span></label
      >
      <input
        type="email"
        id="settings-email"
        name="email"
        required
        autocomplete="off"
        ${invalidAttributes("settings-email", input.errors.email)}
      />
      ${fieldError("settings-email", input.errors.email)}
      <button type="submit">Add</button>
    </form>
    <h3>Entra administrators</h3>
    <p>
      When this is on, anyone holding one of these Entra roles may enter too: ${CONSOLE_ADMIN_ROLES.map((role) => role.name).join(", ")}.
      Microsoft only tells the gateway about roles if the app's manifest sets <code>groupMembershipClaims</code> to
      <code>"DirectoryRole"</code> or <code>"All"</code> (App registrations → your app → Manifest, or Token configuration → Add groups claim
      → Directory roles).
    </p>
    <form method="post" action="/admin/settings/entra-roles" class="console-form">
      ${csrfField(input.csrfToken)}
      <input type="hidden" name="admit" value="${input.consoleAdminRoles ? "off" : "on"}" />
      <p>Currently <strong>${input.consoleAdminRoles ? "on" : "off"}</strong>.</p>
      <button type="submit" class="secondary">
        ${input.consoleAdminRoles ? "Stop admitting Entra administrators" : "Admit Entra administrators"}
      </button>
    </form>`;
}

function statusSection(input: SettingsInput) {
  if (input.suspendedByOperator) {
    return html`<h2>Status</h2>
      <p class="warning">The gateway's operator suspended this organization; only they can resume or delete it.</p>`;
  }
  const suspended = input.status === "suspended";
  return html`<h2>Status</h2>
    <p>${suspended ? "Suspended: users' AI clients are refused until you resume." : "Active: users can connect."}</p>
    ${input.errors.status ? html`<p class="error">${input.errors.status}</p>` : ""}
    <form method="post" action="/admin/settings/${suspended ? "resume" : "suspend"}" class="console-form">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">${suspended ? "Resume the organization" : "Suspend the organization"}</button>
    </form>`;
}

export function settingsBody(input: SettingsInput) {
  return html`<h1>Organization</h1>
    ${input.flash} ${adminsSection(input)}
    <h2>Admin key</h2>
    <p>Scripts manage the organization through <code>/api/admin</code> with the admin key. A new key replaces the current one at once.</p>
    <form method="post" action="/admin/settings/admin-key" class="console-form">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary">Issue a new admin key</button>
    </form>
    ${statusSection(input)}
    ${
      input.suspendedByOperator
        ? ""
        : html`<h2>Delete the organization</h2>
            <p>Deletes every user's connection, every setting and the address ${input.host}. This cannot be undone.</p>
            <form method="post" action="/admin/settings/delete" class="console-form">
              ${csrfField(input.csrfToken)}
              <label for="settings-confirm">Type <code>${input.slug}</code> to confirm</label>
              <input
                id="settings-confirm"
                name="confirm"
                required
                autocomplete="off"
                ${invalidAttributes("settings-confirm", input.errors.confirm)}
              />
              ${fieldError("settings-confirm", input.errors.confirm)}
              <button type="submit" class="danger">Delete ${input.slug}</button>
            </form>`
    }`;
}

export function adminKeyBody(adminKey: string) {
  return html`<h1>New admin key</h1>
    <p class="warning">Shown only once. The previous key no longer works; store this one now.</p>
    ${copyable("new-admin-key", adminKey, "admin key")}
    <p><a href="#" data-download="admin-key.txt" data-from="new-admin-key" hidden>Download as a file</a></p>
    <p><a href="/admin/settings">Back to Organization</a></p>`;
}

export function goodbyeBody(orgName: string, complete: boolean) {
  return html`<h1>${orgName} was deleted</h1>
    <p>
      ${complete ? "Everything the gateway held for it is gone." : "Its address is gone; what remains is being removed in the background."}
      You may now delete the app registration in the Entra admin center.
    </p>`;
}
