import { fmt, normaliseText } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/**
 * `facts`: the share of the case's `facts` the answer states (each matched as a case-insensitive
 * substring after normalising whitespace). Passes when the share reaches `threshold` (default 1:
 * every fact). Applies to cases with `facts`.
 */
export function requiredFactsEvaluator(options: { threshold?: number } = {}): CaseEvaluator {
  const threshold = options.threshold ?? 1;
  return {
    name: "facts",
    appliesTo: (c) => c.facts !== undefined && c.facts.length > 0,
    evaluate(c, run) {
      const facts = c.facts ?? [];
      const answer = normaliseText(run.answer);
      const missing = facts.filter((fact) => !answer.includes(normaliseText(fact)));
      const score = (facts.length - missing.length) / facts.length;
      const explanation =
        missing.length === 0 ? undefined : `missing ${missing.map((f) => JSON.stringify(f)).join(", ")} (${fmt(score)} of facts)`;
      return { evaluator: "facts", score, pass: score >= threshold, ...(explanation === undefined ? {} : { explanation }) };
    },
  };
}
