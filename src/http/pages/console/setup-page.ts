import { html } from "hono/html";
import { csrfField } from "./layout";
import type { VerifyItem, VerifyStatus } from "../../tenant-admin-verify";
import { copyable, fieldError, invalidAttributes, stateBadge, timeOf, type ItemState } from "./parts";

/**
 * @module The console's Setup checklist: each item's state in words, and for
 * anything not done, exactly what to do in the Entra admin center.
 */

export interface SetupFacts {
  csrfToken: string;
  redirectUri: string;
  mcpUrl: string;
  adminConsentUrl: string;
  permissions: readonly string[];
  /** The result of "Check now", in this response only. */
  credentialCheck?: { ok: true } | { ok: false; message: string };
  secretDaysLeft?: number;
  /** How the gateway signs in to the app; with a certificate, the active one's days left (undefined: none). */
  credential?: { kind: "secret" } | { kind: "certificate"; daysLeft: number | undefined };
  adminConsentAt: Date | null;
  /** The newest alert saying a sign-in needed an admin's consent. */
  consentAlertAt?: Date;
  signedInUsers: number;
  consoleSignIns: number;
  /** Why the expiry date just sent was refused. */
  expiryError?: string;
  /** The "Verify setup" report, in this response only. */
  verifyReport?: VerifyItem[];
}

function item(title: string, state: ItemState, body: unknown) {
  return html`<li class="console-item">
    <h2>${title} ${stateBadge(state)}</h2>
    ${body}
  </li>`;
}

function credentialsItem(facts: SetupFacts) {
  const check = facts.credentialCheck;
  const state: ItemState = !check ? "unsure" : check.ok ? "done" : "todo";
  const certificate = facts.credential?.kind === "certificate";
  const what = certificate ? "client ID and the certificate" : "client ID and secret";
  const fix = certificate
    ? html`<p>
        Upload the gateway's active certificate to the app (App registrations → your app → Certificates &amp; secrets → Certificates →
        Upload certificate); download it from the <a href="/admin/credentials">Credentials</a> page.
      </p>`
    : html`<p>
        Create a new secret in the Entra admin center (App registrations → your app → Certificates &amp; secrets → New client secret) and
        enter its Value on the <a href="/admin/credentials">Credentials</a> page.
      </p>`;
  const said = !check
    ? html`<p>Ask Microsoft now whether the ${what} the gateway holds still work.</p>`
    : check.ok
      ? html`<p>Microsoft accepted the gateway's ${what} just now.</p>`
      : html`<p>${check.message}</p>
          ${fix}`;
  return item(
    "Credentials verified",
    state,
    html`${said}
      <form method="post" action="/admin/check-credentials" data-busy="Checking with Microsoft…">
        ${csrfField(facts.csrfToken)}
        <button type="submit" class="secondary">Check now</button>
      </form>`,
  );
}

/** With a certificate: the active certificate's expiry, renewed on the Credentials page. */
function certificateExpiryItem(daysLeft: number | undefined) {
  const renew = html`Generate a new one on the <a href="/admin/credentials">Credentials</a> page, upload it, then verify and use it.`;
  if (daysLeft === undefined) return item("Certificate expiry", "todo", html`<p>The gateway has no active certificate. ${renew}</p>`);
  if (daysLeft < 0) return item("Certificate expiry", "todo", html`<p>The certificate has expired: nobody can sign in. ${renew}</p>`);
  const text = `The certificate expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"}.`;
  return daysLeft < 30
    ? item("Certificate expiry", "todo", html`<p>${text} ${renew}</p>`)
    : item("Certificate expiry", "done", html`<p>${text}</p>`);
}

function expiryItem(days: number | undefined, facts: SetupFacts) {
  if (facts.credential?.kind === "certificate") return certificateExpiryItem(facts.credential.daysLeft);
  if (days === undefined) {
    return item(
      "Client secret expiry",
      "unsure",
      html`<p>
          No expiry date is recorded, so the gateway cannot warn you before the secret stops working. Entra shows it under App registrations
          → your app → Certificates &amp; secrets → Expires.
        </p>
        <form method="post" action="/admin/secret-expiry" class="console-form">
          ${csrfField(facts.csrfToken)}
          <label for="setup-expiry">The current secret expires on</label>
          <input
            type="date"
            id="setup-expiry"
            name="clientSecretExpiresAt"
            required
            ${invalidAttributes("setup-expiry", facts.expiryError)}
          />
          ${fieldError("setup-expiry", facts.expiryError)}
          <button type="submit" class="secondary">Save the date</button>
        </form>`,
    );
  }
  if (days < 0) {
    return item(
      "Client secret expiry",
      "todo",
      html`<p>
        The client secret has expired: nobody can sign in. Set a new one on the <a href="/admin/credentials">Credentials</a> page.
      </p>`,
    );
  }
  const text = `The client secret expires in ${days} day${days === 1 ? "" : "s"}.`;
  return days < 30
    ? item(
        "Client secret expiry",
        "todo",
        html`<p>${text} Create a new one in Entra and set it on the <a href="/admin/credentials">Credentials</a> page before then.</p>`,
      )
    : item("Client secret expiry", "done", html`<p>${text}</p>`);
}

