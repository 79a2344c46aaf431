import { mean, quantileSorted, sampleWithReplacement } from "simple-statistics";

import type { Interval } from "../types.js";
import { seededRandom } from "./seeded-random.js";
import type { BootstrapOptions } from "./types.js";

/**
 * The mean of `values` with a percentile-bootstrap confidence interval: `resamples` resamples of
 * the same size drawn with replacement (seeded, so the same data gives the same interval), the
 * interval between the (1−c)/2 and (1+c)/2 quantiles of their means. One value gives a zero-width
 * interval; no values give NaN with n = 0.
 */
export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrapInterval: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrapInterval: confidence must be between 0 and 1, got ${confidence}`);
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n: 0 };
  const data = [...values];
  const m = mean(data);
  if (n === 1) return { mean: m, low: m, high: m, n };
  const random = seededRandom(options.seed ?? 1);
  const means = new Array<number>(resamples);
  for (let i = 0; i < resamples; i++) means[i] = mean(sampleWithReplacement(data, n, random));
  means.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return { mean: m, low: quantileSorted(means, alpha), high: quantileSorted(means, 1 - alpha), n };
}
