import { groundednessScore } from "@agentwatch/middleware";

import { fmt } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/**
 * `groundedness`: agentwatch's no-model groundedness heuristic (`groundednessScore`: the share of
 * the answer's sentences whose content words appear in the retrieved documents). Passes at
 * `threshold` (default 0.6). Applies to every case; a sample that retrieved no documents is not
 * judged (there is nothing to be grounded in).
 */
export function groundednessEvaluator(options: { threshold?: number } = {}): CaseEvaluator {
  const threshold = options.threshold ?? 0.6;
  return {
    name: "groundedness",
    appliesTo: () => true,
    evaluate(_c, run) {
      if (run.documents.length === 0) return undefined;
      const score = groundednessScore(run.answer, run.documents);
      const pass = score >= threshold;
      return {
        evaluator: "groundedness",
        score,
        pass,
        ...(pass ? {} : { explanation: `${fmt(score)} of sentences supported by the documents` }),
      };
    },
  };
}
