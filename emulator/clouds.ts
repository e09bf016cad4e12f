/**
 * @module Microsoft's four clouds in one emulator. Each is a separate instance of
 * Entra ID and Graph: its own issuer, its own signing keys, its own Graph
 * resource, and only its own tenants. Global answers at the root exactly as
 * it always has; the others under `/cloud/<name>` of the same origin, so one
 * emulator can stand in for all four ("National clouds",
 * learn.microsoft.com/entra/identity-platform/authentication-national-cloud).
 */

export const EMULATED_CLOUDS = ["global", "usgov-high", "usgov-dod", "china"] as const;
export type EmulatedCloud = (typeof EMULATED_CLOUDS)[number];

/** The national clouds, which the emulator serves under a path prefix. */
export const NATIONAL_CLOUDS = ["usgov-high", "usgov-dod", "china"] as const satisfies readonly EmulatedCloud[];

/**
 * The Graph resource each cloud's access tokens are for, the `aud` its Graph
 * accepts and the prefix of its scopes ("Microsoft Graph national cloud
 * deployments", learn.microsoft.com/graph/deployments).
 */
export const GRAPH_RESOURCES: Readonly<Record<EmulatedCloud, string>> = {
  global: "https://graph.microsoft.com",
  "usgov-high": "https://graph.microsoft.us",
  "usgov-dod": "https://dod-graph.microsoft.us",
  china: "https://microsoftgraph.chinacloudapi.cn",
};

/** Where a cloud's endpoints live on the emulator's origin: "" for Global, `/cloud/<name>` for the others. */
export function cloudPrefix(cloud: EmulatedCloud): string {
  return cloud === "global" ? "" : `/cloud/${cloud}`;
}

/** The base URL of the cloud serving this request: what its issuers, metadata and `$batch` sub-requests are built on. */
export function cloudBase(c: { req: { url: string }; var: { cloud: EmulatedCloud } }): string {
  return `${new URL(c.req.url).origin}${cloudPrefix(c.var.cloud)}`;
}
