/**
 * @module Fails when src/tenancy/schema.ts has changed without a migration:
 * drizzle-kit generates into a scratch copy of migrations/ (under the
 * git-ignored .wrangler/), and any file it adds means `npm run db:generate`
 * was not run.
 */
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const scratch = join(".wrangler", "schema-check");
rmSync(scratch, { recursive: true, force: true });
cpSync("migrations", scratch, { recursive: true });

const listing = (dir: string) => [...readdirSync(dir), ...readdirSync(join(dir, "meta")).map((name) => `meta/${name}`)].sort();
const before = listing(scratch);
execFileSync("npx", ["drizzle-kit", "generate", "--dialect", "sqlite", "--schema", "./src/tenancy/schema.ts", "--out", `./${scratch}`], {
  stdio: ["ignore", "ignore", "inherit"],
});
const added = listing(scratch).filter((name) => !before.includes(name));
rmSync(scratch, { recursive: true, force: true });

if (added.length > 0) {
  console.error(
    `src/tenancy/schema.ts has changes no migration covers (drizzle-kit would write ${added.join(", ")}): run npm run db:generate`,
  );
  process.exit(1);
}
console.log("schema: every change has its migration");
