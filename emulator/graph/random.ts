/**
 * @module Deterministic pseudo-random numbers for seed data, so the same user gets
 * the same mailbox every time the emulator starts. Not for anything secret.
 */

export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** A stable GUID-shaped id derived from a seed string. */
export function seededId(seed: string): string {
  const random = seededRandom(seed);
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Graph-style opaque ids (long base64-ish strings for mail and events). */
export function opaqueId(seed: string): string {
  const random = seededRandom(`opaque:${seed}`);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return `AAMk${Array.from({ length: 60 }, () => alphabet[Math.floor(random() * alphabet.length)]).join("")}=`;
}
