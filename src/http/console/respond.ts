/** @module How every console response is sent: never cached. */

/** Console pages name people and settings: no cache keeps them. */
export function consolePageHeaders(): Record<string, string> {
  return { "cache-control": "no-store" };
}
