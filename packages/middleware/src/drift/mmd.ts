import { seededRandom } from "./prng.js";

/** Squared maximum mean discrepancy with an RBF kernel, and its permutation p-value. */
export interface MmdResult {
  mmd2: number;
  pValue: number;
  /** The kernel bandwidth (median heuristic). */
  sigma: number;
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s;
}

/** The unbiased MMD² of the samples `x` (indices < n of the pooled kernel `k`) and `y`. */
function mmd2Of(k: Float64Array, size: number, inX: Uint8Array): number {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  let n = 0;
  for (let i = 0; i < size; i++) n += inX[i] as number;
  const m = size - n;
  for (let i = 0; i < size; i++) {
    const xi = inX[i] === 1;
    for (let j = i + 1; j < size; j++) {
      const v = k[i * size + j] as number;
      const xj = inX[j] === 1;
      if (xi && xj) xx += v;
      else if (!xi && !xj) yy += v;
      else xy += v;
    }
  }
  return (2 * xx) / (n * (n - 1)) + (2 * yy) / (m * (m - 1)) - (2 * xy) / (n * m);
}

/**
 * MMD² (unbiased) between two sets of vectors with the RBF kernel exp(−‖a−b‖² / 2σ²), σ² the
 * median pairwise squared distance of the pooled sample (the median heuristic). The p-value is
 * (1 + #permutations with MMD² ≥ observed) / (1 + permutations), over seeded random relabellings
 * of the pooled sample; the cost is O((n+m)² · permutations), bounded by the window sizes.
 */
export function mmdTest(x: readonly number[][], y: readonly number[][], options: { permutations: number; seed: number }): MmdResult {
  const n = x.length;
  const m = y.length;
  if (n < 2 || m < 2) return { mmd2: 0, pValue: 1, sigma: 0 };
  const pooled = [...x, ...y];
  const size = n + m;
  const d2 = new Float64Array(size * size);
  const distances: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const v = squaredDistance(pooled[i] as number[], pooled[j] as number[]);
      d2[i * size + j] = v;
      distances.push(v);
    }
  }
  distances.sort((a, b) => a - b);
  const median = distances[Math.floor(distances.length / 2)] as number;
  const sigma2 = median > 0 ? median : 1;
  const k = new Float64Array(size * size);
  for (let i = 0; i < size * size; i++) k[i] = Math.exp(-(d2[i] as number) / (2 * sigma2));
  const labels = new Uint8Array(size);
  for (let i = 0; i < n; i++) labels[i] = 1;
  const observed = mmd2Of(k, size, labels);
  const random = seededRandom(options.seed);
  let atLeast = 0;
  for (let p = 0; p < options.permutations; p++) {
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = labels[i] as number;
      labels[i] = labels[j] as number;
      labels[j] = t;
    }
    if (mmd2Of(k, size, labels) >= observed) atLeast++;
  }
  return { mmd2: observed, pValue: (1 + atLeast) / (1 + options.permutations), sigma: Math.sqrt(sigma2) };
}
