import { exports } from "cloudflare:workers";
import { emulator } from "./emulator";

/** Drives the Worker through its real fetch handler, as the edge would. */
export const APEX = "https://mcp.example.com";
export const OPERATOR_TOKEN = "test-operator-token-0123456789abcdef";

export function tenantUrl(slug: string, path = ""): string {
  return `https://${slug}.mcp.example.com${path}`;
}

export function uniqueSlug(prefix = "org"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** What `request.cf` holds for a request that came through Cloudflare's edge (a few of its fields). */
export const EDGE_CF = { colo: "AMS", country: "NL", asn: 64496 };

let ipCounter = 0;
/** Each signup test gets its own client IP so the rate limiter's budget is its own. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

interface CallInit {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  bearer?: string;
}

export async function call(url: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  // A test that names the client address speaks as Cloudflare's edge, which sets both.
  const cf = headers.has("cf-connecting-ip") ? EDGE_CF : undefined;
  return exports.default.fetch(new Request(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, cf }));
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Registers an Entra tenant and app on the emulator through its control API. */
export async function registerEntraApp(options: { secretExpiresAt?: string; redirectUris?: string[] } = {}) {
  const entraTenantId = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const clientSecret = `Qx8~${crypto.randomUUID().replace(/-/g, "")}`;
  await emulator.createTenant({ tenantId: entraTenantId, displayName: "Test org" });
  await emulator.registerApp(entraTenantId, {
    clientId,
    secrets: [{ value: clientSecret, expiresAt: options.secretExpiresAt }],
    redirectUris: options.redirectUris ?? [],
  });
  return { entraTenantId, clientId, clientSecret };
}

export interface SignupResult {
  tenant: { id: string; slug: string; displayName: string };
  tenantUrl: string;
  mcpUrl: string;
  redirectUri: string;
  adminConsentUrl: string;
  delegatedPermissions: string[];
  adminKey: string;
  credentialsVerified: boolean;
}

export async function signupBody(overrides: Record<string, unknown> = {}) {
  const app = await registerEntraApp();
  return {
    orgName: "Acme Corporation",
    slug: uniqueSlug(),
    adminEmail: "it@acme.example",
    ...app,
    ...overrides,
  };
}

export async function postSignup(body: unknown, ip = uniqueIp()): Promise<Response> {
  return call(`${APEX}/api/signup`, { json: body, headers: { "cf-connecting-ip": ip } });
}

/** A freshly signed-up tenant with its admin key and app credentials. */
export async function createTenant(overrides: Record<string, unknown> = {}) {
  const body = await signupBody(overrides);
  const response = await postSignup(body);
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const result = await json<SignupResult>(response);
  return { ...result, input: body };
}
