/**
 * Structured logs. Callers pass only identifiers and outcomes: never secrets,
 * tokens, request bodies or message content.
 */
type LogFields = Record<string, string | number | boolean | null | undefined>;

export function logEvent(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ event, ...fields }));
}

export function logError(event: string, error: unknown, fields: LogFields = {}): void {
  // Only the error's class and message: stack traces can carry request data.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : "non-error thrown";
  console.error(JSON.stringify({ event, error: detail, ...fields }));
}
