import { fmt } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/**
 * `patterns`: the share of the case's `patterns` (JavaScript regular expressions, as written, no
 * flags) the answer matches. Passes when every pattern matches. Applies to cases with `patterns`.
 */
export function regexPatternsEvaluator(): CaseEvaluator {
  const compiled = new Map<string, RegExp>();
  const regex = (source: string) => {
    let r = compiled.get(source);
    if (r === undefined) compiled.set(source, (r = new RegExp(source)));
    return r;
  };
  return {
    name: "patterns",
    appliesTo: (c) => c.patterns !== undefined && c.patterns.length > 0,
    evaluate(c, run) {
      const patterns = c.patterns ?? [];
      const missed = patterns.filter((p) => !regex(p).test(run.answer));
      const score = (patterns.length - missed.length) / patterns.length;
      const explanation = missed.length === 0 ? undefined : `no match for /${missed.join("/, /")}/ (${fmt(score)} of patterns)`;
      return { evaluator: "patterns", score, pass: missed.length === 0, ...(explanation === undefined ? {} : { explanation }) };
    },
  };
}
