/**
 * @module The gate before the tests (`npm run check`): format, lint, module
 * docs, both type checks, the generated Env and the schema, run two at a time
 * and reported in one line each. The first failure's output is printed in
 * full and the gate fails; otherwise the tests run.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

interface Step {
  name: string;
  command: string[];
}

const STEPS: Step[] = [
  { name: "types (Worker, tests)", command: ["tsc", "--noEmit", "-p", "."] },
  { name: "types (emulator, bench, scripts)", command: ["tsc", "--noEmit", "-p", "tsconfig.node.json"] },
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

const failed = outcomes.filter((outcome) => !outcome.ok);
for (const outcome of failed) console.error(`\n--- ${outcome.step.name}: ${outcome.step.command.join(" ")}\n${outcome.output.trim()}`);
console.log(
  `checks: ${outcomes.length - failed.length} of ${outcomes.length} passed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
if (failed.length > 0) process.exit(1);
