import { html } from "hono/html";
import type { ConnectedClient, UserAccess } from "../../../oauth/connected-client";
import { consolePage, csrfField, type ConsolePageContext } from "./layout";

/**
 * @module The admin console's Users page: who connected which AI clients,
 * where each client's access goes, when it was connected and last used, a
 * Disconnect button per client and, behind a confirmation, "Revoke all
 * access and wipe data" per user. A pure function of the data: every name
 * and id is escaped by hono's `html` template, and the only message words
 * are the page's own, picked by a fixed key.
 */

/** What a finished action reports, chosen by the `done` query value after the redirect. */
export const USERS_FLASH = {
  disconnected: "The client is disconnected: its tokens no longer work, and the user must sign in again from it.",
  revoked: "All of that user's access is revoked and the gateway's data for them is wiped. They must sign in again to connect.",
  gone: "That user or client was already gone; nothing changed.",
} as const;

export type UsersFlash = keyof typeof USERS_FLASH;

export interface UsersPageView {
  users: readonly UserAccess[];
  /** The query value for the next page's link, when there is one. */
  nextCursor: string | undefined;
  /** The org's MCP server URL, shown when nobody has connected yet. */
  mcpUrl: string;
  flash?: UsersFlash;
  /** A user whose "revoke all" form came back without its confirmation ticked. */
  confirmMissingFor?: string;
  /** One user's page (`/admin/users/:userId`): a link back to everyone instead of paging. */
  single?: boolean;
}

/** A time as the admin reads it, in UTC, with the exact instant for machines. */
function when(date: Date) {
  const shown = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return html`<time datetime="${date.toISOString()}">${shown}</time>`;
}

function userName(user: UserAccess): string {
  return user.displayName || user.upn || user.userId;
}

/** The client's name, marked as the consent page marks it: unverified unless a domain vouches for it. */
function clientName(client: ConnectedClient) {
  return client.verifiedDomain
    ? html`<strong>${client.clientName}</strong> <span class="hint">published by ${client.verifiedDomain}</span>`
    : html`<strong>${client.clientName}</strong> <span class="badge">Unverified name</span>`;
}

function clientItem(user: UserAccess, client: ConnectedClient, csrfToken: string) {
  const action = `/admin/users/${encodeURIComponent(user.userId)}/clients/${encodeURIComponent(client.grantId)}/disconnect`;
  return html`<li class="client">
    <p>${clientName(client)}</p>
    <dl class="facts">
      <dt>Access goes to</dt>
      <dd>${client.redirect.local ? html`<span class="error">${client.redirect.label}</span>` : client.redirect.label}</dd>
      <dt>Connected</dt>
      <dd>${when(client.connectedAt)}</dd>
      <dt>Last used</dt>
      <dd>${client.lastUsedAt ? html`${when(client.lastUsedAt)} <span class="hint">(to within an hour)</span>` : "Not used yet"}</dd>
    </dl>
    <form method="post" action="${action}" data-busy="Disconnecting…">
      ${csrfField(csrfToken)}
      <button type="submit" class="secondary">
        Disconnect<span class="visually-hidden"> ${client.clientName} from ${userName(user)}</span>
      </button>
    </form>
  </li>`;
}

/** The per-user "revoke all" form, behind a disclosure and a required confirmation. */
function revokeAll(user: UserAccess, index: number, csrfToken: string, confirmMissing: boolean) {
  const name = userName(user);
  const box = `confirm-${index}`;
  const problem = `confirm-${index}-error`;
  return html`<details id="revoke-${index}" ${confirmMissing ? "open" : ""}>
    <summary>Revoke all access and wipe data</summary>
    <form method="post" action="/admin/users/${encodeURIComponent(user.userId)}/revoke" data-busy="Revoking…">
      ${csrfField(csrfToken)}
      <p>
        This disconnects every AI client of ${name} and deletes what the gateway keeps for them: their Microsoft 365 sign-in held by the
        gateway and their place in this list. Their mailbox, files and Microsoft account are not touched. To use any client again they must
        sign in again.
      </p>
      <label class="check" for="${box}">
        <input
          type="checkbox"
          id="${box}"
          name="confirm"
          value="yes"
          required
          ${confirmMissing ? html`aria-invalid="true" aria-describedby="${problem}"` : ""}
        />
        I understand that ${name} loses access until they sign in again
      </label>
      ${confirmMissing ? html`<p class="error" id="${problem}">Tick this box to confirm, then revoke again.</p>` : ""}
      <button type="submit">Revoke all access and wipe data<span class="visually-hidden"> for ${name}</span></button>
    </form>
  </details>`;
}

function userSection(user: UserAccess, index: number, view: UsersPageView, csrfToken: string) {
  return html`<section class="user-card" aria-labelledby="user-${index}">
    <h2 id="user-${index}">${userName(user)}</h2>
    <dl class="facts">
      <dt>Sign-in name</dt>
      <dd>${user.upn ?? "not known"}</dd>
      <dt>Last sign-in</dt>
      <dd>${when(user.lastSignInAt)}</dd>
    </dl>
    <h3>Connected clients</h3>
    ${
      user.clients.length === 0
        ? html`<p>No client is connected now.</p>`
        : html`<ul class="client-list">
            ${user.clients.map((client) => clientItem(user, client, csrfToken))}
          </ul>`
    }
    ${revokeAll(user, index, csrfToken, view.confirmMissingFor === user.userId)}
  </section>`;
}

export function usersPage(view: UsersPageView, context: Omit<ConsolePageContext, "current">) {
  const body = html`<h1>Users</h1>
    ${view.flash ? html`<p class="notice" role="status">${USERS_FLASH[view.flash]}</p>` : ""}
    ${
      view.users.length === 0
        ? html`<h2>Nobody has connected yet</h2>
            <p>People connect by adding this MCP server URL to their AI client and signing in with their Microsoft account:</p>
            <pre>${view.mcpUrl}</pre>`
        : html`${view.single ? "" : html`<p>Everyone who connected an AI client, the latest sign-in first.</p>`}
          ${view.users.map((user, index) => userSection(user, index, view, context.csrfToken))}
          ${view.nextCursor ? html`<p><a href="/admin/users?cursor=${encodeURIComponent(view.nextCursor)}">Next page of users</a></p>` : ""}`
    }
    ${view.single ? html`<p><a href="/admin/users">All users</a></p>` : ""}`;
  return consolePage("Users", body, { ...context, current: "users" });
}
