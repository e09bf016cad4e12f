/**
 * @module The whole check (`npm run check`, which `npm test` runs): format,
 * lint, module docs, both type checks, the generated Env and the schema, two
 * at a time and one line each, while the tests run alongside (they mostly
 * wait on I/O, so together they finish sooner than one after the other). A
 * failed step's output is printed in full at the end, and any failure fails
 * the check. `--no-tests` runs the static steps alone.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

interface Step {
  name: string;
  command: string[];
}

const STEPS: Step[] = [
  // Incremental: a re-run checks only what changed (the build info lives in the git-ignored .wrangler/).
  {
    name: "types (Worker, tests)",
    command: ["tsc", "--noEmit", "-p", ".", "--incremental", "--tsBuildInfoFile", ".wrangler/tsc/worker.tsbuildinfo"],
  },
  {
    name: "types (emulator, bench, scripts)",
    command: ["tsc", "--noEmit", "-p", "tsconfig.node.json", "--incremental", "--tsBuildInfoFile", ".wrangler/tsc/node.tsbuildinfo"],
  },
  { name: "format", command: ["oxfmt", "--check"] },
  { name: "lint", command: ["oxlint", "--deny-warnings"] },
  { name: "module docs", command: ["tsx", "scripts/check-module-docs.ts"] },
  { name: "Env against wrangler.toml", command: ["npm", "run", "--silent", "types:check"] },
  { name: "migrations", command: ["npm", "run", "--silent", "db:check"] },
];

interface Outcome {
  step: Step;
  ok: boolean;
  output: string;
  seconds: number;
}

function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  const [command = "", ...args] = step.command;
  return new Promise((resolve) => {
    // npm puts node_modules/.bin on PATH for scripts; the binaries are called directly, without npx.
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const done = (ok: boolean) => resolve({ step, ok, output, seconds: (performance.now() - started) / 1000 });
    child.on("error", (error) => {
      output += String(error);
      done(false);
    });
    child.on("close", (code) => done(code === 0));
  });
}

const started = performance.now();
const withTests = !process.argv.includes("--no-tests");
const tests = withTests
  ? new Promise<boolean>((resolve) => {
      const child = spawn("vitest", ["run"], { stdio: "inherit" });
      child.on("error", () => resolve(false));
      child.on("close", (code) => resolve(code === 0));
    })
  : Promise.resolve(true);
const queue = [...STEPS];
const outcomes: Outcome[] = [];
const concurrency = Math.max(2, availableParallelism() - 1);
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let step = queue.shift(); step; step = queue.shift()) {
      const outcome = await run(step);
      outcomes.push(outcome);
      console.log(`${outcome.ok ? "ok  " : "FAIL"} ${step.name} (${outcome.seconds.toFixed(1)} s)`);
    }
  }),
);

const staticSeconds = (performance.now() - started) / 1000;
const testsPassed = await tests;
const failed = outcomes.filter((outcome) => !outcome.ok);
for (const outcome of failed) console.error(`\n--- ${outcome.step.name}: ${outcome.step.command.join(" ")}\n${outcome.output.trim()}`);
console.log(`\nchecks: ${outcomes.length - failed.length} of ${outcomes.length} passed in ${staticSeconds.toFixed(1)} s`);
if (withTests) console.log(`tests: ${testsPassed ? "passed" : "FAILED"}`);
if (failed.length > 0 || !testsPassed) process.exit(1);
