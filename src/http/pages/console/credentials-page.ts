import { html } from "hono/html";
import { csrfField } from "./layout";
import { fieldError, invalidAttributes, timeOf } from "./parts";

/**
 * @module The certificate part of the console's Credentials page: which
 * credential the gateway uses now, each certificate with its downloads and
 * the actions its state allows (verify, promote), generating a new one with a
 * validity choice, the Entra upload steps with a link into the admin center
 * of the tenant's cloud, and deleting the secret or going back to it.
 */

export interface ConsoleCertificate {
  id: string;
  status: "pending" | "active";
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  verifiedAt: Date | null;
}

export interface CertificateSectionInput {
  csrfToken: string;
  credentialKind: "secret" | "certificate";
  holdsSecret: boolean;
  certificates: readonly ConsoleCertificate[];
  /** The app's Certificates & secrets in the Entra admin center (or the national cloud's portal). */
  appCredentialsUrl: string;
  /** An error at one certificate's actions, or at the generate form (`generate`), or the secret's actions (`secret`). */
  errors: { certificateId?: string; message?: string; generate?: string; secret?: string };
}

const STATUS_WORDS = { pending: "Pending", active: "Active" } as const;

function certificateActions(input: CertificateSectionInput, certificate: ConsoleCertificate) {
  const base = `/admin/credentials/certificates/${certificate.id}`;
  const errorId = `certificate-${certificate.id}`;
  const error = input.errors.certificateId === certificate.id ? input.errors.message : undefined;
  const promote =
    certificate.status === "pending" || input.credentialKind !== "certificate"
      ? html`<form method="post" action="${base}/promote" class="console-inline" data-busy="Checking with Microsoft…">
          ${csrfField(input.csrfToken)}
          <button type="submit" ${invalidAttributes(errorId, error)}>Check and use this certificate</button>
        </form>`
      : "";
  return html`<p>
      <a href="${base}/certificate.cer" download>Download .cer</a> ·
      <a href="${base}/certificate.pem" download>Download .pem</a>
    </p>
    <form method="post" action="${base}/verify" class="console-inline" data-busy="Checking with Microsoft…">
      ${csrfField(input.csrfToken)}
      <button type="submit" class="secondary" ${invalidAttributes(errorId, error)}>Verify with Microsoft</button>
    </form>
    ${promote} ${fieldError(errorId, error)}`;
}

function certificateItem(input: CertificateSectionInput, certificate: ConsoleCertificate) {
  return html`<li class="console-item">
    <h3>${STATUS_WORDS[certificate.status]} certificate <code>${certificate.thumbprint}</code></h3>
    <p>
      Valid from ${timeOf(certificate.notBefore)} to ${timeOf(certificate.notAfter)}.
      ${certificate.verifiedAt ? html`Microsoft accepted it ${timeOf(certificate.verifiedAt)}.` : "Not verified with Microsoft yet."}
    </p>
    ${certificateActions(input, certificate)}
  </li>`;
}

function secretActions(input: CertificateSectionInput) {
  if (!input.holdsSecret) return html`<p>The gateway holds no client secret.</p>`;
  const error = input.errors.secret;
  if (input.credentialKind === "certificate") {
    return html`<p>The gateway still holds the previous client secret. Use it again, or delete it once the certificate works.</p>
      <form method="post" action="/admin/credentials/use-secret" class="console-inline" data-busy="Checking with Microsoft…">
        ${csrfField(input.csrfToken)}
        <button type="submit" class="secondary" ${invalidAttributes("secret-actions", error)}>Use the client secret again</button>
      </form>
      <form method="post" action="/admin/credentials/delete-secret" class="console-inline" data-busy="Deleting…">
        ${csrfField(input.csrfToken)}
        <button type="submit" ${invalidAttributes("secret-actions", error)}>Delete the client secret</button>
      </form>
      ${fieldError("secret-actions", error)}`;
  }
  return "";
}

export function certificateSection(input: CertificateSectionInput) {
  const { errors } = input;
  return html`<h2>Certificate credentials</h2>
    <p>
      ${
        input.credentialKind === "certificate"
          ? "The gateway signs in to your app with its active certificate (a signed client assertion); no secret is needed."
          : "The gateway signs in to your app with the client secret. A certificate is safer: the private key never leaves the gateway."
      }
    </p>
    ${secretActions(input)}
    ${
      input.certificates.length > 0
        ? html`<ul class="console-checklist">
            ${input.certificates.map((certificate) => certificateItem(input, certificate))}
          </ul>`
        : ""
    }
    <h3>Upload a certificate to your app</h3>
    <ol>
      <li>Generate a certificate below, then download it (.cer or .pem).</li>
      <li>
        Open <a href="${input.appCredentialsUrl}" rel="noopener" target="_blank">your app's Certificates &amp; secrets</a> in the Entra
        admin center, then Certificates → Upload certificate, and add the file.
      </li>
      <li>Verify it here, then use it. The current credential keeps working until then.</li>
    </ol>
    <form method="post" action="/admin/credentials/certificates" class="console-form" data-busy="Generating…">
      ${csrfField(input.csrfToken)}
      <label for="certificate-validity">Valid for</label>
      <select id="certificate-validity" name="validityMonths" ${invalidAttributes("certificate-validity", errors.generate)}>
        <option value="6">6 months</option>
        <option value="12" selected>12 months</option>
        <option value="24">24 months</option>
      </select>
      ${fieldError("certificate-validity", errors.generate)}
      <button type="submit">Generate a certificate</button>
    </form>`;
}
