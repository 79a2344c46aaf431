// Why a case failed: the evaluators it did not pass (by their own thresholds) and the target's errors.

import type { CaseResult } from "../types.js";

export interface CaseFailure {
  evaluators: Array<{ evaluator: string; score: number; explanation?: string }>;
  errors: string[];
}

/** `undefined` when every evaluator passed and no sample errored. */
export function caseFailure(result: CaseResult): CaseFailure | undefined {
  const evaluators = result.scores
    .filter((s) => s.judged > 0 && !s.pass)
    .map((s) => ({ evaluator: s.evaluator, score: s.score, explanation: s.explanation }));
  const errors = result.runs.flatMap((run) => (run.error === undefined ? [] : [`sample ${run.sample}: ${run.error}`]));
  return evaluators.length === 0 && errors.length === 0 ? undefined : { evaluators, errors };
}

/** One line per failed evaluator / error. */
export function describeFailure(failure: CaseFailure): string {
  return [
    ...failure.evaluators.map((e) => `${e.evaluator} ${e.score.toFixed(3)}${e.explanation === undefined ? "" : `: ${e.explanation}`}`),
    ...failure.errors.map((e) => `error ${e}`),
  ].join("\n");
}
