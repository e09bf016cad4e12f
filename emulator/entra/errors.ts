/**
 * @module Errors in the shape Entra ID's v2.0 endpoints return them: an OAuth error
 * code plus an `AADSTS<n>: ...` description, trace and correlation ids.
 */

export interface AadstsError {
  status: number;
  error: string;
  code: number;
  message: string;
}

export function aadstsBody({ error, code, message }: AadstsError) {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace("Z", "Z");
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

export function aadstsResponse(failure: AadstsError): Response {
  return Response.json(aadstsBody(failure), {
    status: failure.status,
    headers: { "cache-control": "no-store", pragma: "no-cache" },
  });
}

export const AADSTS = {
  tenantNotFound: (tenantId: string): AadstsError => ({
    status: 400,
    error: "invalid_tenant",
    code: 90002,
    message: `Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
  invalidTenantIdentifier: (tenantId: string): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 900023,
    message: `Specified tenant identifier '${tenantId}' is neither a valid DNS name, nor a valid external domain.`,
  }),
  appNotFound: (clientId: string, tenantId: string): AadstsError => ({
    status: 400,
    error: "unauthorized_client",
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  invalidSecret: (clientId: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 7000215,
    message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  expiredSecret: (clientId: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 7000222,
    message: `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app.`,
  }),
  missingParameter: (name: string): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 900144,
    message: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrant: (grant: string): AadstsError => ({
    status: 400,
    error: "unsupported_grant_type",
    code: 70003,
    message: `The app requested an unsupported grant type '${grant}'.`,
  }),
  invalidScope: (scope: string): AadstsError => ({
    status: 400,
    error: "invalid_scope",
    code: 1002012,
    message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  redirectMismatch: (clientId: string): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 50011,
    message: `The redirect URI specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
  }),
  unsupportedResponseType: (): AadstsError => ({
    status: 400,
    error: "unsupported_response_type",
    code: 700054,
    message: "response_type 'code' is the only response type this application supports.",
  }),
  pkceRequired: (): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 9002325,
    message: "Proof Key for Code Exchange is required: send code_challenge with code_challenge_method=S256.",
  }),
  pkcePlainRefused: (): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 5002737,
    message: "The code_challenge_method must be S256.",
  }),
  loginRequired: (): AadstsError => ({
    status: 400,
    error: "login_required",
    code: 50058,
    message: "A silent sign-in request was sent but no user is signed in.",
  }),
  unknownUser: (hint: string): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 50034,
    message: `The user account ${hint} does not exist in the directory.`,
  }),
  invalidGrant: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 9002313,
    message: "Invalid request. Request is malformed or invalid.",
  }),
  codeExpired: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 70008,
    message:
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
  }),
  codeRedeemed: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 54005,
    message: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
  }),
  codeRedirectMismatch: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 500112,
    message: "The reply address does not match the reply address provided when requesting Authorization code.",
  }),
  codeVerifierMismatch: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 501481,
    message: "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
  }),
  refreshExpired: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 700082,
    message: "The refresh token has expired due to inactivity. The token was issued on a date more than 90 days ago.",
  }),
  grantRevoked: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 50173,
    message:
      "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
  }),
  clientMismatch: (): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 70000,
    message: "Provided grant is invalid or malformed: it was issued to another client.",
  }),
  consentRequired: (scopes: string[], clientId: string): AadstsError => ({
    status: 400,
    error: "invalid_grant",
    code: 65001,
    message: `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource. Missing: ${scopes.join(" ")}.`,
  }),
  // At /authorize, as "Unexpected error when performing consent to an application" words them.
  adminConsentRequired: (appName: string): AadstsError => ({
    status: 400,
    error: "access_denied",
    code: 90094,
    message: `${appName} needs permission to access resources in your organization that only an admin can grant. Ask an admin to grant permission to this app before you can use it.`,
  }),
  userConsentBlocked: (tenantName: string, appName: string): AadstsError => ({
    status: 400,
    error: "access_denied",
    code: 90093,
    message: `An administrator of ${tenantName} set a policy that prevents you from granting ${appName} the permissions it's requesting. Contact an administrator of ${tenantName}, who can grant permissions to this app on your behalf.`,
  }),
  // prompt=none cannot show a consent prompt: OpenID Connect's consent_required, with Entra's DelegationDoesNotExist.
  consentRequiredSilent: (clientId: string): AadstsError => ({
    status: 400,
    error: "consent_required",
    code: 65001,
    message: `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
  }),
  // Client assertions (private_key_jwt): each check Entra documents has its own code; all are invalid_client.
  assertionSignature: (reason: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 700027,
    message: `Client assertion failed signature validation. [Reason - ${reason}]`,
  }),
  assertionAppMismatch: (): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 700021,
    message: "Client assertion application identifier doesn't match 'client_id' parameter.",
  }),
  // iss and sub both name the client; one differing from the other is Entra's SubjectMismatchesIssuer.
  assertionSubjectMismatch: (): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 50048,
    message: "Subject mismatches Issuer claim in the client assertion.",
  }),
  missingClientCredential: (): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 7000218,
    message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  }),
  assertionAudience: (expected: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 700023,
    message: `Client assertion audience claim does not match Realm issuer. Expected '${expected}'.`,
  }),
  assertionTimeRange: (detail: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 700024,
    message: `Client assertion is not within its valid time range. ${detail}`,
  }),
  assertionMalformed: (detail: string): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 50027,
    message: `JWT token is invalid or malformed: ${detail}`,
  }),
  // Entra documents no code of its own for a replayed jti; 50013 is its documented InvalidAssertion.
  assertionReplayed: (): AadstsError => ({
    status: 401,
    error: "invalid_client",
    code: 50013,
    message: "Assertion is invalid: this client assertion's 'jti' was already used. Sign a new assertion for every request.",
  }),
  // Entra documents no particular code for these two; 90023 is its documented generic InvalidRequest.
  multipleClientAuth: (): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 90023,
    message: "The request must authenticate the client with exactly one of 'client_secret' or 'client_assertion', not both.",
  }),
  unsupportedAssertionType: (type: string): AadstsError => ({
    status: 400,
    error: "invalid_request",
    code: 90023,
    message: `The client_assertion_type '${type}' is not supported; use 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`,
  }),
};
