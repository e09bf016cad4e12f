/**
 * A local certificate authority and a server certificate for `localhost`
 * and `*.localhost`, so `npm run dev` serves tenant hosts over https, as
 * OAuth 2.1 and the OAuth provider require for any host but `localhost`
 * itself. Kept under .wrangler/dev-tls (git-ignored) and reused until it
 * nears expiry.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import selfsigned from "selfsigned";

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
  const notAfterDate = new Date(Date.now() + 365 * DAY_MS);
  const ca = await selfsigned.generate([{ name: "commonName", value: "m365-mcp-gateway local development CA" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const hosts = ["localhost", "*.localhost", ...extraHosts];
  const server = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...hosts.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: "127.0.0.1" }, { type: 7 as const, ip: "::1" }],
      },
    ],
  });
  writeFileSync(paths.ca, ca.cert);
  writeFileSync(paths.caKey, ca.private, { mode: 0o600 });
  writeFileSync(paths.cert, server.cert);
  writeFileSync(paths.key, server.private, { mode: 0o600 });
  console.log(`Created a local development certificate in ${TLS_DIR}.`);
  return paths;
}
