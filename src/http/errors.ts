import type { ZodError } from "zod";

/**
 * @module The one error type routes throw. `app.onError` turns it into the JSON body
 * `{ error, message, issues? }`; anything else becomes a vague 500.
 */

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly extra: { issues?: FieldIssue[]; headers?: Record<string, string>; details?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join(".") : "(body)",
    message: issue.message,
  }));
}

export function validationError(error: ZodError, what = "request body"): ApiError {
  const issues = fieldIssues(error);
  const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ");
  return new ApiError(400, "invalid_request", `Invalid ${what}: ${summary}`, { issues });
}

export function errorBody(error: ApiError): Record<string, unknown> {
  return {
    error: error.code,
    message: error.message,
    ...(error.extra.issues ? { issues: error.extra.issues } : {}),
    ...error.extra.details,
  };
}
