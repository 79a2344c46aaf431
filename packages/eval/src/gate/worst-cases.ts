// The cases to look at first: the largest per-case losses against the baseline, or the lowest scores
// when there is no baseline.

import type { Baseline, EvalReport, GateResult } from "../types.js";

type WorstCase = GateResult["worstCases"][number];

export function worstCases(report: EvalReport, baseline: Baseline | undefined, limit: number): WorstCase[] {
  const rows: Array<WorstCase & { loss: number }> = [];
  for (const result of report.cases) {
    const before = baseline?.scores[result.case.id];
    if (baseline !== undefined && before === undefined) continue;
    for (const score of result.scores) {
      if (score.judged === 0) continue;
      const was = before?.[score.evaluator];
      if (baseline !== undefined && was === undefined) continue;
      const loss = was === undefined ? 1 - score.score : was - score.score;
      if (loss <= 0 || (was === undefined && score.pass)) continue;
      rows.push({
        id: result.case.id,
        evaluator: score.evaluator,
        baseline: was,
        current: score.score,
        explanation: score.explanation,
        loss,
      });
    }
  }
  rows.sort((a, b) => b.loss - a.loss || a.id.localeCompare(b.id) || a.evaluator.localeCompare(b.evaluator));
  return rows.slice(0, limit).map(({ loss: _loss, ...row }) => row);
}
