/** Input series of the promtool tests, in promtool's expanding notation. */
import { num } from "../promql.js";

/**
 * A counter: starts at `start`, then for each [increment, steps] segment rises by `increment` per
 * sample for `steps` samples. Samples: 1 + the sum of the steps.
 */
export function counter(segments: [number, number][], start = 0): string {
  let v = start;
  return segments
    .map(([inc, steps], i) => {
      if (i === 0) {
        const part = `${num(v)}+${num(inc)}x${steps}`;
        v += inc * steps;
        return part;
      }
      v += inc;
      const part = `${num(v)}+${num(inc)}x${steps - 1}`;
      v += inc * (steps - 1);
      return part;
    })
    .join(" ");
}

/** `n` missing samples, then `rest`. */
export const after = (n: number, rest: string) => `_x${n} ${rest}`;
/** `value` for 1 + `steps` samples. */
export const constant = (value: number, steps: number) => `${num(value)}x${steps}`;

/** Histogram series of `name` with `labels`: per step, `perStep[le]` observations at or below each bound (ascending, last is the total). */
export function histogram(
  name: string,
  labels: string,
  segments: { steps: number; perStep: Record<string, number> }[],
  sumPerStep?: number[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const bounds = Object.keys(segments[0]?.perStep ?? {});
  for (const bound of bounds) {
    out[`${name}_bucket{${labels},le="${bound}"}`] = counter(segments.map((s) => [s.perStep[bound] ?? 0, s.steps]));
  }
  out[`${name}_count{${labels}}`] = counter(segments.map((s) => [s.perStep["+Inf"] ?? 0, s.steps]));
  if (sumPerStep) out[`${name}_sum{${labels}}`] = counter(segments.map((s, i) => [sumPerStep[i] ?? 0, s.steps]));
  return out;
}

export const genAi = (agent: string, extra = "") => `gen_ai_agent_name="${agent}"${extra}`;
export const chatLabels = (agent: string, model = "gpt-4o") =>
  `gen_ai_agent_name="${agent}",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="${model}"`;

export const WEEK_15M = 672; // 7 days of 15-minute samples

/**
 * The 7-day baseline at 170h of a value recorded hourly that was `base` for a week and `then`
 * from 169h: the window [1h, 169h] (offset 1h) holds 168 hourly values of `base` and one of `then`.
 */
export const baselineAvg = (base: number, then: number) => (168 * base + then) / 169;

/** A week of `base` per 15 minutes, then 2 hours of `after`: a counter series for the 7-day baseline alerts. */
export const weekThen = (base: number, then: number) =>
  counter([
    [base, WEEK_15M],
    [then, 8],
  ]);
