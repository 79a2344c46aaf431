/** Sentence ends: `.`, `!`, `?` (and runs of them) followed by whitespace, or line breaks. */
const BOUNDARY = /(?<=[.!?…])["')\]]*\s+|\n+/u;

/**
 * Splits text into sentences on sentence-ending punctuation followed by whitespace and on line breaks.
 * Decimals (`19.99`) and dotted ids stay whole; abbreviations like "e.g. " do split, which is harmless
 * for per-sentence scoring. Empty pieces are dropped.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(BOUNDARY)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
