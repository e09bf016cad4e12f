import { env } from "cloudflare:workers";
import { controlClient } from "../../emulator/control-client";

/** Talks to the Microsoft 365 emulator over real HTTP, as the gateway does. */
export const EMULATOR = (): string => env.LOGIN_BASE;

/** The emulator's control API (tenants, apps, users, tokens, faults…); throws unless it answers 2xx. */
export const emulator = controlClient(env.LOGIN_BASE);

/**
 * Fixed object ids for test users. The emulator draws a user's seeded
 * mailbox, calendar, drive, tasks and contacts from the oid alone, so a
 * fixed oid gives every run the same content; each test's Entra tenant is
 * still a fresh GUID, which keeps tests apart.
 */
export const TEST_OIDS = {
  riley: "3f1c9a52-6b7e-4d2a-9c84-0e5b7a1d2c61",
  sam: "8a2d4e6f-1b3c-4a5d-8e7f-9c0b1a2d3e72",
  dana: "c5e7a9b1-3d4f-4e6a-8b0c-2d4f6a8c0e83",
  kai: "e1f3a5c7-9b2d-4f6e-8a1c-3e5a7c9e1b94",
} as const;

export interface TestUser {
  oid: string;
  userPrincipalName: string;
  displayName: string;
}

/** A fresh Entra tenant with two users (fixed oids), so tests never share emulator state. */
export async function newEntraTenant(): Promise<{ tenantId: string; users: [TestUser, TestUser] }> {
  const tenantId = crypto.randomUUID();
  await emulator.createTenant({ tenantId, displayName: "Test tenant" });
  const users: TestUser[] = [];
  for (const [name, oid] of [
    ["Riley Chen", TEST_OIDS.riley],
    ["Sam Patel", TEST_OIDS.sam],
  ] as const) {
    const user = {
      oid,
      displayName: name,
      userPrincipalName: `${name.split(" ")[0]?.toLowerCase()}@${tenantId.slice(0, 8)}.example`,
    };
    await emulator.addUser(tenantId, { ...user, timeZone: "W. Europe Standard Time" });
    users.push(user);
  }
  return { tenantId, users: users as [TestUser, TestUser] };
}

/**
 * A user alone in a fresh tenant, with a fresh oid: for cross-tenant checks by
 * id, where a fixed oid from `newEntraTenant` also names a user of the caller's own tenant.
 */
export async function foreignUser(displayName: string): Promise<TestUser & { tenantId: string }> {
  const tenantId = crypto.randomUUID();
  await emulator.createTenant({ tenantId, displayName: "Foreign tenant" });
  const user = {
    oid: crypto.randomUUID(),
    displayName,
    userPrincipalName: `${displayName.split(" ")[0]?.toLowerCase()}@${tenantId.slice(0, 8)}.example`,
  };
  await emulator.addUser(tenantId, user);
  return { ...user, tenantId };
}

export async function graphToken(tenantId: string, oid: string, scopes: string[], expiresInSeconds = 3600): Promise<string> {
  return (await emulator.mintToken({ tenantId, oid, scopes, expiresInSeconds })).access_token;
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
