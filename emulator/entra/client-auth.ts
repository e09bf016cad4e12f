import type { EmulatedApp, EmulatedTenant, EmulatorState } from "../state";
import { AADSTS, type AadstsError } from "./errors";

/** @module Confidential-client authentication at the token endpoint, as Entra orders its checks. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ClientAuthResult = { ok: true; tenant: EmulatedTenant; app: EmulatedApp } | { ok: false; failure: AadstsError };

export function findTenant(state: EmulatorState, tenantId: string) {
  if (!GUID.test(tenantId)) return { ok: false as const, failure: AADSTS.invalidTenantIdentifier(tenantId) };
  const tenant = state.tenant(tenantId);
  return tenant ? { ok: true as const, tenant } : { ok: false as const, failure: AADSTS.tenantNotFound(tenantId) };
}

export function authenticateClient(
  state: EmulatorState,
  tenantId: string,
  clientId: string | undefined,
  clientSecret: string | undefined,
  now = Date.now(),
): ClientAuthResult {
  const found = findTenant(state, tenantId);
  if (!found.ok) return found;
  if (!clientId) return { ok: false, failure: AADSTS.missingParameter("client_id") };
  const app = found.tenant.apps.get(clientId.toLowerCase());
  if (!app) return { ok: false, failure: AADSTS.appNotFound(clientId, tenantId) };
  if (!clientSecret) return { ok: false, failure: AADSTS.missingParameter("client_assertion' or 'client_secret") };
  const secret = app.secrets.find((candidate) => candidate.value === clientSecret);
  if (!secret) return { ok: false, failure: AADSTS.invalidSecret(app.clientId) };
  if (secret.expiresAt !== undefined && secret.expiresAt <= now) {
    return { ok: false, failure: AADSTS.expiredSecret(app.clientId) };
  }
  return { ok: true, tenant: found.tenant, app };
}
