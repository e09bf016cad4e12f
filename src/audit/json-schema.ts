import { z } from "zod";
import { AUDIT_SCHEMA_VERSION, AuditEventSchema } from "./event";

/**
 * @module The audit event as JSON Schema, for SIEM builders and anyone reading
 * the trail: `docs/audit-event.schema.json` is this, written by
 * `npm run audit:schema`, and a test fails when the file and the zod schema
 * drift apart.
 */

export const AUDIT_SCHEMA_FILE = "docs/audit-event.schema.json";

/** JSON Schema (draft 2020-12) of one stored, queued, exported or streamed audit event. */
export function auditEventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(AuditEventSchema, { target: "draft-2020-12", io: "output", unrepresentable: "any" });
  return {
    $schema: schema.$schema,
    title: `Audit event, version ${AUDIT_SCHEMA_VERSION}`,
    description:
      "One audit event of the Microsoft 365 MCP gateway, as stored (gzip NDJSON in R2), queued, exported (NDJSON) and streamed to a SIEM. Free text is never in an event: only its length.",
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
  };
}

/** The file's text: two-space JSON and a final newline, so it formats and diffs cleanly. */
export function auditEventJsonSchemaText(): string {
  return `${JSON.stringify(auditEventJsonSchema(), null, 2)}\n`;
}
