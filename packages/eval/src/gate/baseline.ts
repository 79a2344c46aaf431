// A report reduced to what a committed baseline keeps: per case and evaluator, the mean score.

import type { Baseline, EvalReport } from "../types.js";
import { caseScores } from "./case-scores.js";

/** The baseline a report makes (write it with `writeBaseline` and commit it). */
export function baselineOf(report: EvalReport, createdAt: string = new Date().toISOString()): Baseline {
  const summary: Record<string, number> = {};
  for (const [evaluator, interval] of Object.entries(report.byEvaluator)) summary[evaluator] = interval.mean;
  return {
    dataset: report.dataset,
    prompt: { name: report.prompt.name, version: report.prompt.version },
    createdAt,
    scores: caseScores(report),
    summary,
  };
}
