/**
 * The certificate for one bench run, kept in the run's temp directory.
 * Tenant hosts must be https (the OAuth provider accepts http only on
 * `localhost` itself), so every host the bench signs users in on is named.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { issueLocalCertificate } from "../scripts/local-ca";

export interface BenchTls {
  ca: string;
  certPath: string;
  keyPath: string;
}

export async function benchCertificate(dir: string, hosts: string[]): Promise<BenchTls> {
  const issued = await issueLocalCertificate({ caName: "m365-mcp-gateway bench CA", hosts, days: 7 });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, issued.cert);
  writeFileSync(keyPath, issued.key, { mode: 0o600 });
  return { ca: issued.caCert, certPath, keyPath };
}
