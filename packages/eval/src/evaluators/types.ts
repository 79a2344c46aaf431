import type { CaseRun, EvalCase, Score } from "../types.js";

/**
 * Judges one sample of one case. `appliesTo` says whether the case has what the evaluator needs
 * (a reference, facts, expected tools...); `evaluate` returns the score, or undefined when this
 * sample cannot be judged (e.g. no documents were retrieved for groundedness). A sample whose
 * target threw is not passed to `evaluate`: it scores 0 on every evaluator that applies.
 */
export interface CaseEvaluator {
  /** Unique among the evaluators of a run; the key of scores, baselines and reports. */
  name: string;
  appliesTo(evalCase: EvalCase): boolean;
  evaluate(evalCase: EvalCase, run: CaseRun): Score | undefined | Promise<Score | undefined>;
}

/** How a tool-call trajectory is compared; see the `tool_trajectory` evaluator. */
export type TrajectoryMode = "exact" | "subsequence" | "set";
