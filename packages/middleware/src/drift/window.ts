/**
 * The current window of one agent and signal: the last `capacity` observations, none older than
 * `maxAgeMs`. A ring buffer: memory is fixed at `capacity` entries whatever the traffic.
 */
export class SlidingWindow<T> {
  private readonly values: (T | undefined)[];
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly maxAgeMs: number,
  ) {
    this.values = new Array<T | undefined>(capacity);
    this.times = new Float64Array(capacity);
  }

  push(value: T, atMs: number): void {
    this.values[this.next] = value;
    this.times[this.next] = atMs;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Observations no older than `maxAgeMs` at `nowMs`, oldest first. */
  snapshot(nowMs: number): T[] {
    const out: T[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const at = (start + i) % this.capacity;
      if (nowMs - (this.times[at] as number) <= this.maxAgeMs) out.push(this.values[at] as T);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}
