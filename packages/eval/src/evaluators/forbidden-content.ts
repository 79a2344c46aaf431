import { normaliseText } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/**
 * `forbidden`: 1 when the answer contains none of the case's `forbidden` texts (case-insensitive,
 * whitespace normalised), else 0, naming what it found. Applies to cases with `forbidden`.
 */
export function forbiddenContentEvaluator(): CaseEvaluator {
  return {
    name: "forbidden",
    appliesTo: (c) => c.forbidden !== undefined && c.forbidden.length > 0,
    evaluate(c, run) {
      const answer = normaliseText(run.answer);
      const found = (c.forbidden ?? []).filter((text) => answer.includes(normaliseText(text)));
      if (found.length === 0) return { evaluator: "forbidden", score: 1, pass: true };
      return { evaluator: "forbidden", score: 0, pass: false, explanation: `contains ${found.map((f) => JSON.stringify(f)).join(", ")}` };
    },
  };
}
