/**
 * A parser and evaluator for the OData `$filter` subset Graph clients use:
 * eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith,
 * string/number/boolean/null/date-time literals and `a/b/c` property paths.
 * Anything else is an error, as Graph answers for an unsupported clause.
 */
type Literal = string | number | boolean | null;
type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "compare"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; left: Operand; right: Operand }
  | { kind: "call"; name: "contains" | "startswith" | "endswith"; target: Operand; value: Operand };
type Operand = { kind: "path"; path: string[] } | { kind: "literal"; value: Literal };

export class FilterError extends Error {}

const TOKEN = /\s*(?:(\()|(\))|(,)|('(?:[^']|'')*')|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)|([A-Za-z_@][\w@.]*(?:\/[A-Za-z_@][\w@.]*)*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new FilterError(`Invalid filter clause: unexpected text at position ${start}`);
    tokens.push(match.slice(1).find((part) => part !== undefined) ?? "");
  }
  return tokens;
}

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);

export function parseFilter(text: string): Node {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (token === undefined) throw new FilterError("Invalid filter clause: unexpected end of expression");
    return token;
  };
  const expect = (token: string) => {
    if (next() !== token) throw new FilterError(`Invalid filter clause: expected '${token}'`);
  };

  function operand(): Operand {
    const token = next();
    if (token.startsWith("'")) return { kind: "literal", value: token.slice(1, -1).replace(/''/g, "'") };
    if (/^\d{4}-\d{2}-\d{2}T/.test(token)) return { kind: "literal", value: token };
    if (/^-?\d/.test(token)) return { kind: "literal", value: Number(token) };
    if (token === "true" || token === "false") return { kind: "literal", value: token === "true" };
    if (token === "null") return { kind: "literal", value: null };
    if (/^[A-Za-z_@]/.test(token)) return { kind: "path", path: token.split("/") };
    throw new FilterError(`Invalid filter clause: unexpected '${token}'`);
  }

  function primary(): Node {
    const token = peek();
    if (token === "(") {
      next();
      const inner = or();
      expect(")");
      return inner;
    }
    if (token === "not") {
      next();
      return { kind: "not", operand: primary() };
    }
    if (token && FUNCTIONS.has(token.toLowerCase()) && tokens[position + 1] === "(") {
      next();
      expect("(");
      const target = operand();
      expect(",");
      const value = operand();
      expect(")");
      return { kind: "call", name: token.toLowerCase() as "contains", target, value };
    }
    const left = operand();
    const op = next();
    if (!COMPARISONS.has(op)) throw new FilterError(`Invalid filter clause: unsupported operator '${op}'`);
    return { kind: "compare", op: op as "eq", left, right: operand() };
  }

  function and(): Node {
    let left = primary();
    while (peek() === "and") {
      next();
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }

  function or(): Node {
    let left = and();
    while (peek() === "or") {
      next();
      left = { kind: "or", left, right: and() };
    }
    return left;
  }

  const tree = or();
  if (position !== tokens.length) throw new FilterError(`Invalid filter clause: unexpected '${tokens[position]}'`);
  return tree;
}

export function readPath(item: unknown, path: readonly string[]): unknown {
  let value: unknown = item;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function resolve(operand: Operand, item: unknown): unknown {
  return operand.kind === "literal" ? operand.value : readPath(item, operand.path);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

/** Graph writes zone-less date-times ("…T09:00:00.0000000") meaning UTC unless told otherwise. */
function parseGraphDate(value: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value.replace(/(\.\d{3})\d*$/, "$1")}Z`);
}

export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string" && ISO_DATE.test(a) && ISO_DATE.test(b)) {
    return parseGraphDate(a) - parseGraphDate(b);
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a ?? "").toLowerCase().localeCompare(String(b ?? "").toLowerCase());
}

export function evaluate(node: Node, item: unknown): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, item) && evaluate(node.right, item);
    case "or":
      return evaluate(node.left, item) || evaluate(node.right, item);
    case "not":
      return !evaluate(node.operand, item);
    case "call": {
      const target = String(resolve(node.target, item) ?? "").toLowerCase();
      const value = String(resolve(node.value, item) ?? "").toLowerCase();
      if (node.name === "contains") return target.includes(value);
      return node.name === "startswith" ? target.startsWith(value) : target.endsWith(value);
    }
    case "compare": {
      // A property the item lacks compares as null, as Graph treats absent facets (`file ne null`).
      const left = resolve(node.left, item) ?? null;
      const right = resolve(node.right, item) ?? null;
      if (node.op === "eq") return left === null || right === null ? left === right : compareValues(left, right) === 0;
      if (node.op === "ne") return left === null || right === null ? left !== right : compareValues(left, right) !== 0;
      if (left === undefined || left === null || right === undefined || right === null) return false;
      const order = compareValues(left, right);
      return node.op === "gt" ? order > 0 : node.op === "ge" ? order >= 0 : node.op === "lt" ? order < 0 : order <= 0;
    }
  }
}
