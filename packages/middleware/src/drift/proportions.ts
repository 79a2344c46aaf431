import { errorFunction } from "simple-statistics";

/** The share difference current − reference and the two-sided two-proportion z-test's p-value. */
export interface ProportionResult {
  difference: number;
  pValue: number;
}

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** `current` and `reference` are 0/1 flags (an answer cut at the limit, a refusal, ...). */
export function proportionTest(current: readonly number[], reference: readonly number[]): ProportionResult {
  const n1 = current.length;
  const n2 = reference.length;
  if (n1 === 0 || n2 === 0) return { difference: 0, pValue: 1 };
  const x1 = current.reduce((s, v) => s + v, 0);
  const x2 = reference.reduce((s, v) => s + v, 0);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { difference: p1 - p2, pValue: 1 };
  const z = (p1 - p2) / se;
  return { difference: p1 - p2, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}
