import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { delegatedPermissions } from "../../graph/tool-groups";
import { DEFAULT_POLICY } from "../../tenancy/policy";
import { SLUG_RULE } from "../../tenancy/slug";
import type { FieldIssue } from "../errors";
import { page } from "./layout";
import { SIGNUP_JS_URL } from "./signup-script";
import { CLOUD_NAMES, CLOUDS } from "../../tenancy/clouds";

/**
 * @module The signup page: four steps on one page (register the Entra app,
 * the organization, the credentials Microsoft checks, finish), a form that
 * posts without JavaScript and comes back with each problem at its field and
 * a summary that links to them. The result page that replaces it is
 * in signup-result-page.ts.
 */

/** What the form shows again: what was typed, never the secret. */
export type SignupValues = Partial<Record<string, string>>;

export interface SignupPageInput {
  apexUrl: URL;
  inviteRequired: boolean;
  values: SignupValues;
  /** Problems by field; a field of "" is about the whole form. */
  issues: FieldIssue[];
  /** The form came back after a post: the secret field is empty on purpose. */
  secretCleared?: boolean;
}

const SLUG_PLACEHOLDER = "your-address";
const GUID_PATTERN = "[0-9A-Fa-f]{8}\\-[0-9A-Fa-f]{4}\\-[0-9A-Fa-f]{4}\\-[0-9A-Fa-f]{4}\\-[0-9A-Fa-f]{12}";

interface FieldSpec {
  name: string;
  label: string;
  hint: (address: AddressParts) => HtmlEscapedString | Promise<HtmlEscapedString>;
  type: "text" | "email" | "password" | "date";
  required: boolean;
  /** What to enter, said when the field is empty (in the browser, before any post). */
  missing: string;
  /** What was expected, said when the browser finds the value malformed. */
  invalid: string;
  attributes: Record<string, string>;
}

/** The address preview's pieces: `https://` + the slug + `.` + the apex host. */
interface AddressParts {
  scheme: string;
  host: string;
  slug: string;
}

/** A URL on the org's host whose slug part the signup script rewrites as the address is typed. */
function previewUrl(address: AddressParts, path: string, id?: string) {
  return html`<code ${id ? html`id="${id}"` : ""}
    >${address.scheme}<span data-slug-preview>${address.slug}</span>.${address.host}${path}</code
  >`;
}

const ORGANIZATION_FIELDS: FieldSpec[] = [
  {
    name: "orgName",
    label: "Organization name",
    hint: () => html`Your users see it when they connect an AI client.`,
    type: "text",
    required: true,
    missing: "Enter your organization's name",
    invalid: "Enter 2 to 100 characters",
    attributes: { autocomplete: "organization", maxlength: "100", minlength: "2" },
  },
  {
    name: "slug",
    label: "Address",
    hint: () => html`${SLUG_RULE}.`,
    type: "text",
    required: true,
    missing: `Choose an address: ${SLUG_RULE}`,
    invalid: `expected ${SLUG_RULE}`,
    attributes: {
      autocomplete: "off",
      autocapitalize: "none",
      spellcheck: "false",
      maxlength: "63",
      pattern: "[A-Za-z0-9][A-Za-z0-9\\-]{1,61}[A-Za-z0-9]",
    },
  },
  {
    name: "adminEmail",
    label: "Your work account",
    hint: (address) =>
      html`The first administrator of your organization's admin console: the email address or user name you sign in to Microsoft 365 with.
      You will sign in with it at ${previewUrl(address, "/admin")}. No email is sent to it.`,
    type: "email",
    required: true,
    missing: "Enter the email address or user name of your work account, like it@contoso.com",
    invalid: "expected an email address or user name (UPN) like it@contoso.com",
    attributes: { autocomplete: "email", maxlength: "254", spellcheck: "false" },
  },
];

const GUID_ATTRIBUTES = { autocomplete: "off", spellcheck: "false", maxlength: "36", pattern: GUID_PATTERN };

