import { expect, inject } from "vitest";
import { createTenant, json } from "./gateway";
import { adminCall } from "./tenants";

/**
 * The stand-in receiver (test/siem-receiver.ts) as the signed-delivery tests
 * use it: a fresh inbox per test, what arrived there, failures queued at it,
 * and an organization whose audit stream or alert notices go to it.
 */

/** One POST the receiver took, with the headers a signed delivery carries. */
export interface Attempt {
  timestamp: string | null;
  signature: string | null;
  batchId: string | null;
  /** The audit stream's event count header; absent on notices. */
  eventCount?: string | null;
  contentType: string | null;
  body: string;
  answered: number;
}

export interface Inbox {
  attempts: Attempt[];
  batches: Record<string, string>;
  duplicates: number;
}

export const inboxUrl = (name: string) => `${inject("siemReceiverUrl")}/inbox/${name}`;

export async function inbox(name: string): Promise<Inbox> {
  return (await fetch(`${inject("siemReceiverUrl")}/control/${name}`)).json<Inbox>();
}

/** The inbox answers the next `failTimes` POSTs with `status`. */
export async function failNext(name: string, failTimes: number, status = 503): Promise<void> {
  await fetch(`${inject("siemReceiverUrl")}/control/${name}`, { method: "PUT", body: JSON.stringify({ failTimes, status }) });
}

/**
 * A new organization whose signed deliveries at admin API `path`
 * (`/audit/stream`, `/notices`) go to a fresh inbox, with the secret it was
 * shown once.
 */
export async function tenantDeliveringTo(path: "/audit/stream" | "/notices") {
  const tenant = await createTenant();
  const name = crypto.randomUUID();
  const response = await adminCall(tenant.tenant.slug, path, tenant.adminKey, { method: "PUT", json: { url: inboxUrl(name) } });
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const { secret } = await json<{ secret: string }>(response);
  return { ...tenant, id: tenant.tenant.id, slug: tenant.tenant.slug, inbox: name, secret };
}
