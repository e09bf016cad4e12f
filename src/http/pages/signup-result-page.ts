import { html } from "hono/html";
import { ADMIN_CONSENT_ROLES, type OnboardingLinks } from "../../tenancy/onboarding";
import { page } from "./layout";
import { SIGNUP_JS_URL } from "./signup-script";

/**
 * @module The page a successful signup answers with, in place of the form: a
 * checklist in the order the org admin works through it, each value with a
 * copy button, the admin-consent link as a button, and the admin key shown
 * this once (the signup script warns before the page is left until the key
 * was copied or downloaded).
 */

export interface SignupResult {
  tenant: { slug: string; displayName: string };
  adminEmail: string;
  links: OnboardingLinks;
  adminKey: string;
  verified: boolean;
  /** Signed up with a certificate: the certificate to upload (public part only). */
  certificate?: { thumbprint: string; pem: string; notAfter: string; uploadSteps: string[] };
}

/** The first step with a certificate: download it and upload it to the app, or every sign-in fails with AADSTS700027. */
function certificateStep(result: SignupResult) {
  const { certificate } = result;
  if (!certificate) return "";
  return html`<li>
    <h2>Upload the gateway's certificate to your app</h2>
    <p>
      The gateway signs in to your app with this certificate (thumbprint <code>${certificate.thumbprint}</code>, valid until
      ${certificate.notAfter.slice(0, 10)}). Its private key stays sealed in the gateway. Until you upload it, sign-ins fail with
      AADSTS700027.
    </p>
    <ol>
      ${certificate.uploadSteps.map((step) => html`<li>${step}</li>`)}
    </ol>
    <div class="copy-row">
      <pre id="certificate-pem">${certificate.pem}</pre>
      <button type="button" class="secondary" data-copy="certificate-pem" hidden>Copy certificate</button>
      <a
        class="button secondary"
        href="#certificate-pem"
        data-download="${result.tenant.slug}-certificate.pem"
        data-from="certificate-pem"
        hidden
      >
        Download certificate (.pem)
      </a>
    </div>
    <p>The admin console's Credentials page offers it as .cer too, and checks it with Microsoft once it is uploaded.</p>
  </li>`;
}

export function signupResultPage(result: SignupResult) {
  const { links, tenant } = result;
  return page(
    "Your gateway is ready",
    html`<h1>Your gateway is ready</h1>
      <p>
        ${tenant.displayName} is set up at <a href="${links.tenantUrl}">${links.tenantUrl}</a>.
        ${
          result.verified
            ? result.certificate
              ? "Microsoft confirmed the directory and the app."
              : "Microsoft accepted the app's credentials."
            : "The credentials were not checked with Microsoft: this gateway's operator turned the check off."
        }
        Work through these steps in order.
      </p>
      <ol class="checklist">
        ${certificateStep(result)}
        <li>
          <h2>Add the redirect URI</h2>
          <p>
            If you did not enter it when you registered the app: in the Microsoft Entra admin center, open the app registration, then
            <strong>Authentication → Add a platform → Web</strong>, and enter:
          </p>
          <div class="copy-row">
            <code id="redirect-uri">${links.redirectUri}</code>
            <button type="button" class="secondary" data-copy="redirect-uri" hidden>Copy redirect URI</button>
          </div>
        </li>
        <li>
          <h2>Add the permissions</h2>
          <p>
            Under <strong>API permissions → Add a permission → Microsoft Graph → Delegated permissions</strong>, add these
            ${links.delegatedPermissions.length} permissions:
          </p>
          <div class="copy-row">
            <pre id="permission-list">${links.delegatedPermissions.join("\n")}</pre>
            <button type="button" class="secondary" data-copy="permission-list" hidden>Copy the list</button>
          </div>
        </li>
        <li>
          <h2>Grant admin consent</h2>
          <p>
            Grant the permissions for everyone in ${tenant.displayName}, so your users are not asked one by one (some, such as reading Teams
            channel messages, only an administrator can grant). Sign in as ${ADMIN_CONSENT_ROLES}.
          </p>
          <p><a class="button" id="admin-consent" href="${links.adminConsentUrl}">Grant admin consent</a></p>
        </li>
        <li>
          <h2>Store your admin key</h2>
          <div class="warning" id="admin-key-step" data-leave-warning>
            <p>
              <strong>Shown only this once.</strong> Store it in your password manager now: it cannot be recovered, only replaced. It is for
              automation with the admin API (<code>Authorization: Bearer</code> on your organization's host); people use the admin console.
            </p>
            <div class="copy-row">
              <pre id="admin-key">${result.adminKey}</pre>
              <button type="button" class="secondary" data-copy="admin-key" hidden>Copy admin key</button>
              <a class="button secondary" href="#admin-key" data-download="${tenant.slug}-admin-key.txt" data-from="admin-key" hidden>
                Download admin key
              </a>
            </div>
          </div>
        </li>
        <li>
          <h2>Share the MCP URL</h2>
          <p>Your users add this MCP server URL to their AI client, which then signs them in with their Microsoft account:</p>
          <div class="copy-row">
            <code id="mcp-url">${links.mcpUrl}</code>
            <button type="button" class="secondary" data-copy="mcp-url" hidden>Copy MCP URL</button>
          </div>
          <p>Connection steps for each client are on <a href="${links.tenantUrl}">your organization's page</a>.</p>
        </li>
        <li>
          <h2>Open the admin console</h2>
          <p>Sign in with ${result.adminEmail} to check the setup, set the policy and see who is connected.</p>
          <p><a class="button" href="${links.adminConsoleUrl}">Open the admin console</a></p>
        </li>
      </ol>
      <script src="${SIGNUP_JS_URL}" defer></script>`,
  );
}
