/**
 * Errors in the shape Entra ID's v2.0 endpoints return them: an OAuth error
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
};
