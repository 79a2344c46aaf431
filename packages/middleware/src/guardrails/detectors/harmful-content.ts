import type { Finding } from "./finding.js";
import { HARMFUL_CONTENT_RULES } from "./harmful-content-rules.js";
import { foldedPattern, foldLetters } from "./letter-fold.js";
import { normalizeForMatching, originalSpan } from "./normalize.js";

export {
  HARMFUL_CONTENT_CATEGORIES,
  HARMFUL_CONTENT_RULES,
  type HarmfulContentCategory,
  type HarmfulContentRule,
} from "./harmful-content-rules.js";

/**
 * Words that, earlier in the same sentence, make a match a refusal or a warning rather than the
 * content itself: "I can't explain how to mix potassium chlorate", "never tell anyone to hurt yourself".
 */
const REFUSAL = foldedPattern(
  /(?<![\p{L}\p{N}])(?:can'?t|cannot|can not|won'?t|will not|wouldn'?t|would not|unable|not able|refuse|never|sorry|don'?t|do not|must not|illegal|against (?:the law|our|my))(?![\p{L}\p{N}])/u,
  "u",
);
/** Characters that end a sentence: the next one starts after them. */
const SENTENCE_ENDS = ".!?\n";

/** The rules as matched here: global and folded (see letter-fold.ts). */
const GLOBAL_RULES = HARMFUL_CONTENT_RULES.map((rule) => ({ rule, global: foldedPattern(rule.pattern, rule.pattern.flags + "g") }));

/**
 * Finds harmful content in `text` with {@link HARMFUL_CONTENT_RULES}: one finding per match,
 * detector `"harmful_content"`, type = the rule's category. The text is matched after
 * normalization (NFKC, accents stripped, lowercase, zero-width characters removed, whitespace
 * collapsed, curly apostrophes read as straight ones, `k.i.l.l` joined); a match preceded in its
 * sentence by a refusal ("I can't", "never", "sorry") is not reported. Positions are in the
 * ORIGINAL text. Findings are sorted by start; `categories` limits the rules that run.
 */
export function detectHarmfulContent(text: string, categories?: ReadonlySet<string>): Finding[] {
  const normalized = normalizeForMatching(text, { stripMarks: true, joinSpelledOut: true });
  // Same length: each curly quote is one UTF-16 unit and folding keeps lengths, so the position map still holds.
  const t = foldLetters(normalized.text.replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'"));
  const findings: Finding[] = [];
  for (const { rule, global } of GLOBAL_RULES) {
    if (categories !== undefined && !categories.has(rule.category)) continue;
    for (const m of t.matchAll(global)) {
      if (m[0].length === 0 || refused(t, m.index)) continue;
      const span = originalSpan(normalized, m.index, m.index + m[0].length);
      findings.push({ detector: "harmful_content", type: rule.category, start: span.start, end: span.end });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return findings;
}

/** Whether the sentence of the match at `index` says, before it, that it refuses or warns. */
function refused(text: string, index: number): boolean {
  let from = index;
  while (from > 0 && !SENTENCE_ENDS.includes(text[from - 1] as string)) from--;
  return REFUSAL.test(text.slice(from, index));
}
