import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import { ApiError, validationError } from "./errors";

/** @module JSON request bodies for the API routes: limited by the bytes read, parsed, validated with zod. */

/** Refuses bodies over `maxBytes`, counted on the bytes read, with a 413. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "body_too_large", `The request body must be at most ${maxBytes} bytes`);
    },
  });
}

/** Parses and validates a JSON body; every failure names what was wrong. */
export async function readJsonBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.infer<Schema>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError(415, "unsupported_media_type", "Send the request body as application/json");
  }
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, "invalid_json", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
