/**
 * Letters and digits for the rule sets, in a form V8 compiles quickly.
 *
 * The prompt-injection and harmful-content rules mark the edges of words with `[\p{L}\p{N}]` and
 * `[^\p{L}\p{N}]`, dozens of times in a pattern. With the `u` flag V8 compiles each of those classes
 * into code for hundreds of Unicode ranges: about 290 ms for the prompt-injection rules and 33 ms
 * for the harmful-content ones. And V8 drops compiled regex code at every major garbage collection
 * of a busy process, even for a regex that ran since the previous one, so the compile is paid again
 * after each, by the keep-warm run (util/warm-up.ts) or by the next check: the event loop stalls.
 *
 * So the rules run on a folded copy of the normalized text, of the same length, in which every letter
 * or digit outside ASCII is one stand-in letter: `ª` for a character of the BMP, `𠀀` for one beyond
 * it (the same number of UTF-16 units and of code points, so positions and `{m,n}` counts hold), and
 * each class becomes the short class of ASCII letters, digits and the two stand-ins. Whether a
 * character is a letter or digit is all the rules ask of a non-ASCII one (their literals are ASCII
 * words and a few non-letters), so they match exactly where they did: `letter-fold.test.ts` runs
 * both forms side by side. They compile about 10 times faster.
 */

const LETTER_OR_DIGIT = String.raw`[\p{L}\p{N}]`;
const NOT_LETTER_OR_DIGIT = String.raw`[^\p{L}\p{N}]`;
/** What a folded text may hold for a letter or digit: ASCII ones and the two stand-ins. */
const FOLDED_LETTERS = String.raw`A-Za-z0-9\u00AA\u{20000}`;
const BMP_STAND_IN = "\u00AA";
const ASTRAL_STAND_IN = "\u{20000}";
const NON_ASCII = /[^\0-\x7F]/;
const NON_ASCII_LETTER_OR_DIGIT = /(?![\0-\x7F])[\p{L}\p{N}]/gu;
const NON_ASCII_LETTER_OR_DIGIT_ONE = /^(?![\0-\x7F])[\p{L}\p{N}]$/u;
/** A character a pattern names itself: an escape (`\u{…}`, `\uXXXX`, `\xXX`) or a non-ASCII literal. */
const OWN_CHARACTER = /\\u\{([0-9A-Fa-f]+)\}|\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|[^\0-\x7F]/gu;

/** `text` with every non-ASCII letter or digit replaced by its stand-in; the same length. */
export function foldLetters(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.replace(NON_ASCII_LETTER_OR_DIGIT, (ch) => (ch.length === 1 ? BMP_STAND_IN : ASTRAL_STAND_IN));
}

/**
 * `pattern` for folded text, with `flags` (which must include `u`): its letter-or-digit classes
 * rewritten. A pattern with any other Unicode property escape, or with a non-ASCII letter or digit
 * of its own (folded text holds none), is refused, since folding would change what it matches.
 */
export function foldedPattern(pattern: RegExp, flags: string): RegExp {
  if (!flags.includes("u")) throw new TypeError(`foldedPattern needs the u flag, got "${flags}"`);
  const source = pattern.source.replaceAll(NOT_LETTER_OR_DIGIT, `[^${FOLDED_LETTERS}]`).replaceAll(LETTER_OR_DIGIT, `[${FOLDED_LETTERS}]`);
  if (/\\[pP]\{/.test(source)) {
    throw new TypeError(`foldedPattern: only [\\p{L}\\p{N}] and [^\\p{L}\\p{N}] can be folded, in /${pattern.source.slice(0, 80)}…/`);
  }
  for (const m of pattern.source.matchAll(OWN_CHARACTER)) {
    const hex = m[1] ?? m[2] ?? m[3];
    const ch = hex === undefined ? m[0] : String.fromCodePoint(Number.parseInt(hex, 16));
    if (NON_ASCII_LETTER_OR_DIGIT_ONE.test(ch)) {
      throw new TypeError(
        `foldedPattern: the pattern's own letter ${m[0]} would never match folded text, in /${pattern.source.slice(0, 80)}…/`,
      );
    }
  }
  return new RegExp(source, flags);
}
