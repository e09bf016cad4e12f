import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  return [row(headers), row(headers.map(() => "---")), ...rows.map(row)];
}

function targetCells(target: PartResult["targets"][number]): string[] {
  return [target.target, target.detail, target.ok ? "yes" : "**no**"];
}

function boundCells(check: BoundCheck): string[] {
  return [
    check.id,
    `${fixed(check.value)} ${check.unit}`,
    check.bound === undefined ? "—" : fixed(check.bound),
    check.limit === undefined ? "—" : `${check.better === "lower" ? "≤" : "≥"} ${fixed(check.limit)}`,
    check.status === "regressed" ? "**regressed**" : check.status,
  ];
}

function verdict(result: PartResult, bounds: BoundCheck[]): string {
  const missed = result.targets.filter((target) => !target.ok).length;
  const regressed = bounds.filter((check) => check.status === "regressed").length;
  return missed === 0 && regressed === 0
    ? "**pass**: every target met, no figure beyond its bound by more than 25%"
    : `**fail**: ${missed} target(s) missed, ${regressed} figure(s) regressed`;
}

export function renderReport(result: PartResult, bounds: BoundCheck[], meta: ReportMeta): string {
  const parts = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (scripts/bench.ts), which runs without network on one machine: the deployable Worker bundle in workerd (Miniflare, local D1, KV and Durable Objects), against the local Microsoft 365 emulator. Token counts use the cl100k_base tokenizer (js-tiktoken).",
    "",
    `- Machine: ${machineLine()}`,
    `- Date: ${meta.startedAt.toISOString()}`,
    `- Command: \`${meta.command}\``,
    `- Runtime: ${Math.round(meta.runtimeSeconds)} s`,
    `- Result: ${verdict(result, bounds)}`,
    ...(meta.quickRun ? [`- Shortened run: ${meta.quickRun}`] : []),
    "",
    "## Targets",
    "",
    ...table(["target", "result", "met"], result.targets.map(targetCells)),
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
    ...table(["figure", "value", "bound", "limit", "status"], bounds.map(boundCells)),
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

/** In the table under `heading`, replaces the row that starts with `prefix`, or adds `line` as its last row. */
function upsertRow(lines: string[], heading: string, prefix: string, line: string): void {
  const start = lines.indexOf(heading);
  if (start < 0) return;
  let end = start + 1;
  while (end < lines.length && !lines[end]?.startsWith("## ")) end += 1;
  const existing = lines.findIndex((candidate, index) => index > start && index < end && candidate.startsWith(prefix));
  if (existing >= 0) {
    lines[existing] = line;
    return;
  }
  let last = end - 1;
  while (last > start && !lines[last]?.startsWith("|")) last -= 1;
  lines.splice(last + 1, 0, line);
}

/**
 * A partial run (`npm run bench -- --only <part>`): its sections replace the
 * ones with the same title in the existing report (new ones go after them,
 * or before the bounds), its targets and bounds replace their rows, and a
 * line under the header says what was refreshed when. Everything else stays
 * as the last full run wrote it.
 */
export function renderPartialUpdate(
  existing: string,
  result: PartResult,
  bounds: BoundCheck[],
  meta: ReportMeta & { parts: string },
): string {
  let text = existing;
  let insertAt = text.indexOf("\n## Regression bounds\n");
  for (const section of result.sections) {
    const block = [
      `## ${section.title}`,
      "",
      ...(section.note ? [section.note, ""] : []),
      ...table(section.headers, section.rows),
      "",
    ].join("\n");
    const start = text.indexOf(`\n## ${section.title}\n`);
    if (start >= 0) {
      const next = text.indexOf("\n## ", start + 1);
      const end = next < 0 ? text.length : next;
      text = `${text.slice(0, start + 1)}${block}${text.slice(end)}`;
      insertAt = start + 1 + block.length;
    } else if (insertAt >= 0) {
      text = `${text.slice(0, insertAt + 1)}${block}\n${text.slice(insertAt + 1)}`;
      insertAt += block.length + 1;
    } else {
      text = `${text.trimEnd()}\n\n${block}`;
    }
  }
  const lines = text.split("\n");
  for (const target of result.targets) upsertRow(lines, "## Targets", `| ${target.target} |`, row(targetCells(target)));
  for (const check of bounds) upsertRow(lines, "## Regression bounds", `| ${check.id} |`, row(boundCells(check)));
  const refreshed = `- Partly refreshed: ${meta.parts} on ${meta.startedAt.toISOString()} by \`${meta.command}\` (${Math.round(meta.runtimeSeconds)} s${meta.quickRun ? `; shortened: ${meta.quickRun}` : ""}), ${verdict(result, bounds)}; the other sections are from the run above`;
  const previous = lines.findIndex((line) => line.startsWith("- Partly refreshed:"));
  if (previous >= 0) lines[previous] = refreshed;
  else {
    const resultLine = lines.findIndex((line) => line.startsWith("- Result:"));
    lines.splice(resultLine >= 0 ? resultLine + 1 : 0, 0, refreshed);
  }
  return lines.join("\n");
}

export function updateReport(result: PartResult, bounds: BoundCheck[], meta: ReportMeta & { parts: string }, path = "BENCHMARKS.md"): void {
  if (!existsSync(path)) {
    writeReport(result, bounds, meta, path);
    return;
  }
  writeFileSync(path, renderPartialUpdate(readFileSync(path, "utf8"), result, bounds, meta));
}
