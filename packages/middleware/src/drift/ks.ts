/** The two-sample Kolmogorov–Smirnov test: D and its asymptotic p-value. */
export interface KsResult {
  d: number;
  pValue: number;
}

/** The largest distance between the empirical CDFs of `a` and `b` (ties handled). */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * P(D ≥ d) from the Kolmogorov distribution, Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²), with Stephens'
 * small-sample correction λ = (√ne + 0.12 + 0.11/√ne)·d, ne = nm/(n+m) (Numerical Recipes'
 * `kstwo`; scipy's `ks_2samp(method="asymp")` uses the same limit distribution). No npm statistics
 * library that installs on Node 20 ships the Kolmogorov distribution (simple-statistics and
 * jstat do not; @stdlib's kstest is one-sample only), so its series is summed here.
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  const ne = Math.sqrt((n * m) / (n + m));
  const lambda = (ne + 0.12 + 0.11 / ne) * d;
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

export function ksTest(a: readonly number[], b: readonly number[]): KsResult {
  const d = ksStatistic(a, b);
  return { d, pValue: ksPValue(d, a.length, b.length) };
}
