import { type PersonRecord, topScore } from "./people";

/**
 * @module
 * `$search` over the directory (`/users`: `"property:value"` clauses) and
 * over people (`/me/people`: a name or address prefix).
 */
const SEARCHABLE = new Set(["displayname", "givenname", "surname", "mail", "userprincipalname", "jobtitle"]);

/** Graph's directory search matches the start of any word of the property. */
function wordPrefix(value: unknown, term: string): boolean {
  if (typeof value !== "string") return false;
  const text = value.toLowerCase();
  return text.startsWith(term) || text.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(term));
}

/**
 * Parses a directory `$search`: `"property:value"` clauses joined by AND/OR
 * (AND binds tighter). Returns undefined when the expression is malformed.
 */
export function parseDirectorySearch(raw: string): ((item: Record<string, unknown>) => boolean) | undefined {
  const tokens = raw.match(/"[^"]*"|\S+/g) ?? [];
  const groups: { property: string; term: string }[][] = [[]];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (i % 2 === 1) {
      if (token === "OR") groups.push([]);
      else if (token !== "AND") return undefined;
      continue;
    }
    const clause = /^"([A-Za-z]+):(.*)"$/.exec(token);
    const property = clause?.[1]?.toLowerCase();
    if (!clause || !property || !SEARCHABLE.has(property)) return undefined;
    groups.at(-1)?.push({ property, term: (clause[2] ?? "").trim().toLowerCase() });
  }
  if (tokens.length === 0 || tokens.length % 2 === 0) return undefined;
  return (item) =>
    groups.some((group) =>
      group.every(({ property, term }) => {
        const key = Object.keys(item).find((name) => name.toLowerCase() === property);
        return key !== undefined && wordPrefix(item[key], term);
      }),
    );
}

/** How well a person matches a People `$search` term (0 = no match). */
function matchRank(person: PersonRecord, term: string): number {
  if (person.displayName.toLowerCase().startsWith(term)) return 3;
  if ([person.displayName, person.givenName, person.surname].some((name) => wordPrefix(name, term))) return 2;
  return person.scoredEmailAddresses.some((email) => email.address.toLowerCase().startsWith(term)) ? 1 : 0;
}

/** Matching people, best match first, then by relevance. */
export function searchPeople(people: readonly PersonRecord[], rawTerm: string): PersonRecord[] {
  const term = rawTerm.replace(/^"|"$/g, "").trim().toLowerCase();
  if (!term) return [...people];
  return people
    .map((person) => ({ person, rank: matchRank(person, term) }))
    .filter((entry) => entry.rank > 0)
    .sort((a, b) => b.rank - a.rank || topScore(b.person) - topScore(a.person))
    .map((entry) => entry.person);
}
