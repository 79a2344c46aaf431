// The gate: a run compared with its baseline, paired by case, evaluator by evaluator.
//
// A dimension fails when its relative drop exceeds `maxDrop` AND the paired interval of the delta lies
// wholly below 0 (the drop is not noise), or when its mean is below `minimum[evaluator]` whatever the
// noise. Cases in only one of the two are left out of the pairing and listed in `unpaired`.

import type { Baseline, DimensionVerdict, EvalReport, GateOptions, GateResult } from "../types.js";
import { caseScores } from "./case-scores.js";
import { gateOptions } from "./gate-options.js";
import { pairedDelta } from "./paired-delta.js";
import { worstCases } from "./worst-cases.js";

export function compare(report: EvalReport, baseline: Baseline | undefined, options: Partial<GateOptions> = {}): GateResult {
  const opts = gateOptions(options);
  const current = caseScores(report);
  const dimensions = Object.keys(report.byEvaluator)
    .sort()
    .map((evaluator) => dimension(evaluator, report, current, baseline, opts));
  // An evaluator the baseline has and this run lacks stopped judging (a broken judge model, say): not a pass.
  for (const evaluator of Object.keys(baseline?.summary ?? {}).sort()) {
    if (report.byEvaluator[evaluator] !== undefined) continue;
    dimensions.push({
      evaluator,
      baseline: baseline?.summary[evaluator],
      current: 0,
      delta: undefined,
      relativeDrop: 1,
      verdict: "fail",
      reason:
        "the baseline has scores of it and this run has none: if it was removed on purpose, write a new baseline with --write-baseline",
    });
  }
  const result: GateResult = {
    verdict: dimensions.some((d) => d.verdict === "fail") ? "fail" : "pass",
    dimensions,
    worstCases: worstCases(report, baseline, opts.worstCases ?? 10),
  };
  if (baseline !== undefined) {
    result.unpaired = {
      notInBaseline: Object.keys(current).filter((id) => baseline.scores[id] === undefined),
      notInReport: Object.keys(baseline.scores).filter((id) => current[id] === undefined),
    };
  }
  return result;
}

function dimension(
  evaluator: string,
  report: EvalReport,
  current: Record<string, Record<string, number>>,
  baseline: Baseline | undefined,
  opts: GateOptions,
): DimensionVerdict {
  const mean = report.byEvaluator[evaluator]?.mean ?? 0;
  const minimum = opts.minimum[evaluator];
  const belowMinimum = minimum !== undefined && mean < minimum;
  const floor = belowMinimum ? `mean ${fmt(mean)} is below the minimum ${fmt(minimum)}` : undefined;

  const now: number[] = [];
  const before: number[] = [];
  if (baseline !== undefined) {
    for (const [id, scores] of Object.entries(current)) {
      const was = baseline.scores[id]?.[evaluator];
      const is = scores[evaluator];
      if (was !== undefined && is !== undefined) {
        now.push(is);
        before.push(was);
      }
    }
  }
  const delta = pairedDelta(now, before, opts.confidence);
  if (delta === undefined) {
    const why = baseline === undefined ? "no baseline" : `no case of the baseline has a ${evaluator} score`;
    return {
      evaluator,
      baseline: undefined,
      current: mean,
      delta: undefined,
      relativeDrop: 0,
      verdict: belowMinimum ? "fail" : "pass",
      reason: floor ?? `${why}; only the minimum applies`,
    };
  }
  const baselineMean = before.reduce((sum, s) => sum + s, 0) / before.length;
  const relativeDrop = baselineMean > 0 && delta.mean !== 0 ? -delta.mean / baselineMean : 0;
  const beyondNoise = delta.high < 0;
  const tooLarge = relativeDrop > opts.maxDrop;
  const dropFails = tooLarge && beyondNoise;
  const pct = `${fmt(relativeDrop * 100, 1)} %`;
  const interval = `Δ ${fmt(delta.mean)} [${fmt(delta.low)}, ${fmt(delta.high)}] over ${delta.n} paired cases`;
  const reasons: string[] = [];
  if (floor !== undefined) reasons.push(floor);
  if (dropFails) reasons.push(`dropped ${pct} (more than the ${fmt(opts.maxDrop * 100, 1)} % allowed), ${interval}, beyond the noise`);
  let reason: string;
  if (reasons.length > 0) reason = reasons.join("; ");
  else if (tooLarge) reason = `dropped ${pct} but within the noise (${interval} includes 0)`;
  else if (relativeDrop > 0) reason = `dropped ${pct}, within the ${fmt(opts.maxDrop * 100, 1)} % allowed (${interval})`;
  else reason = `no drop (${interval})`;
  return { evaluator, baseline: baselineMean, current: mean, delta, relativeDrop, verdict: reasons.length > 0 ? "fail" : "pass", reason };
}

function fmt(value: number, digits = 3): string {
  return value.toFixed(digits);
}
