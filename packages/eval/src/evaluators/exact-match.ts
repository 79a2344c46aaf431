import { normaliseText } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/** Trailing sentence punctuation does not make an answer different. */
const strip = (text: string) => normaliseText(text).replace(/[.!?\s]+$/u, "");

/**
 * `exact_match`: 1 when the answer equals the reference after normalising (case, Unicode form,
 * whitespace, curly quotes, trailing `.!?`), else 0. Applies to cases with a `reference`.
 */
export function exactMatchEvaluator(): CaseEvaluator {
  return {
    name: "exact_match",
    appliesTo: (c) => c.reference !== undefined,
    evaluate(c, run) {
      const hit = strip(run.answer) === strip(c.reference ?? "");
      return {
        evaluator: "exact_match",
        score: hit ? 1 : 0,
        pass: hit,
        ...(hit ? {} : { explanation: "answer differs from the reference" }),
      };
    },
  };
}
