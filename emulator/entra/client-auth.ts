import type { EmulatedCloud } from "../clouds";
import type { EmulatedApp, EmulatedTenant, EmulatorState } from "../state";
import { JWT_BEARER, verifyClientAssertion } from "./client-assertion";
import { AADSTS, type AadstsError } from "./errors";

/** @module Confidential-client authentication at the token endpoint, as Entra orders its checks. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ClientAuthResult = { ok: true; tenant: EmulatedTenant; app: EmulatedApp } | { ok: false; failure: AadstsError };

/**
 * The tenant, if it exists in `cloud`: a tenant of another cloud is as unknown
 * as one that does not exist (AADSTS90002, "Microsoft Entra authentication and
 * authorization error codes"), since each cloud is a separate Entra ID.
 */
export function findTenant(state: EmulatorState, tenantId: string, cloud: EmulatedCloud) {
  if (!GUID.test(tenantId)) return { ok: false as const, failure: AADSTS.invalidTenantIdentifier(tenantId) };
  const tenant = state.tenant(tenantId);
  return tenant?.cloud === cloud ? { ok: true as const, tenant } : { ok: false as const, failure: AADSTS.tenantNotFound(tenantId) };
}

/** What a token request offers to authenticate the client: a secret (post or basic) or a client assertion. */
export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  assertionType?: string;
  assertion?: string;
  /** The token endpoint the request reached, which an assertion's `aud` must name. */
  tokenEndpoint: string;
}

/** A secret must be one of the app's and not expired. */
function checkSecret(app: EmulatedApp, clientSecret: string, now: number): AadstsError | undefined {
  const secret = app.secrets.find((candidate) => candidate.value === clientSecret);
  if (!secret) return AADSTS.invalidSecret(app.clientId);
  if (secret.expiresAt !== undefined && secret.expiresAt <= now) return AADSTS.expiredSecret(app.clientId);
  return undefined;
}

/** Exactly one method per request (RFC 6749 §2.3), then that method's own checks. */
export async function authenticateClient(
  state: EmulatorState,
  cloud: EmulatedCloud,
  tenantId: string,
  credentials: ClientCredentials,
  now = Date.now(),
): Promise<ClientAuthResult> {
  const found = findTenant(state, tenantId, cloud);
  if (!found.ok) return found;
  const { clientId, clientSecret, assertionType, assertion } = credentials;
  if (!clientId) return { ok: false, failure: AADSTS.missingParameter("client_id") };
  const app = found.tenant.apps.get(clientId.toLowerCase());
  if (!app) return { ok: false, failure: AADSTS.appNotFound(clientId, tenantId) };
  const usesAssertion = assertionType !== undefined || assertion !== undefined;
  if (clientSecret && usesAssertion) return { ok: false, failure: AADSTS.multipleClientAuth() };
  let failure: AadstsError | undefined;
  if (usesAssertion) {
    if (assertionType !== JWT_BEARER) failure = AADSTS.unsupportedAssertionType(assertionType ?? "");
    else if (!assertion) failure = AADSTS.missingParameter("client_assertion");
    else failure = await verifyClientAssertion(app, assertion, credentials.tokenEndpoint, now);
  } else if (!clientSecret) {
    failure = AADSTS.missingClientCredential();
  } else {
    failure = checkSecret(app, clientSecret, now);
  }
  return failure ? { ok: false, failure } : { ok: true, tenant: found.tenant, app };
}
