import type { Context } from "hono";
import type { z } from "zod";
import { GRAPH_ERRORS } from "./errors";

/** @module JSON request bodies for the emulated Graph's write endpoints, read and refused as Graph does. */

/**
 * Reads a JSON request body as Graph does: `@odata.*` annotations ignored,
 * an unreadable payload or a failed schema answered with Graph's 400 shape.
 * `emptyOk` reads an empty body as `{}` (action endpoints with no body).
 * With `entityType` (e.g. `microsoft.graph.event`), a property the type does
 * not have is refused in Graph's words for that type.
 */
export async function readGraphBody<T>(c: Context, schema: z.ZodType<T>, emptyOk = false, entityType?: string): Promise<T | Response> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() || !emptyOk) {
    try {
      raw = JSON.parse(text);
    } catch {
      return GRAPH_ERRORS.badRequest(
        "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
      );
    }
  }
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    raw = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith("@odata.")));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (entityType && issue?.code === "unrecognized_keys") {
    return GRAPH_ERRORS.badRequest(
      `Property '${issue.keys[0]}' does not exist on type '${entityType}'. Make sure to only use property names that are defined by the type.`,
    );
  }
  return GRAPH_ERRORS.badRequest(`Invalid request body: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
}
