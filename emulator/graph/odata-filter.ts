/**
 * @module A parser and evaluator for the OData `$filter` subset Graph clients use:
 * eq ne gt ge lt le, and or not, parentheses, contains/startswith/endswith,
 * string/number/boolean/null/date-time literals, `a/b/c` property paths and
 * the `any` lambda over a collection (`emailAddresses/any(a:a/address eq 'x')`).
 * Anything else is an error, as Graph answers for an unsupported clause.
 */

type Literal = string | number | boolean | null;
export type FilterNode = Node;
type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "any"; path: string[]; variable: string; body: Node }
  | { kind: "not"; operand: Node }
  | { kind: "compare"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; left: Operand; right: Operand }
  | { kind: "call"; name: "contains" | "startswith" | "endswith"; target: Operand; value: Operand };
type Operand = { kind: "path"; path: string[] } | { kind: "literal"; value: Literal };

export class FilterError extends Error {}

const TOKEN =
  /\s*(?:(\()|(\))|(,)|(:)|('(?:[^']|'')*')|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)|([A-Za-z_@][\w@.]*(?:\/[A-Za-z_@][\w@.]*)*))/y;

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
    if (token && /\/any$/i.test(token) && tokens[position + 1] === "(") {
      next();
      expect("(");
      const variable = next();
      if (!/^[A-Za-z_]\w*$/.test(variable)) throw new FilterError("Invalid filter clause: expected a lambda variable");
      expect(":");
      const body = or();
      expect(")");
      return { kind: "any", path: token.split("/").slice(0, -1), variable, body };
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
  return String(a ?? "")
    .toLowerCase()
    .localeCompare(String(b ?? "").toLowerCase());
}

/** The property paths a filter names, in order of first appearance (`a/b`), for Graph's $orderby rules. */
export function filterProperties(node: Node): string[] {
  const found: string[] = [];
  const add = (path: readonly string[]) => {
    const name = path.join("/");
    if (!found.some((seen) => seen.toLowerCase() === name.toLowerCase())) found.push(name);
  };
  const operand = (value: Operand) => {
    if (value.kind === "path") add(value.path);
  };
  for (const current of filterNodes(node)) {
    if (current.kind === "any") add(current.path);
    else if (current.kind === "call") {
      operand(current.target);
      operand(current.value);
    } else if (current.kind === "compare") {
      operand(current.left);
      operand(current.right);
    }
  }
  return found;
}

/** Every node of the tree, depth first; lets a collection refuse clauses Graph does not support on it. */
export function filterNodes(node: Node): Node[] {
  if (node.kind === "and" || node.kind === "or") return [node, ...filterNodes(node.left), ...filterNodes(node.right)];
  if (node.kind === "not") return [node, ...filterNodes(node.operand)];
  return [node];
}

export function evaluate(node: Node, item: unknown): boolean {
  switch (node.kind) {
    case "any": {
      const collection = readPath(item, node.path);
      return Array.isArray(collection) && collection.some((element) => evaluate(node.body, { [node.variable]: element }));
    }
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
