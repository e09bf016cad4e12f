/**
 * @module Fails when a source file under src/ or emulator/ does not open with
 * a module doc: its first `/** … *\/` comment must carry `@module`. Without
 * the tag, a file's opening comment becomes the doc of whatever declaration
 * follows it, and editors show the module's description on that one name.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "src/**/*.ts", "emulator/**/*.ts"], { encoding: "utf8" })
  .split("\n")
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));

const missing = files.filter((file) => {
  const text = readFileSync(file, "utf8");
  const first = /\/\*\*[\s\S]*?\*\//.exec(text)?.[0];
  return !first?.includes("@module");
});

if (missing.length > 0) {
  console.error(`${missing.length} file(s) have no module doc (a first /** comment with @module):`);
  for (const file of missing) console.error(`  ${file}`);
  process.exit(1);
}
console.log(`module docs: ${files.length} files, each opens with @module`);
