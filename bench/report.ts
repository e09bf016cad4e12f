import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { BoundCheck } from "./bounds";
import { fixed, type PartResult } from "./results";

/** Writes BENCHMARKS.md from everything one `npm run bench` measured. */
export interface ReportMeta {
  command: string;
  startedAt: Date;
  runtimeSeconds: number;
  /** Lines under "How it is measured". */
  method: string[];
  /** Set when the run was shortened through BENCH_* variables. */
  quickRun?: string;
}

export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  return [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}

export function renderReport(result: PartResult, bounds: BoundCheck[], meta: ReportMeta): string {
  const missed = result.targets.filter((target) => !target.ok).length;
  const regressed = bounds.filter((check) => check.status === "regressed").length;
  const verdict = missed === 0 && regressed === 0 ? "**pass**: every target met, no figure beyond its bound by more than 25%" : `**fail**: ${missed} target(s) missed, ${regressed} figure(s) regressed`;
  const parts = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (scripts/bench.ts), which runs without network on one machine: the deployable Worker bundle in workerd (Miniflare, local D1, KV and Durable Objects), against the local Microsoft 365 emulator. Token counts use the cl100k_base tokenizer (js-tiktoken).",
    "",
    `- Machine: ${machineLine()}`,
    `- Date: ${meta.startedAt.toISOString()}`,
    `- Command: \`${meta.command}\``,
    `- Runtime: ${Math.round(meta.runtimeSeconds)} s`,
    `- Result: ${verdict}`,
    ...(meta.quickRun ? [`- Shortened run: ${meta.quickRun}`] : []),
    "",
    "## Targets",
    "",
    ...table(["target", "result", "met"], result.targets.map((target) => [target.target, target.detail, target.ok ? "yes" : "**no**"])),
    "",
  ];
  for (const section of result.sections) {
    parts.push(`## ${section.title}`, "");
    if (section.note) parts.push(section.note, "");
    parts.push(...table(section.headers, section.rows), "");
  }
  parts.push(
    "## Regression bounds",
    "",
    "Each figure is compared with its bound in [bench/bounds.json](bench/bounds.json); the run fails when a figure is more than 25% worse than its bound. To accept new figures deliberately (after a change that should move them), run `npm run bench -- --record-bounds` and then `npm run bench -- --widen-bounds` (bounds become the worse of the two runs, since latency on 2 shared cores varies by up to ~20% between runs), review the diff of bench/bounds.json and commit it with the change that explains it.",
    "",
    ...table(
      ["figure", "value", "bound", "limit", "status"],
      bounds.map((check) => [check.id, `${fixed(check.value)} ${check.unit}`, check.bound === undefined ? "—" : fixed(check.bound), check.limit === undefined ? "—" : `${check.better === "lower" ? "≤" : "≥"} ${fixed(check.limit)}`, check.status === "regressed" ? "**regressed**" : check.status]),
    ),
    "",
    "## How it is measured",
    "",
    ...meta.method.map((line) => `- ${line}`),
    "",
  );
  return `${parts.join("\n")}\n`;
}

export function writeReport(result: PartResult, bounds: BoundCheck[], meta: ReportMeta, path = "BENCHMARKS.md"): void {
  writeFileSync(path, renderReport(result, bounds, meta));
}
