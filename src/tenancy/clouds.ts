import type { Config } from "../config";
import type { Tenant } from "./tenant";

/**
 * @module Microsoft's clouds and where each one's sign-in, Graph and portal live. An
 * organization's Entra app exists in exactly one cloud, so every request made
 * for it (authorize, token, id_token keys, admin consent, Graph) goes to that
 * cloud's hosts, and its scopes name that cloud's Graph resource.
 */

export type Cloud = Tenant["cloud"];

export const CLOUDS = ["global", "usgov-high", "usgov-dod", "china"] as const satisfies readonly Cloud[];

/** The clouds in words, as the signup page and the API's messages name them. */
export const CLOUD_NAMES: Readonly<Record<Cloud, string>> = {
  global: "Global (including GCC)",
  "usgov-high": "US Government GCC High",
  "usgov-dod": "US Government DoD",
  china: "China (operated by 21Vianet)",
};

/**
 * The Graph resource each cloud's access tokens are for, which scopes are
 * prefixed with ("Microsoft Graph national cloud deployments",
 * learn.microsoft.com/graph/deployments; "Access national cloud deployments
 * with the Microsoft Graph SDKs": a scope naming the Graph domain must use
 * that cloud's domain). Fixed by Microsoft, not by where the deployment sends
 * its requests: the emulator issues tokens for these same resources.
 */
const GRAPH_RESOURCES: Readonly<Record<Cloud, string>> = {
  global: "https://graph.microsoft.com",
  "usgov-high": "https://graph.microsoft.us",
  "usgov-dod": "https://dod-graph.microsoft.us",
  china: "https://microsoftgraph.chinacloudapi.cn",
};

/**
 * Where an admin registers and manages the app in each cloud: the Microsoft
 * Entra admin center for Global; the cloud's own Azure portal for US
 * Government and China ("National clouds", learn.microsoft.com/entra/identity-platform/authentication-national-cloud).
 */
const PORTAL_BASES: Readonly<Record<Cloud, string>> = {
  global: "https://entra.microsoft.com",
  "usgov-high": "https://portal.azure.us",
  "usgov-dod": "https://portal.azure.us",
  china: "https://portal.azure.cn",
};

export interface CloudEndpoints {
  cloud: Cloud;
  /** Entra ID's v2.0 endpoints live under `<loginBase>/<tenant>/…`. */
  loginBase: string;
  /** Graph's REST API lives under `<graphBase>/v1.0`. */
  graphBase: string;
  /** What scopes are prefixed with: `<graphResource>/Mail.Read`. */
  graphResource: string;
  /** Where the admin manages the app registration. */
  portalBase: string;
}

/** The deployment's configured login and Graph bases for a cloud (Microsoft's hosts unless overridden, e.g. by the emulator). */
function configuredBases(config: Config, cloud: Cloud): { loginBase: string; graphBase: string } {
  switch (cloud) {
    case "global":
      return { loginBase: config.LOGIN_BASE, graphBase: config.GRAPH_BASE };
    case "usgov-high":
      return { loginBase: config.LOGIN_BASE_USGOV_HIGH, graphBase: config.GRAPH_BASE_USGOV_HIGH };
    case "usgov-dod":
      return { loginBase: config.LOGIN_BASE_USGOV_DOD, graphBase: config.GRAPH_BASE_USGOV_DOD };
    case "china":
      return { loginBase: config.LOGIN_BASE_CHINA, graphBase: config.GRAPH_BASE_CHINA };
  }
}

export function cloudEndpoints(config: Config, cloud: Cloud): CloudEndpoints {
  return { cloud, ...configuredBases(config, cloud), graphResource: GRAPH_RESOURCES[cloud], portalBase: PORTAL_BASES[cloud] };
}

/** Every cloud's Graph resource, so a granted scope can be recognised in whichever cloud's spelling. */
export const ALL_GRAPH_RESOURCES: readonly string[] = Object.values(GRAPH_RESOURCES);
