/**
 * @module Microsoft Graph's error shape: `{ error: { code, message, innerError } }`
 * with a `request-id` header, as every Graph v1.0 endpoint answers.
 */

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const requestId = crypto.randomUUID();
  return Response.json(
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), "request-id": requestId, "client-request-id": requestId },
      },
    },
    { status, headers: { "request-id": requestId, "client-request-id": requestId, ...headers } },
  );
}

const retryAfter = (seconds: number | undefined): Record<string, string> =>
  seconds === undefined ? {} : { "retry-after": String(seconds) };

export const GRAPH_ERRORS = {
  unauthenticated: () => graphError(401, "InvalidAuthenticationToken", "Access token is empty.", { "www-authenticate": 'Bearer realm=""' }),
  invalidToken: (message = "Access token validation failure. Invalid audience.") => graphError(401, "InvalidAuthenticationToken", message),
  expiredToken: () => graphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."),
  /** Graph's 403; with the scopes the token lacked when the emulator knows them. */
  accessDenied: (missing: readonly string[] = []) =>
    graphError(
      403,
      "ErrorAccessDenied",
      `Access is denied. Check credentials and try again.${missing.length ? ` Required scopes: ${missing.join(" or ")}.` : ""}`,
    ),
  notFound: (what = "The specified object was not found in the store.") => graphError(404, "ErrorItemNotFound", what),
  invalidRequest: (message: string) => graphError(400, "ErrorInvalidRequest", message),
  badRequest: (message: string) => graphError(400, "BadRequest", message),
  throttled: (retryAfterSeconds?: number) =>
    graphError(429, "TooManyRequests", "Too many requests; retry after the time in the Retry-After header.", retryAfter(retryAfterSeconds)),
  unavailable: (retryAfterSeconds?: number) =>
    graphError(503, "ServiceUnavailable", "The service is temporarily unavailable.", retryAfter(retryAfterSeconds)),
};
