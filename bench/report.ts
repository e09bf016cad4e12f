import { cpus, totalmem } from "node:os";
import { writeFileSync } from "node:fs";
import type { Section } from "./collector";

/** Writes BENCHMARKS.md from the sections a bench run collected. */
export function writeReport(sections: Section[], path = "BENCHMARKS.md"): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
  const parts = [
    "# Benchmarks",
    "",
    "Written by `npm run bench`, which runs without network: the gateway in workerd (as in the tests) against the local Microsoft 365 emulator. Token counts use the cl100k_base tokenizer (js-tiktoken).",
    "",
    `- Machine: ${machine}`,
    `- Date: ${new Date().toISOString()}`,
    "- Command: `npm run bench`",
    "",
  ];
  for (const section of sections) {
    parts.push(`## ${section.title}`, "");
    if (section.note) parts.push(section.note, "");
    parts.push(`| ${section.headers.join(" | ")} |`, `| ${section.headers.map(() => "---").join(" | ")} |`);
    for (const row of section.rows) parts.push(`| ${row.join(" | ")} |`);
    parts.push("");
  }
  writeFileSync(path, `${parts.join("\n")}\n`);
}
