import { quantile } from "simple-statistics";

import { bootstrapInterval } from "../stats/bootstrap.js";
import { seedFor } from "../stats/seeded-random.js";
import type { CaseResult, EvalReport, Interval } from "../types.js";

/** How the intervals are drawn. */
export interface IntervalSettings {
  seed: number;
  confidence: number;
  resamples: number;
  /** Evaluator names in the order they ran: the order of `byEvaluator` and each `byTag` entry. */
  evaluators: readonly string[];
}

/** Per evaluator, the bootstrap interval of the case scores of `cases`. */
function intervals(cases: readonly CaseResult[], settings: IntervalSettings, scope: string): Record<string, Interval> {
  const values = new Map<string, number[]>(settings.evaluators.map((name) => [name, []]));
  for (const result of cases) {
    for (const score of result.scores) {
      const list = values.get(score.evaluator);
      if (list === undefined) values.set(score.evaluator, [score.score]);
      else list.push(score.score);
    }
  }
  const out: Record<string, Interval> = {};
  for (const [evaluator, list] of values) {
    if (list.length === 0) continue;
    out[evaluator] = bootstrapInterval(list, {
      confidence: settings.confidence,
      resamples: settings.resamples,
      seed: seedFor(settings.seed, `${scope}/${evaluator}`),
    });
  }
  return out;
}

/** The report's `byEvaluator`, `byTag` and `totals` from the case results. */
export function summarise(cases: readonly CaseResult[], settings: IntervalSettings): Pick<EvalReport, "byEvaluator" | "byTag" | "totals"> {
  const byTag: Record<string, Record<string, Interval>> = {};
  const tags = [...new Set(cases.flatMap((c) => c.case.tags))].sort();
  for (const tag of tags)
    byTag[tag] = intervals(
      cases.filter((c) => c.case.tags.includes(tag)),
      settings,
      `tag:${tag}`,
    );
  const runs = cases.flatMap((c) => c.runs);
  const latencies = runs.map((r) => r.latencyMs);
  return {
    byEvaluator: intervals(cases, settings, "all"),
    byTag,
    totals: {
      costUsd: runs.reduce((sum, r) => sum + r.costUsd, 0),
      latencyP50Ms: latencies.length === 0 ? 0 : quantile(latencies, 0.5),
      latencyP95Ms: latencies.length === 0 ? 0 : quantile(latencies, 0.95),
      errors: runs.filter((r) => r.error !== undefined).length,
    },
  };
}
