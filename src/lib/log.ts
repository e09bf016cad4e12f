/**
 * @module Structured logs. Callers pass only identifiers and outcomes: never secrets,
 * tokens, request bodies or message content.
 */

type LogFields = Record<string, string | number | boolean | null | undefined>;

export function logEvent(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ event, ...fields }));
}

/**
 * Only the error's class and message, never a stack (it can carry request
 * data). Query-builder errors put the SQL parameters (sealed secrets, key
 * hashes, emails) in their message, so for those only the database's own
 * cause is logged.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return "non-error thrown";
  if (error.name === "DrizzleQueryError" || error.message.startsWith("Failed query:")) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : "no cause";
    return `DatabaseError: ${cause}`;
  }
  return `${error.name}: ${error.message}`;
}

export function logError(event: string, error: unknown, fields: LogFields = {}): void {
  console.error(JSON.stringify({ event, error: describeError(error), ...fields }));
}