function credentialFields(inviteRequired: boolean): FieldSpec[] {
  const fields: FieldSpec[] = [
    {
      name: "entraTenantId",
      label: "Directory (tenant) ID",
      hint: () => html`On the app registration's <strong>Overview</strong> page: <strong>Directory (tenant) ID</strong>.`,
      type: "text",
      required: true,
      missing: "Enter the Directory (tenant) ID: a GUID like 00000000-0000-0000-0000-000000000000",
      invalid: "expected the Directory (tenant) ID, a GUID like 00000000-0000-0000-0000-000000000000",
      attributes: GUID_ATTRIBUTES,
    },
    {
      name: "clientId",
      label: "Application (client) ID",
      hint: () => html`On the same <strong>Overview</strong> page: <strong>Application (client) ID</strong>.`,
      type: "text",
      required: true,
      missing: "Enter the Application (client) ID: a GUID like 00000000-0000-0000-0000-000000000000",
      invalid: "expected the Application (client) ID, a GUID like 00000000-0000-0000-0000-000000000000",
      attributes: GUID_ATTRIBUTES,
    },
    {
      name: "clientSecret",
      label: "Client secret value (with a client secret)",
      hint: () =>
        html`<strong>Certificates &amp; secrets → Client secrets → New client secret</strong>, then copy the <strong>Value</strong> column,
          not the Secret ID. Microsoft shows the value only right after you create it. Leave it empty with a certificate.`,
      type: "password",
      // Needed only with a client secret: the server says so when it is missing.
      required: false,
      missing: "Enter the client secret's Value (not its Secret ID)",
      invalid: "a client secret is at most 256 characters",
      attributes: { autocomplete: "off", maxlength: "256" },
    },
    {
      name: "clientSecretExpiresAt",
      label: "Secret expiry date (optional)",
      hint: () => html`The <strong>Expires</strong> date shown beside the secret, so the gateway can warn you before it runs out.`,
      type: "date",
      required: false,
      missing: "",
      invalid: "expected a date after today, as year-month-day",
      attributes: { min: new Date().toISOString().slice(0, 10) },
    },
  ];
  if (inviteRequired) {
    fields.push({
      name: "inviteToken",
      label: "Invitation code",
      hint: () => html`Signup on this gateway is by invitation: enter the code its operator gave you.`,
      type: "text",
      required: true,
      missing: "Enter the invitation code the gateway's operator gave you",
      invalid: "at most 200 characters",
      attributes: { autocomplete: "off", maxlength: "200", spellcheck: "false" },
    });
  }
  return fields;
}

/** A message as a sentence on the page: schema messages start in lower case for the API's "field: message" lines. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function attributesOf(attributes: Record<string, string>) {
  return Object.entries(attributes).map(([name, value]) => html` ${name}="${value}"`);
}

function fieldMarkup(field: FieldSpec, input: SignupPageInput, address: AddressParts) {
  const issue = input.issues.find((candidate) => candidate.field === field.name);
  const hintId = `${field.name}-hint`;
  const errorId = `${field.name}-error`;
  const describedBy = issue ? `${errorId} ${hintId}` : hintId;
  const value = field.name === "clientSecret" ? "" : (input.values[field.name] ?? "");
  const secretNote =
    field.name === "clientSecret" && input.secretCleared
      ? html` <span class="field-note">For your safety it is never sent back to the browser: paste it again.</span>`
      : "";
  return html`<div class="field">
    <label for="${field.name}">${field.label}</label>
    <p class="hint" id="${hintId}">${field.hint(address)}${secretNote}</p>
    <p class="field-error" id="${errorId}" ${issue ? "" : "hidden"}>${issue ? sentence(issue.message) : ""}</p>
    <input
      id="${field.name}"
      name="${field.name}"
      type="${field.type}"
      value="${value}"
      ${field.required ? "required" : ""}
      aria-describedby="${describedBy}"
      ${issue ? html`aria-invalid="true"` : ""}
      data-label="${field.label}"
      data-missing="${field.missing}"
      data-invalid="${field.invalid}"
      ${attributesOf(field.attributes)}
    />
    ${field.name === "slug" ? slugPreview(address) : ""}
  </div>`;
}

/**
 * The Microsoft cloud of the organization's Entra ID: a select of the four,
 * Global chosen unless the form came back with another. Not changeable later:
 * an app in another cloud is another app.
 */
