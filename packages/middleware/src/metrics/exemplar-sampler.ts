/**
 * Decides when a histogram observation also replaces its bucket's exemplar: at most once per
 * `intervalMs` for each series and bucket. Prometheus keeps one exemplar per bucket per scrape,
 * so a fresher one within the same second adds nothing, while writing one costs more than the
 * observation itself. A bucket that has had none for a while (the slow outliers) always gets one.
 */
export class ExemplarSampler {
  /** Series (its label-set object) → time each bucket's exemplar was last written. */
  private readonly written = new WeakMap<object, Float64Array>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an observation of `value` in `series` (with these bucket bounds) should write its exemplar. */
  due(series: object, bounds: readonly number[], value: number): boolean {
    let times = this.written.get(series);
    if (times === undefined) {
      times = new Float64Array(bounds.length + 1).fill(Number.NEGATIVE_INFINITY);
      this.written.set(series, times);
    }
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    const now = this.now();
    if (now - (times[bucket] as number) < this.intervalMs) return false;
    times[bucket] = now;
    return true;
  }
}
