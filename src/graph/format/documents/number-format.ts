/**
 * @module Spreadsheet numbers as Excel shows them: the cell's number format
 * (built-in id or the workbook's own code) decides decimals, thousands
 * separators, percent, scientific notation, currency and other literal
 * text around the number, and dates and times (serial days since 1899-12-30,
 * or 1904-01-01 in workbooks that say so). Fractions, conditions, colours and
 * padding are not rendered; such a value shows as General.
 */

/** Excel's built-in number formats by id (ECMA-376 Part 1, 18.8.30), the ones that change how a value reads. */
const BUILT_IN: Record<number, string> = {
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  14: "yyyy-mm-dd",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "yyyy-mm-dd h:mm",
  37: "#,##0",
  38: "#,##0",
  39: "#,##0.00",
  40: "#,##0.00",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mm:ss",
  48: "0.0E+0",
};

export function builtInFormat(id: number): string | undefined {
  return BUILT_IN[id];
}

/** General: at most 15 significant digits, as Excel stores them, so 0.1+0.2 reads 0.3. */
export function general(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(15)));
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

function dateTime(serial: number, code: string, date1904: boolean): string {
  const ms = Math.round(serial * DAY_MS) + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const iso = new Date(ms).toISOString();
  const hasDate = /[yd]/i.test(code) || (/m/i.test(code) && !/[hs]/i.test(code));
  const hasTime = /[hs]/i.test(code);
  const seconds = /s/i.test(code);
  const time = iso.slice(11, seconds ? 19 : 16);
  if (hasDate && hasTime) return `${iso.slice(0, 10)} ${time}`;
  return hasTime ? time : iso.slice(0, 10);
}

/** The first section of a format code with literals pulled out: `"$"#,##0.00_);[Red](…)` → prefix "$", core "#,##0.00". */
function parse(code: string): { core: string; prefix: string; suffix: string } {
  const section = code.split(";")[0] ?? "";
  let core = "";
  let prefix = "";
  let suffix = "";
  for (let i = 0; i < section.length; i++) {
    const char = section[i] ?? "";
    let literal: string | undefined;
    if (char === '"') {
      const end = section.indexOf('"', i + 1);
      literal = section.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? section.length : end;
    } else if (char === "\\") {
      literal = section[i + 1] ?? "";
      i += 1;
    } else if (char === "_" || char === "*") {
      i += 1;
    } else if (char === "[") {
      const end = section.indexOf("]", i);
      const inside = section.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? section.length : end;
      if (inside.startsWith("$")) literal = inside.slice(1).split("-")[0];
      else if (/^[hms]+$/i.test(inside)) core += inside;
    } else if ("$€£¥-+()/: ".includes(char) && !/e$/i.test(core)) {
      literal = char;
    } else {
      core += char;
    }
    if (literal !== undefined) {
      if (/[0#?]/.test(core)) suffix += literal;
      else prefix += literal;
    }
  }
  return { core, prefix: prefix.trim() === "" ? "" : prefix, suffix: suffix.trim() === "" ? "" : suffix };
}

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A number cell's text under its format code (undefined or "General": 15 significant digits). */
export function formatNumber(value: number, code: string | undefined, date1904 = false): string {
  if (!code || /^general$/i.test(code) || code === "@") return general(value);
  const { core, prefix, suffix } = parse(code);
  if (/[ymdhs]/i.test(core.replace(/E[+-]/gi, ""))) return dateTime(value, core, date1904);
  if (!/[0#?]/.test(core)) return general(value);
  const decimals = (/\.([0#?]+)/.exec(core)?.[1] ?? "").length;
  if (/E[+-]/i.test(core)) {
    const exponential = value
      .toExponential(decimals)
      .toUpperCase()
      .replace(/E([+-])(\d)$/, "E$10$2");
    return `${prefix}${exponential}${suffix}`;
  }
  const percent = core.includes("%");
  const shown = percent ? value * 100 : value;
  const [whole = "0", fraction] = Math.abs(shown).toFixed(decimals).split(".");
  const integer = /[0#?],[0#?]/.test(core) ? grouped(whole) : whole;
  const sign = shown < 0 && Number(`${whole}.${fraction ?? 0}`) !== 0 ? "-" : "";
  return `${sign}${prefix}${integer}${fraction ? `.${fraction}` : ""}${percent ? "%" : ""}${suffix}`;
}