function cloudField(input: SignupPageInput) {
  const issue = input.issues.find((candidate) => candidate.field === "cloud");
  const chosen = input.values.cloud ?? "global";
  const describedBy = issue ? "cloud-error cloud-hint" : "cloud-hint";
  return html`<div class="field">
    <label for="cloud">Microsoft cloud</label>
    <p class="hint" id="cloud-hint">
      Which Microsoft cloud your organization's Entra ID is in. Most organizations, GCC included, are in Global.
    </p>
    <p class="field-error" id="cloud-error" ${issue ? "" : "hidden"}>${issue ? sentence(issue.message) : ""}</p>
    <select id="cloud" name="cloud" aria-describedby="${describedBy}" ${issue ? html`aria-invalid="true"` : ""}>
      ${CLOUDS.map((cloud) => html`<option value="${cloud}" ${cloud === chosen ? "selected" : ""}>${CLOUD_NAMES[cloud]}</option>`)}
    </select>
  </div>`;
}

/**
 * How the gateway signs in to the app: a client secret pasted here, or a
 * certificate the gateway generates (uploaded to the app after signup), each
 * explained beside its choice.
 */
function credentialChoice(input: SignupPageInput) {
  const issue = input.issues.find((candidate) => candidate.field === "credential");
  const chosen = input.values.credential === "certificate" ? "certificate" : "secret";
  const describedBy = issue ? "credential-error credential-hint" : "credential-hint";
  const option = (value: "secret" | "certificate", label: string, hint: HtmlEscapedString | Promise<HtmlEscapedString>) =>
    html`<label class="check" for="credential-${value}">
      <input
        type="radio"
        id="credential-${value}"
        name="credential"
        value="${value}"
        ${value === chosen ? "checked" : ""}
        aria-describedby="credential-${value}-hint"
      />
      <span>${label} <span class="hint" id="credential-${value}-hint">${hint}</span></span>
    </label>`;
  return html`<fieldset class="field" aria-describedby="${describedBy}" ${issue ? html`aria-invalid="true"` : ""}>
    <legend>How the gateway signs in to your app</legend>
    <p class="hint" id="credential-hint">Microsoft needs proof that requests come from your app: a secret, or a certificate.</p>
    <p class="field-error" id="credential-error" ${issue ? "" : "hidden"}>${issue ? sentence(issue.message) : ""}</p>
    ${option(
      "secret",
      "Client secret",
      html`A password you create in Entra and paste below. Simple, but it expires (at most two years) and the gateway must keep it.`,
    )}
    ${option(
      "certificate",
      "Certificate (no secret)",
      html`The gateway makes a key pair and keeps the private key sealed; you upload its certificate to the app after signup. Many security
      policies require this for production apps. Valid 12 months; you can renew it with overlap.`,
    )}
  </fieldset>`;
}

/** The live preview of the addresses the chosen slug makes, and where the availability check answers. */
function slugPreview(address: AddressParts) {
  return html`<p class="preview">Your users' MCP server URL: ${previewUrl(address, "/mcp", "mcp-url-preview")}</p>
    <p class="hint" id="slug-availability" aria-live="polite"></p>`;
}

/** The summary at the top of a refused form: each problem, linked to its field. */
function errorSummary(input: SignupPageInput, fields: FieldSpec[]) {
  if (input.issues.length === 0) return html`<div id="error-summary" class="error-summary" tabindex="-1" hidden></div>`;
  const items = input.issues.map((issue) => {
    const field = fields.find((candidate) => candidate.name === issue.field);
    return field
      ? html`<li><a href="#${field.name}">${field.label}: ${sentence(issue.message)}</a></li>`
      : html`<li>${sentence(issue.message)}</li>`;
  });
  return html`<div id="error-summary" class="error-summary" tabindex="-1" role="group" aria-labelledby="error-summary-title" autofocus>
    <h2 id="error-summary-title">There is a problem</h2>
    <ul>
      ${items}
    </ul>
  </div>`;
}

