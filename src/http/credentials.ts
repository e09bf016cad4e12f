import type { Config } from "../config";
import { ApiError } from "./errors";
import { logEvent } from "../lib/log";
import { checkClientCredentials } from "../entra/token";
import { cloudEndpoints, type Cloud } from "../tenancy/clouds";
import { resealSecret, sealSecret, type SecretEnvelope } from "../tenancy/secret-envelope";

/**
 * @module Verifies an Entra app's credentials (unless the operator turned the check
 * off) and seals the secret for storage. Used by signup and secret rotation.
 */

export interface CredentialsInput {
  tenantId: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
  /** The Microsoft cloud the app is registered in: the check asks that cloud's Entra ID. */
  cloud: Cloud;
  /**
   * The tenant's envelope when it has one (rotation): the new secret is
   * sealed under its data key, which stays the tenant's for good. Only
   * signup makes a new data key.
   */
  current?: SecretEnvelope;
}

export async function verifyAndSealCredentials(
  config: Config,
  input: CredentialsInput,
): Promise<{ envelope: SecretEnvelope; secretHint: string; verified: boolean }> {
  if (config.VERIFY_ENTRA_CREDENTIALS) {
    const endpoints = cloudEndpoints(config, input.cloud);
    const app = {
      loginBase: endpoints.loginBase,
      entraTenantId: input.entraTenantId,
      clientId: input.clientId,
      credential: { kind: "secret" as const, secret: input.clientSecret },
    };
    const check = await checkClientCredentials(app, endpoints.graphResource);
    if (!check.ok) {
      logEvent("entra_credentials_check_failed", {
        tenantId: input.tenantId,
        kind: check.kind,
        aadsts: check.kind === "rejected" ? check.aadsts : undefined,
      });
      if (check.kind === "unreachable") {
        throw new ApiError(502, "entra_unreachable", `Could not verify the credentials with Entra ID (${check.reason}); try again shortly`);
      }
      const code = check.aadsts ? ` (${check.aadsts})` : "";
      throw new ApiError(422, "entra_credentials_rejected", `Entra ID rejected these credentials${code}: ${check.reason}`, {
        details: check.aadsts ? { aadsts: check.aadsts } : {},
      });
    }
  }
  const binding = { tenantId: input.tenantId, clientId: input.clientId };
  const keyring = { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID };
  const envelope = input.current
    ? await resealSecret(input.clientSecret, binding, input.current, keyring)
    : await sealSecret(input.clientSecret, binding, keyring);
  return { envelope, secretHint: input.clientSecret.slice(0, 3), verified: config.VERIFY_ENTRA_CREDENTIALS };
}
