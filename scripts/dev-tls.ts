/**
 * A local certificate authority and a server certificate for `localhost`
 * and `*.localhost`, so `npm run dev` serves tenant hosts over https, as
 * OAuth 2.1 and the OAuth provider require for any host but `localhost`
 * itself. Kept under .wrangler/dev-tls (git-ignored) and reused until it
 * nears expiry.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { issueLocalCertificate } from "./local-ca";

export const TLS_DIR = ".wrangler/dev-tls";
const paths = { ca: `${TLS_DIR}/ca.pem`, cert: `${TLS_DIR}/cert.pem`, key: `${TLS_DIR}/key.pem`, caKey: `${TLS_DIR}/ca-key.pem` };
const DAY_MS = 86_400_000;

function stillValid(): boolean {
  if (![paths.ca, paths.cert, paths.key].every((path) => existsSync(path))) return false;
  const cert = new X509Certificate(readFileSync(paths.cert));
  return new Date(cert.validTo).getTime() - Date.now() > 7 * DAY_MS;
}

export async function ensureDevCertificate(extraHosts: string[] = []): Promise<typeof paths> {
  if (stillValid()) return paths;
  mkdirSync(TLS_DIR, { recursive: true });
  const issued = await issueLocalCertificate({ caName: "m365-mcp-gateway local development CA", hosts: extraHosts, days: 365 });
  writeFileSync(paths.ca, issued.caCert);
  writeFileSync(paths.caKey, issued.caKey, { mode: 0o600 });
  writeFileSync(paths.cert, issued.cert);
  writeFileSync(paths.key, issued.key, { mode: 0o600 });
  console.log(`Created a local development certificate in ${TLS_DIR}.`);
  return paths;
}
