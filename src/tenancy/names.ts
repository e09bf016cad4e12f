/**
 * @module Display names people read and compare: an organization's name and
 * an MCP client's `client_name`. Both are shown on pages where a user decides
 * whether to trust something ("Allow <client> to use your <org> account?"),
 * so characters that change how the rest of the text is drawn, or that are
 * drawn as nothing, are removed before a name is stored or shown.
 */

/**
 * Bidirectional formatting characters (Unicode Standard Annex #9, "Explicit
 * Directional Formatting Characters"): LRE, RLE, PDF, LRO, RLO
 * (U+202A–U+202E), the isolates LRI, RLI, FSI, PDI (U+2066–U+2069), the
 * marks LRM and RLM (U+200E, U+200F) and the Arabic letter mark (U+061C).
 * U+202E makes `Contoso\u202Egnp.exe` render as "Contosoexe.png".
 */
const BIDI_CONTROLS = "\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C";

/**
 * Zero-width characters: zero width space, non-joiner and joiner
 * (U+200B–U+200D), word joiner (U+2060) and the byte order mark / zero width
 * no-break space (U+FEFF). They make two names that look identical differ.
 */
const ZERO_WIDTH = "\\u200B-\\u200D\\u2060\\uFEFF";

/**
 * Every other format character (General Category Cf): invisible operators
 * (U+2061–U+2064), the soft hyphen (U+00AD), interlinear annotation marks,
 * tag characters (U+E0000 block) and the rest. All the characters above are
 * Cf too; they are named for the reader. Dropping the whole category costs a
 * few legitimate uses (the joiners inside Persian words or emoji sequences,
 * tag-based flag emoji) and is chosen anyway: these names are labels that a
 * person compares by eye on a trust decision, and Cf characters are by
 * definition not drawn as themselves.
 */
const OTHER_FORMAT = "\\p{Cf}";

const INVISIBLE = new RegExp(`[${BIDI_CONTROLS}${ZERO_WIDTH}${OTHER_FORMAT}]`, "gu");

/** Control characters (Cc), line and paragraph separators: a name is one line. */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/gu;

/**
 * The name with invisible and direction-changing characters removed, line
 * breaks turned into spaces, runs of white space collapsed and the ends
 * trimmed. Letters, digits, symbols and punctuation are kept as they are.
 */
export function cleanDisplayName(name: string): string {
  return name.replace(INVISIBLE, "").replace(LINE_BREAKING, " ").replace(/\s+/gu, " ").trim();
}

/**
 * What the consent page shows for an MCP client: its self-declared name
 * (from dynamic registration or a metadata document) cleaned as above, or a
 * plain description when nothing visible is left.
 */
export function withCleanClientName<T extends { clientName: string }>(details: T): T {
  return { ...details, clientName: cleanDisplayName(details.clientName) || "An app without a readable name" };
}