function registerAppStep(address: AddressParts) {
  const permissions = delegatedPermissions(DEFAULT_POLICY.enabledGroups, DEFAULT_POLICY.readOnly);
  return html`<section class="step" aria-labelledby="step-register">
    <h2 id="step-register">1. Register an app in Microsoft Entra ID</h2>
    <ol>
      <li>
        Sign in to the <a href="https://entra.microsoft.com">Microsoft Entra admin center</a> as at least a Cloud Application Administrator,
        then go to <strong>Identity → Applications → App registrations → New registration</strong>. In the US Government clouds use
        <a href="https://portal.azure.us">portal.azure.us</a>, in China <a href="https://portal.azure.cn">portal.azure.cn</a>.
      </li>
      <li>
        Give the app a name your users will recognise. Under <strong>Supported account types</strong>, choose
        <strong>Accounts in this organizational directory only</strong>.
      </li>
      <li>
        Under <strong>Redirect URI</strong>, choose the platform <strong>Web</strong> and enter (it follows the address you choose in step
        2):
        <div class="copy-row">
          ${previewUrl(address, "/callback", "redirect-uri-preview")}
          <button type="button" class="secondary" data-copy="redirect-uri-preview" hidden>Copy redirect URI</button>
        </div>
        Then select <strong>Register</strong>.
      </li>
      <li>
        Under <strong>API permissions → Add a permission → Microsoft Graph → Delegated permissions</strong>, add these ${permissions.length}
        permissions:
        <div class="copy-row">
          <pre id="permission-list">${permissions.join("\n")}</pre>
          <button type="button" class="secondary" data-copy="permission-list" hidden>Copy the list</button>
        </div>
      </li>
      <li>
        With a client secret: under <strong>Certificates &amp; secrets → Client secrets → New client secret</strong>, add a secret and copy
        its <strong>Value</strong> straight away. With a certificate, there is nothing to do yet: you upload the gateway's certificate after
        step 4.
      </li>
    </ol>
  </section>`;
}

export function signupPage(input: SignupPageInput) {
  const slug = input.values.slug?.trim().toLowerCase() || SLUG_PLACEHOLDER;
  const address = { scheme: `${input.apexUrl.protocol}//`, host: input.apexUrl.host, slug };
  const credentials = credentialFields(input.inviteRequired);
  const all = [...ORGANIZATION_FIELDS, ...credentials];
  return page(
    input.issues.length > 0 ? "Check your answers: set up your organization" : "Set up your organization",
    html`<h1>Set up your organization</h1>
      ${errorSummary(input, all)}
      <p>Four steps, about ten minutes. You need to be allowed to register apps in your organization's Microsoft Entra ID.</p>
      ${registerAppStep(address)}
      <form id="signup" method="post" action="/signup" data-busy="Checking with Microsoft…">
        <fieldset class="step">
          <legend><h2>2. Your organization</h2></legend>
          ${ORGANIZATION_FIELDS.map((field) => fieldMarkup(field, input, address))}
        </fieldset>
        <fieldset class="step">
          <legend><h2>3. Verify with Microsoft</h2></legend>
          <p>From the app you registered in step 1.</p>
          ${cloudField(input)} ${credentials.slice(0, 2).map((field) => fieldMarkup(field, input, address))} ${credentialChoice(input)}
          ${credentials.slice(2).map((field) => fieldMarkup(field, input, address))}
        </fieldset>
        <section class="step" aria-labelledby="step-finish">
          <h2 id="step-finish">4. Finish</h2>
          <p>
            The gateway asks Microsoft for a token with these values to check them, then stores the secret (or the certificate's private
            key) encrypted. Neither is ever shown again.
          </p>
          <button type="submit">Create my gateway</button>
        </section>
      </form>
      <script src="${SIGNUP_JS_URL}" defer></script>`,
  );
}