function consentItem(facts: SetupFacts) {
  const stale = facts.adminConsentAt && facts.consentAlertAt && facts.consentAlertAt > facts.adminConsentAt;
  const granted = facts.adminConsentAt && !stale;
  const how = html`<p>
      An administrator (Global, Privileged Role or Cloud Application Administrator) grants these permissions once for everyone:
    </p>
    <p><a class="button" href="${facts.adminConsentUrl}">Grant admin consent in Microsoft Entra</a></p>
    <details>
      <summary>The permissions asked for</summary>
      ${copyable("setup-permissions", facts.permissions.join(" "), "permissions")}
    </details>`;
  if (granted && facts.adminConsentAt) {
    return item("Admin consent granted", "done", html`<p>Granted on ${timeOf(facts.adminConsentAt)}.</p>`);
  }
  return item(
    "Admin consent granted",
    "todo",
    html`${
      stale && facts.consentAlertAt
        ? html`<p>
            A sign-in needed an administrator's consent on ${timeOf(facts.consentAlertAt)}, after consent was last granted (the policy may
            have added permissions).
          </p>`
        : html`<p>No administrator has granted consent through the gateway's link yet.</p>`
    }
    ${how}`,
  );
}

function redirectItem(facts: SetupFacts) {
  if (facts.signedInUsers + facts.consoleSignIns > 0) {
    return item("Redirect URI registered", "done", html`<p>Sign-ins come back to the gateway, so Entra knows its redirect URI.</p>`);
  }
  return item(
    "Redirect URI registered",
    "unsure",
    html`<p>
        Nobody has signed in through the gateway yet, so it cannot tell whether Entra knows this address. In the Entra admin center open App
        registrations → your app → Authentication → Platform configurations → Web → Redirect URIs, and add:
      </p>
      ${copyable("setup-redirect", facts.redirectUri, "redirect URI")}
      <p>If users see AADSTS50011 ("The redirect URI … does not match") at Microsoft, this is why.</p>`,
  );
}

function usersItem(facts: SetupFacts) {
  if (facts.signedInUsers > 0) {
    return item(
      "First user connected",
      "done",
      html`<p>${facts.signedInUsers} user${facts.signedInUsers === 1 ? " has" : "s have"} connected an AI client.</p>`,
    );
  }
  return item(
    "First user connected",
    "todo",
    html`<p>
        Nobody has connected yet. Give your users this MCP server URL, and the <a href="/">connect page</a> with the steps for each client:
      </p>
      ${copyable("setup-mcp", facts.mcpUrl, "MCP URL")}`,
  );
}

const VERIFY_STATES: Record<VerifyStatus, ItemState> = { ok: "done", problem: "todo", unknown: "unsure" };

const VERIFY_TITLES: Record<VerifyItem["id"], string> = {
  credentials: "Credentials accepted by Entra",
  secret_expiry: "Client secret expiry",
  certificate_expiry: "Certificate expiry",
  admin_consent: "Admin consent",
  redirect_uri: "Redirect URI registered",
  first_user: "First user connected",
};

/** The "Verify setup" action, and its report (item by item, each with its fix) once run. */
function verifySection(facts: SetupFacts) {
  const report = facts.verifyReport;
  return html`<section aria-labelledby="verify-heading">
    <h2 id="verify-heading">Verify setup</h2>
    <p>Checks every item below at once, asking Microsoft whether the credentials work now.</p>
    <form method="post" action="/admin/verify" data-busy="Verifying…">
      ${csrfField(facts.csrfToken)}
      <button type="submit">Verify setup</button>
    </form>
    <p>
      Admin consent is checked with a test sign-in: you sign in to Microsoft asking for exactly the permissions your users' sign-ins ask
      for, and the gateway compares what Microsoft granted with what the enabled tool groups need. It keeps only the list of permissions.
    </p>
    <form method="post" action="/admin/verify/sign-in">
      ${csrfField(facts.csrfToken)}
      <button type="submit" class="secondary">Test sign-in with the users' permissions</button>
    </form>
    ${
      report
        ? html`<ol class="console-checklist" aria-label="Verification report">
            ${report.map(
              (entry) =>
                html`<li class="console-item">
                  <h3>${VERIFY_TITLES[entry.id]} ${stateBadge(VERIFY_STATES[entry.status])}</h3>
                  <p>${entry.summary}</p>
                  ${entry.fix ? html`<p class="verify-fix">Fix: ${entry.fix}</p>` : ""}
                </li>`,
            )}
          </ol>`
        : ""
    }
  </section>`;
}

export function setupBody(facts: SetupFacts, flash: unknown) {
  return html`<h1>Setup</h1>
    ${flash} ${verifySection(facts)}
    <ol class="console-checklist">
      ${credentialsItem(facts)} ${expiryItem(facts.secretDaysLeft, facts)} ${consentItem(facts)} ${redirectItem(facts)} ${usersItem(facts)}
    </ol>`;
}
