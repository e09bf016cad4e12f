/**
 * What each part of `npm run bench` hands back: tables for BENCHMARKS.md,
 * figures checked against bench/bounds.json, and the hard targets.
 */
export interface Section {
  id: string;
  title: string;
  note?: string;
  headers: string[];
  rows: (string | number)[][];
}

export interface Figure {
  /** Stable key in bench/bounds.json, e.g. `overhead.c1.gateway.p50_ms`. */
  id: string;
  value: number;
  unit: string;
  /** Which way is better: a regression is a move the other way. */
  better: "lower" | "higher";
}

export interface TargetCheck {
  target: string;
  ok: boolean;
  detail: string;
}

export interface PartResult {
  sections: Section[];
  figures: Figure[];
  targets: TargetCheck[];
}

export function emptyResult(): PartResult {
  return { sections: [], figures: [], targets: [] };
}

export function merge(...parts: PartResult[]): PartResult {
  return {
    sections: parts.flatMap((part) => part.sections),
    figures: parts.flatMap((part) => part.figures),
    targets: parts.flatMap((part) => part.targets),
  };
}

/** `12.345` → `12.35`; whole numbers stay whole. */
export function fixed(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "—";
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** `+1.23` or `-0.11`: a difference with its sign. */
export function signed(value: number, digits = 2): string {
  return `${value >= 0 ? "+" : "−"}${fixed(Math.abs(value), digits)}`;
}
