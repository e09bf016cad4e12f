import type { Config } from "../config";
import { ApiError } from "./errors";
import { logEvent } from "../lib/log";
import { checkClientCredentials } from "../entra/token";
import { cloudEndpoints, type Cloud } from "../tenancy/clouds";
import { sealSecret, type SecretEnvelope } from "../tenancy/secret-envelope";

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
}

export async function verifyAndSealCredentials(
  config: Config,
  input: CredentialsInput,
): Promise<{ envelope: SecretEnvelope; secretHint: string; verified: boolean }> {
  if (config.VERIFY_ENTRA_CREDENTIALS) {
    const endpoints = cloudEndpoints(config, input.cloud);
    const check = await checkClientCredentials({ loginBase: endpoints.loginBase, ...input }, endpoints.graphResource);
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
  const envelope = await sealSecret(
    input.clientSecret,
    { tenantId: input.tenantId, clientId: input.clientId },
    { keks: config.keks, activeKekId: config.ACTIVE_KEK_ID },
  );
  return { envelope, secretHint: input.clientSecret.slice(0, 3), verified: config.VERIFY_ENTRA_CREDENTIALS };
}
