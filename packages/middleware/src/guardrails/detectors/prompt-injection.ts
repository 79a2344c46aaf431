import type { Finding } from "./finding.js";
import { foldedPattern, foldLetters } from "./letter-fold.js";
import { normalizeForMatching, originalSpan } from "./normalize.js";
import { PROMPT_INJECTION_RULES } from "./prompt-injection-rules.js";

export { PROMPT_INJECTION_RULES, type PromptInjectionCategory, type PromptInjectionRule } from "./prompt-injection-rules.js";

/** Score at or above which a text should be flagged (recorded, reviewed) as a likely prompt injection. */
export const PROMPT_INJECTION_FLAG = 0.5;

/** Score at or above which a text should be blocked: several signals, or one unambiguous phrase, agree. */
export const PROMPT_INJECTION_BLOCK = 0.8;

/** Result of {@link scorePromptInjection}. */
export interface PromptInjectionScore {
  /** 0..1: 1 - Π(1 - weight) over the distinct rules that matched; 0 when none did. */
  score: number;
  /** One finding per match, detector `"prompt_injection"`, type = the rule's category, score = its weight. */
  findings: Finding[];
}

/**
 * The rules as matched here: global, without the `i` flag (the normalized text is lowercase already
 * and the patterns are written in lowercase), and folded (see letter-fold.ts): V8 compiles them
 * again whenever it has dropped their code, so what that costs matters.
 */
const GLOBAL_RULES = PROMPT_INJECTION_RULES.map((rule) => ({
  rule,
  global: foldedPattern(rule.pattern, rule.pattern.flags.replace("i", "") + "g"),
}));

/**
 * Scores how much `text` looks like a prompt injection, using {@link PROMPT_INJECTION_RULES}. The text
 * is matched after normalization (NFKC, accents stripped, lowercase, zero-width characters removed,
 * whitespace collapsed, leetspeak such as `1gn0r3` read as letters, `i.g.n.o.r.e` joined); each finding's start/end are exact
 * positions in the ORIGINAL text, mapped back character by character. Compare the score with
 * {@link PROMPT_INJECTION_FLAG} and {@link PROMPT_INJECTION_BLOCK}. Findings are sorted by start.
 */
export function scorePromptInjection(text: string): PromptInjectionScore {
  const normalized = normalizeForMatching(text, { stripMarks: true, leetspeak: true, joinSpelledOut: true });
  const findings: Finding[] = [];
  const folded = foldLetters(normalized.text);
  let miss = 1;
  for (const { rule, global } of GLOBAL_RULES) {
    let matched = false;
    for (const m of folded.matchAll(global)) {
      if (m[0].length === 0) continue;
      matched = true;
      const span = originalSpan(normalized, m.index, m.index + m[0].length);
      findings.push({ detector: "prompt_injection", type: rule.category, start: span.start, end: span.end, score: rule.weight });
    }
    if (matched) miss *= 1 - rule.weight;
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end);
  return { score: Math.min(1, Math.max(0, 1 - miss)), findings };
}
