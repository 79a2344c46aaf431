import { fmt, lcsLength } from "./normalise.js";
import type { CaseEvaluator, TrajectoryMode } from "./types.js";

/**
 * How close the actual tool calls are to the expected ones, 0..1:
 * - `exact`: the same calls in the same order; otherwise the longest common subsequence over the longer list.
 * - `subsequence`: the expected calls appear in order, other calls may come between and around them;
 *   otherwise the share of expected calls found in order.
 * - `set`: the same distinct tool names, in any order and any number of times; otherwise their Jaccard index.
 */
export function trajectoryScore(expected: readonly string[], actual: readonly string[], mode: TrajectoryMode): number {
  if (mode === "set") {
    const e = new Set(expected);
    const a = new Set(actual);
    const union = new Set([...e, ...a]);
    if (union.size === 0) return 1;
    return [...e].filter((name) => a.has(name)).length / union.size;
  }
  if (mode === "subsequence") return expected.length === 0 ? 1 : lcsLength(expected, actual) / expected.length;
  const longest = Math.max(expected.length, actual.length);
  return longest === 0 ? 1 : lcsLength(expected, actual) / longest;
}

/**
 * `tool_trajectory`: the run's tool calls (its `execute_tool` spans, in start order) against the
 * case's `tools`, compared by `mode` (default `exact`; see {@link trajectoryScore}). Passes only
 * at 1. Applies to cases with `tools` (an empty list expects no tool call).
 */
export function toolTrajectoryEvaluator(options: { mode?: TrajectoryMode } = {}): CaseEvaluator {
  const mode = options.mode ?? "exact";
  if (!["exact", "subsequence", "set"].includes(mode)) {
    throw new TypeError(`toolTrajectoryEvaluator: mode must be "exact", "subsequence" or "set", got ${JSON.stringify(mode)}`);
  }
  return {
    name: "tool_trajectory",
    appliesTo: (c) => c.tools !== undefined,
    evaluate(c, run) {
      const expected = c.tools ?? [];
      const score = trajectoryScore(expected, run.toolCalls, mode);
      const pass = score === 1;
      const explanation = pass
        ? undefined
        : `expected [${expected.join(", ")}] (${mode}), called [${run.toolCalls.join(", ")}]: ${fmt(score)}`;
      return { evaluator: "tool_trajectory", score, pass, ...(explanation === undefined ? {} : { explanation }) };
    },
  };
}
