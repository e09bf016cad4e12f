import { env } from "cloudflare:workers";

/** Talks to the Microsoft 365 emulator over real HTTP, as the gateway does. */
export const EMULATOR = (): string => env.LOGIN_BASE;

export async function control(path: string, body?: unknown, method = "POST"): Promise<Response> {
  return fetch(`${EMULATOR()}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function ok(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}

export interface TestUser {
  oid: string;
  userPrincipalName: string;
  displayName: string;
}

/** A fresh Entra tenant with two users, so tests never share emulator state. */
export async function newEntraTenant(): Promise<{ tenantId: string; users: [TestUser, TestUser] }> {
  const tenantId = crypto.randomUUID();
  await ok(await control("/tenants", { tenantId, displayName: "Test tenant" }), "create tenant");
  const users: TestUser[] = [];
  for (const name of ["Riley Chen", "Sam Patel"]) {
    const user = {
      oid: crypto.randomUUID(),
      displayName: name,
      userPrincipalName: `${name.split(" ")[0]?.toLowerCase()}@${tenantId.slice(0, 8)}.example`,
    };
    await ok(await control(`/tenants/${tenantId}/users`, { ...user, timeZone: "W. Europe Standard Time" }), "create user");
    users.push(user);
  }
  return { tenantId, users: users as [TestUser, TestUser] };
}

export async function graphToken(tenantId: string, oid: string, scopes: string[], expiresInSeconds = 3600): Promise<string> {
  const response = await ok(await control("/tokens", { tenantId, oid, scopes, expiresInSeconds }), "mint token");
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function graph(token: string, path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  return fetch(`${EMULATOR()}/v1.0${path}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

/** A user with a Graph token carrying `scopes`, in a tenant of its own. */
export async function signedInUser(scopes: string[]) {
  const { tenantId, users } = await newEntraTenant();
  const token = await graphToken(tenantId, users[0].oid, scopes);
  return { tenantId, user: users[0], other: users[1], token };
}
