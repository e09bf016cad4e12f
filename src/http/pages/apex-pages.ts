import { html } from "hono/html";
import { page } from "./layout";

/** @module The apex landing page and the signup form (which posts JSON to /api/signup). */

export function landingPage(apexOrigin: string) {
  return page(
    "Microsoft 365 MCP gateway",
    html`<h1>Microsoft 365 for your AI clients</h1>
      <p>
        Give everyone in your organization a Microsoft 365 MCP server (mail, calendar, contacts, Teams, files and tasks) that signs in
        through <strong>your own</strong> Microsoft Entra app.
      </p>
      <p><a href="/signup">Set up your organization</a> · <a href="/health">Service health</a></p>
      <p class="hint">
        Each organization gets its own address, for example <code>${apexOrigin.replace("://", "://your-org.")}/mcp</code>.
      </p>`,
  );
}

const FIELDS = [
  { name: "orgName", label: "Organization name", hint: "Shown to your users on the consent page", type: "text" },
  { name: "slug", label: "Address", hint: "Your users connect to https://<address>.<this host>/mcp", type: "text" },
  { name: "entraTenantId", label: "Directory (tenant) ID", hint: "A GUID, from the app registration's Overview", type: "text" },
  { name: "clientId", label: "Application (client) ID", hint: "A GUID, from the same Overview", type: "text" },
  {
    name: "clientSecret",
    label: "Client secret value",
    hint: "Certificates & secrets → the secret's Value (never shown again)",
    type: "password",
  },
  { name: "clientSecretExpiresAt", label: "Secret expiry date (optional)", hint: "So we can warn you before it expires", type: "date" },
  { name: "adminEmail", label: "Admin email", hint: "Where we send secret-expiry and outage notices", type: "email" },
] as const;

export function signupPage() {
  return page(
    "Set up your organization",
    html`<h1>Set up your organization</h1>
      <p>
        Register an app in Microsoft Entra ID (App registrations → New registration, single tenant), create a client secret, then fill in:
      </p>
      <form id="signup" novalidate>
        ${FIELDS.map(
          (field) =>
            html`<label for="${field.name}">${field.label} <span class="hint">${field.hint}</span></label>
              <input id="${field.name}" name="${field.name}" type="${field.type}" autocomplete="off" />
              <div class="error" data-error-for="${field.name}"></div>`,
        )}
        <button type="submit">Create</button>
        <p class="error" id="form-error"></p>
      </form>
      <section id="result" hidden>
        <h2>Your gateway is ready</h2>
        <p>Admin key (shown once; store it now):</p>
        <pre id="admin-key"></pre>
        <p>Next steps:</p>
        <ol id="next-steps"></ol>
        <p>Everything, as JSON:</p>
        <pre id="result-json"></pre>
      </section>
      <script src="/assets/signup.js"></script>`,
  );
}

/** Posts the form as JSON and shows per-field errors next to their inputs. */
export const SIGNUP_SCRIPT = `
const form = document.getElementById("signup");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  for (const el of document.querySelectorAll("[data-error-for]")) el.textContent = "";
  document.getElementById("form-error").textContent = "";
  const body = {};
  for (const [key, value] of new FormData(form)) if (value !== "") body[key] = value;
  const response = await fetch("/api/signup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({ message: "Unexpected response" }));
  if (!response.ok) {
    for (const issue of data.issues || []) {
      const slot = document.querySelector('[data-error-for="' + CSS.escape(issue.field) + '"]');
      if (slot) slot.textContent = issue.message;
    }
    document.getElementById("form-error").textContent = data.message || "Signup failed";
    return;
  }
  form.hidden = true;
  document.getElementById("admin-key").textContent = data.adminKey;
  const steps = document.getElementById("next-steps");
  for (const step of data.nextSteps) { const li = document.createElement("li"); li.textContent = step; steps.append(li); }
  document.getElementById("result-json").textContent = JSON.stringify(data, null, 2);
  document.getElementById("result").hidden = false;
});
`;
