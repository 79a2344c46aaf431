/**
 * Open runs by LangChain run id, bounded: a run open longer than the TTL, or the oldest run once
 * more than `maxOpenRuns` are open, is evicted. Insertion order is start order, so the oldest
 * runs are always at the front and a sweep touches only what it evicts.
 */
export class RunStore<R extends { startMs: number }> {
  private readonly runs = new Map<string, R>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /**
   * No open run can be past the TTL before this time: the oldest run's start + TTL, as of the last
   * sweep (a run deleted since only makes it early). Lets a start skip the sweep, and its iterator.
   */
  private sweepAtMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly ttlMs: number,
    private readonly maxOpenRuns: number,
    private readonly onEvict: (run: R, nowMs: number) => void,
    private readonly now: () => number,
  ) {
    const period = Math.max(1000, Math.min(ttlMs, 60_000));
    this.timer = setInterval(() => this.sweep(this.now()), period);
    this.timer.unref?.();
  }

  get size(): number {
    return this.runs.size;
  }

  get(id: unknown): R | undefined {
    return typeof id === "string" ? this.runs.get(id) : undefined;
  }

  has(id: string): boolean {
    return this.runs.has(id);
  }

  add(id: string, run: R): void {
    this.runs.set(id, run);
    if (this.runs.size === 1) this.sweepAtMs = run.startMs + this.ttlMs;
    if (this.runs.size > this.maxOpenRuns || run.startMs > this.sweepAtMs) this.sweep(run.startMs);
  }

  delete(id: string): void {
    this.runs.delete(id);
  }

  /** Evicts runs past the TTL, and the oldest while over the cap. */
  sweep(nowMs: number): void {
    this.sweepAtMs = Number.POSITIVE_INFINITY;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.maxOpenRuns && nowMs - run.startMs <= this.ttlMs) {
        this.sweepAtMs = run.startMs + this.ttlMs;
        break;
      }
      this.runs.delete(id);
      this.onEvict(run, nowMs);
    }
  }

  /** Stops the periodic sweep. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
