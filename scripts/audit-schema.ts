import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { AUDIT_SCHEMA_FILE, auditEventJsonSchemaText } from "../src/audit/json-schema";

/**
 * @module `npm run audit:schema`: writes docs/audit-event.schema.json from the
 * zod schema in src/audit/event.ts, formatted as the repository formats JSON.
 * Run it after changing an event; test/audit-events.test.ts fails until the
 * file matches.
 */
writeFileSync(AUDIT_SCHEMA_FILE, auditEventJsonSchemaText());
execFileSync("oxfmt", [AUDIT_SCHEMA_FILE], {
  stdio: "inherit",
  env: { ...process.env, PATH: `node_modules/.bin:${process.env.PATH ?? ""}` },
});
console.log(`Wrote ${AUDIT_SCHEMA_FILE}`);
