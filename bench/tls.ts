/**
 * A throwaway certificate authority and server certificate for one bench
 * run, kept in the run's temp directory. Tenant hosts must be https (the
 * OAuth provider accepts http only on `localhost` itself), and Node refuses a
 * `*.localhost` wildcard (a wildcard directly under a top-level name), so
 * every host the bench signs users in on is listed by name.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import selfsigned from "selfsigned";

export interface BenchTls {
  ca: string;
  certPath: string;
  keyPath: string;
}

export async function benchCertificate(dir: string, hosts: string[]): Promise<BenchTls> {
  const notAfterDate = new Date(Date.now() + 7 * 86_400_000);
  const ca = await selfsigned.generate([{ name: "commonName", value: "m365-mcp-gateway bench CA" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const names = ["localhost", "*.localhost", ...hosts];
  const server = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [...names.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: "127.0.0.1" }] },
    ],
  });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, server.cert);
  writeFileSync(keyPath, server.private, { mode: 0o600 });
  return { ca: ca.cert, certPath, keyPath };
}
