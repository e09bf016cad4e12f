/**
 * A throwaway certificate authority and a server certificate it signs, for
 * serving `localhost` and tenant hosts under it over https on this machine
 * (`npm run dev`, `npm run bench`). Node refuses a `*.localhost` wildcard
 * (a wildcard directly under a top-level name), so callers list the tenant
 * hosts they need by name as well.
 */
import selfsigned from "selfsigned";

export interface LocalCertificate {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export async function issueLocalCertificate(options: { caName: string; hosts: string[]; days: number }): Promise<LocalCertificate> {
  const notAfterDate = new Date(Date.now() + options.days * 86_400_000);
  const ca = await selfsigned.generate([{ name: "commonName", value: options.caName }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const names = ["localhost", "*.localhost", ...options.hosts];
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
        altNames: [
          ...names.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: "127.0.0.1" },
          { type: 7 as const, ip: "::1" },
        ],
      },
    ],
  });
  return { caCert: ca.cert, caKey: ca.private, cert: server.cert, key: server.private };
}
