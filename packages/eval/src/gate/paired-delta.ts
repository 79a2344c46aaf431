// The paired difference of two score lists (current − baseline, case by case) with its confidence
// interval: a paired Student's t interval on the per-case differences (@stdlib/stats-ttest; see the
// package README for why this and not a bootstrap).

import ttest from "@stdlib/stats-ttest";

import type { Interval } from "../types.js";

/**
 * Mean of `current[i] − baseline[i]` and its `confidence` interval, clamped to −1..1 (scores are in 0..1).
 * With one pair the interval is the whole −1..1 (nothing is known of the noise); when every difference
 * is the same, it is that difference.
 */
export function pairedDelta(current: number[], baseline: number[], confidence: number): Interval | undefined {
  const n = Math.min(current.length, baseline.length);
  if (n === 0) return undefined;
  const diffs = Array.from({ length: n }, (_, i) => (current[i] ?? 0) - (baseline[i] ?? 0));
  const mean = diffs.reduce((sum, d) => sum + d, 0) / n;
  if (n === 1) return { mean, low: -1, high: 1, n };
  const spread = Math.max(...diffs) - Math.min(...diffs);
  if (spread < 1e-12) return { mean, low: mean, high: mean, n };
  const ci = ttest(diffs, { alpha: 1 - confidence }).ci;
  const [low = -1, high = 1] = ci;
  return { mean, low: clamp(low), high: clamp(high), n };
}

function clamp(value: number): number {
  return Math.max(-1, Math.min(1, value));
}
