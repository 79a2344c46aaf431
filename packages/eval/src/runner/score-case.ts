import type { CaseEvaluator } from "../evaluators/types.js";
import type { CaseRun, CaseScore, EvalCase, Score } from "../types.js";

/** Called when an evaluator throws: the sample is not judged by it. */
export type EvaluatorErrorHook = (evaluator: string, evalCase: EvalCase, error: unknown) => void;

/**
 * Every applicable evaluator's score of one sample. A failed run scores 0 (not passed) on each,
 * with the target's error as the explanation; an evaluator that throws or returns undefined
 * leaves the sample unjudged by it.
 */
export async function scoreSample(
  evaluators: readonly CaseEvaluator[],
  evalCase: EvalCase,
  run: CaseRun,
  onError: EvaluatorErrorHook,
): Promise<Score[]> {
  const scores: Score[] = [];
  for (const evaluator of evaluators) {
    if (!evaluator.appliesTo(evalCase)) continue;
    if (run.error !== undefined) {
      scores.push({ evaluator: evaluator.name, score: 0, pass: false, explanation: `target failed: ${run.error}` });
      continue;
    }
    try {
      const score = await evaluator.evaluate(evalCase, run);
      if (score !== undefined) scores.push({ ...score, evaluator: evaluator.name });
    } catch (error) {
      onError(evaluator.name, evalCase, error);
    }
  }
  return scores;
}

/**
 * Per evaluator, over a case's samples: the mean score, how many passed of those judged, and
 * pass@k (at least one of the k samples passed). The explanation is the first failing sample's.
 */
export function summariseCase(evaluators: readonly CaseEvaluator[], sampleScores: readonly Score[][]): CaseScore[] {
  const result: CaseScore[] = [];
  for (const { name } of evaluators) {
    const scores = sampleScores.flatMap((list) => list.filter((s) => s.evaluator === name));
    if (scores.length === 0) continue;
    const passed = scores.filter((s) => s.pass).length;
    const explanation = scores.find((s) => !s.pass && s.explanation !== undefined)?.explanation;
    const caseScore: CaseScore = {
      evaluator: name,
      score: scores.reduce((sum, s) => sum + s.score, 0) / scores.length,
      pass: passed > 0,
      passed,
      judged: scores.length,
    };
    if (explanation !== undefined) caseScore.explanation = explanation;
    result.push(caseScore);
  }
  return result;
}
