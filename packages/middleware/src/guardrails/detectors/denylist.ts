import type { Finding } from "./finding.js";
import { normalizeForMatching, originalSpan } from "./normalize.js";

/** Options of {@link createDenylist}. */
export interface DenylistOptions {
  /** The findings' `detector`; default `"denylist"`. */
  name?: string;
}

/** Not preceded / followed by a letter, digit or underscore, so only whole words and phrases match. */
const WORD_START = String.raw`(?<![\p{L}\p{N}_])`;
const WORD_END = String.raw`(?![\p{L}\p{N}_])`;

/**
 * Builds a scanner that reports each whole-word (or whole-phrase) occurrence of any of `terms` as a
 * finding of type `"denylisted_term"`. Matching is case-insensitive and Unicode-normalized (NFKC,
 * zero-width characters ignored, any run of whitespace matches a space in a phrase); positions refer
 * to the original text. Regex special characters in terms are literal. Longer terms win where terms
 * overlap ("gift card" over "gift"). Throws a TypeError naming the bad entry when a term is not a
 * non-empty string.
 */
export function createDenylist(terms: readonly string[], options: DenylistOptions = {}): (text: string) => Finding[] {
  if (!Array.isArray(terms)) {
    throw new TypeError(
      `createDenylist: terms must be an array of strings, got ${describe(terms)}; pass e.g. ["acme internal", "project x"]`,
    );
  }
  const name = options?.name ?? "denylist";
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError(
      `createDenylist: options.name must be a non-empty string, got ${describe(name)}; pass e.g. "brand_terms" or leave it out`,
    );
  }
  const normalized = new Set<string>();
  terms.forEach((term: unknown, index) => {
    const text = typeof term === "string" ? normalizeForMatching(term).text.trim() : "";
    if (text === "") {
      throw new TypeError(
        `createDenylist: terms[${index}] must be a non-empty string, got ${describe(term)}; remove it or replace it with the word or phrase to match`,
      );
    }
    normalized.add(text);
  });
  const alternatives = [...normalized].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = alternatives.length === 0 ? undefined : new RegExp(`${WORD_START}(?:${alternatives.join("|")})${WORD_END}`, "gu");

  return (text: string): Finding[] => {
    if (pattern === undefined || typeof text !== "string" || text === "") return [];
    const haystack = normalizeForMatching(text);
    return [...haystack.text.matchAll(pattern)].map((m) => {
      const span = originalSpan(haystack, m.index, m.index + m[0].length);
      return { detector: name, type: "denylisted_term", start: span.start, end: span.end };
    });
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  return typeof value === "object" ? (Array.isArray(value) ? "an array" : "an object") : `${typeof value} ${String(value)}`;
}
