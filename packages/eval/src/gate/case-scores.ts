// Per-case, per-evaluator mean scores of a report: what a baseline keeps and what the gate pairs.

import type { EvalReport } from "../types.js";

/** caseId → evaluator → mean score over the samples the evaluator judged (evaluators that judged none are left out). */
export function caseScores(report: EvalReport): Record<string, Record<string, number>> {
  const scores: Record<string, Record<string, number>> = {};
  for (const result of report.cases) {
    const byEvaluator: Record<string, number> = {};
    for (const score of result.scores) {
      if (score.judged > 0 && Number.isFinite(score.score)) byEvaluator[score.evaluator] = score.score;
    }
    scores[result.case.id] = byEvaluator;
  }
  return scores;
}
