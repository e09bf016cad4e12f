import { readFileSync, writeFileSync } from "node:fs";
import type { Figure } from "./results";

/**
 * Regression bounds: bench/bounds.json records, for each figure, the value
 * accepted last time it was recorded on purpose. A run fails when a figure
 * is more than TOLERANCE worse than its bound (higher for "lower is better"
 * figures, lower for the others). `npm run bench -- --record-bounds`
 * rewrites the file from the current run; `-- --widen-bounds` keeps, per
 * figure, the worse of its bound and the current run (run it after a
 * --record-bounds run to set bounds from the worse of two runs). A partial
 * run (`--only <part>`) records its own figures and keeps the others' bounds.
 */
export const TOLERANCE = 0.25;
export const BOUNDS_FILE = "bench/bounds.json";

interface BoundsFile {
  comment: string;
  tolerance: number;
  recorded: { date: string; machine: string };
  bounds: Record<string, { value: number; unit: string; better: "lower" | "higher" }>;
}

export interface BoundCheck {
  id: string;
  value: number;
  unit: string;
  better: "lower" | "higher";
  bound?: number;
  limit?: number;
  status: "ok" | "regressed" | "no bound recorded";
}

export function readBounds(path = BOUNDS_FILE): BoundsFile["bounds"] {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as BoundsFile).bounds;
  } catch {
    return {};
  }
}

export function checkBounds(figures: Figure[], bounds: BoundsFile["bounds"]): BoundCheck[] {
  return figures.map((figure) => {
    const recorded = bounds[figure.id];
    if (!recorded) return { ...figure, status: "no bound recorded" };
    const limit = figure.better === "lower" ? recorded.value * (1 + TOLERANCE) : recorded.value * (1 - TOLERANCE);
    const regressed = figure.better === "lower" ? figure.value > limit : figure.value < limit;
    return { ...figure, bound: recorded.value, limit, status: regressed ? "regressed" : "ok" };
  });
}

export function recordBounds(
  figures: Figure[],
  machine: string,
  options: { widen?: boolean; partial?: boolean; path?: string } = {},
): void {
  const path = options.path ?? BOUNDS_FILE;
  const existing = readBounds(path);
  const previous = options.widen ? existing : {};
  const worse = (figure: Figure) => {
    const old = previous[figure.id]?.value;
    if (old === undefined) return figure.value;
    return figure.better === "lower" ? Math.max(old, figure.value) : Math.min(old, figure.value);
  };
  const file: BoundsFile = {
    comment:
      "Regression bounds for npm run bench: a run fails when a figure is more than `tolerance` worse than its value here. Update deliberately on the reference machine (2 cores): `npm run bench -- --record-bounds` records one run, then `npm run bench -- --widen-bounds` keeps the worse of that and a second run; review the diff and commit it with the change that moved the figures.",
    tolerance: TOLERANCE,
    recorded: { date: new Date().toISOString(), machine },
    bounds: {
      ...(options.partial ? existing : {}),
      ...Object.fromEntries(
        figures.map((figure) => [figure.id, { value: Number(worse(figure).toPrecision(4)), unit: figure.unit, better: figure.better }]),
      ),
    },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
