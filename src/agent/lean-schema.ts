import type { StandardSchemaWithJSON, ToolAnnotations as McpToolAnnotations } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { ToolAnnotations } from "../graph/tools/types";

/**
 * @module tools/list is paid for in tokens by every client on every session, so the
 * JSON Schema advertised for a tool keeps only what helps a model choose and
 * call it: types, enums, defaults, descriptions, required fields and numeric
 * bounds. Validation is unchanged: the same zod schema checks every call.
 */

const DROPPED_KEYS = new Set(["$schema", "additionalProperties", "minLength", "maxLength", "maxItems", "minItems", "pattern"]);
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

export function compactJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYS.has(key)) continue;
    if ((key === "minimum" || key === "maximum") && Math.abs(Number(value)) >= SAFE_INTEGER) continue;
    result[key] = compactJsonSchema(value);
  }
  return result;
}

/** A zod schema that advertises its compact JSON Schema and validates as zod does. */
export function leanInputSchema<T extends z.ZodType>(schema: T): StandardSchemaWithJSON<z.input<T>, z.output<T>> {
  const json = compactJsonSchema(z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" })) as Record<string, unknown>;
  const standard = schema["~standard"];
  return {
    "~standard": {
      version: 1,
      vendor: standard.vendor,
      validate: (value: unknown) => standard.validate(value),
      jsonSchema: { input: () => json, output: () => json },
    },
  } as StandardSchemaWithJSON<z.input<T>, z.output<T>>;
}

/** Only the hints that differ from MCP's defaults (not read-only, destructive, not idempotent, open world). */
export function leanAnnotations(annotations: ToolAnnotations): McpToolAnnotations {
  const lean: McpToolAnnotations = {};
  if (annotations.readOnlyHint) {
    lean.readOnlyHint = true;
  } else {
    if (!annotations.destructiveHint) lean.destructiveHint = false;
    if (annotations.idempotentHint) lean.idempotentHint = true;
  }
  if (!annotations.openWorldHint) lean.openWorldHint = false;
  return lean;
}
