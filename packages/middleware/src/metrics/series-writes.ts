import type { Counter, Histogram } from "prom-client";

import type { Labels } from "./label-set-cache.js";

/**
 * The hot path's writes into prom-client series, without prom-client's per-call work.
 *
 * prom-client's `observe` / `inc` validate every label name, build the series key string from
 * the label values and allocate a closure on every call; at a few dozen observations per agent run
 * that was a tenth of agentwatch's callback time. The label sets written here are the frozen,
 * already-validated objects of `Series.bound`, so the key is built once per label set and the
 * series' own record in the metric (prom-client 15's `hashMap[key]`, the object it renders from) is
 * updated in place. Every write checks that the record is still the one in the metric (a `reset()`,
 * `remove()` or another owner may have replaced it); if not, or for the first write of a label set,
 * it goes through prom-client's public API, which creates the record, and then caches it.
 * prom-client is pinned; `test/series-writes.test.ts` compares both paths' expositions.
 */

interface HistogramRecord {
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface CounterRecord {
  value: number;
}

/** What of prom-client 15's metric objects this module reads. */
interface MetricInternals<R> {
  hashMap: Record<string, R | undefined>;
  sortedLabelNames: readonly string[];
  /** Histograms only: bucket upper bounds, ascending. */
  upperBounds?: readonly number[];
}

/** A label set's series in one metric: its key and the record last seen under it. */
interface Slot<R> {
  key: string;
  record: R | undefined;
}

/** prom-client 15's series key: `name:value,` for each label of the set, in sorted label-name order. */
function seriesKey(sortedNames: readonly string[], labels: Labels): string {
  let key = "";
  for (const name of sortedNames) {
    const value = labels[name];
    if (value !== undefined) key += `${name}:${value},`;
  }
  return key;
}

/** Cached slots of one metric, by label-set object (Series' frozen, bounded sets). */
class Slots<R> {
  private readonly byLabels = new WeakMap<Labels, Slot<R>>();

  constructor(private readonly internals: MetricInternals<R>) {}

  /** The live record of `labels`' series, or undefined when the public API must write (and create) it. */
  live(labels: Labels): { slot: Slot<R>; record: R | undefined } {
    let slot = this.byLabels.get(labels);
    if (slot === undefined) {
      slot = { key: seriesKey(this.internals.sortedLabelNames, labels), record: undefined };
      this.byLabels.set(labels, slot);
    }
    const record = this.internals.hashMap[slot.key];
    return { slot, record: record !== undefined && record === slot.record ? record : undefined };
  }

  /** Remembers the record prom-client holds for `slot` after a public-API write. */
  refresh(slot: Slot<R>): void {
    slot.record = this.internals.hashMap[slot.key];
  }
}

function internalsOf<R>(metric: object): MetricInternals<R> | undefined {
  const m = metric as Partial<MetricInternals<R>>;
  return typeof m.hashMap === "object" && m.hashMap !== null && Array.isArray(m.sortedLabelNames) ? (m as MetricInternals<R>) : undefined;
}

/** Observes histogram values into label sets frozen by `Series.bound`. */
export class HistogramWrites {
  private readonly slots: Slots<HistogramRecord> | undefined;
  /** Bucket upper bounds, ascending: the histogram's own (another owner may have registered it with other buckets). */
  readonly bounds: readonly number[];
  /** The property names of `bucketValues` (prom-client keys buckets by their bound, as a string). */
  private readonly bucketKeys: readonly string[];

  /** `buckets`: the bounds to assume when the histogram does not show its own. */
  constructor(
    readonly histogram: Histogram,
    buckets: readonly number[],
  ) {
    const internals = internalsOf<HistogramRecord>(histogram);
    this.bounds = internals?.upperBounds ?? buckets;
    this.bucketKeys = this.bounds.map(String);
    this.slots = internals?.upperBounds === undefined ? undefined : new Slots(internals);
  }

  /** Observes `value` in the series of `labels` (a frozen `Series.bound` set). */
  observe(labels: Labels, value: number): void {
    const live = Number.isFinite(value) ? this.slots?.live(labels) : undefined;
    const record = live?.record;
    if (record === undefined) {
      // prom-client validates and throws on a bad value; the guard around callbacks counts it.
      (this.histogram as unknown as { observeWithoutExemplar(labels: Labels, value: number): void }).observeWithoutExemplar(labels, value);
      if (live !== undefined) this.slots?.refresh(live.slot);
      return;
    }
    record.sum += value;
    record.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (record.bucketValues[this.bucketKeys[i] as string] as number) += 1;
        return;
      }
    }
  }

  /** Observes `value` with an exemplar (always through prom-client: exemplars are rate-limited, so rare). */
  observeWithExemplar(labels: Labels, value: number, exemplarLabels: Labels): void {
    this.histogram.observe({ labels, value, exemplarLabels });
  }
}

/** Increments counters in label sets frozen by `Series.bound`. */
export class CounterWrites {
  private readonly slots: Slots<CounterRecord> | undefined;

  constructor(readonly counter: Counter) {
    const internals = internalsOf<CounterRecord>(counter);
    this.slots = internals === undefined ? undefined : new Slots(internals);
  }

  /** Adds `by` (default 1) to the series of `labels` (a frozen `Series.bound` set). */
  inc(labels: Labels, by = 1): void {
    const live = Number.isFinite(by) && by >= 0 ? this.slots?.live(labels) : undefined;
    const record = live?.record;
    if (record === undefined) {
      this.counter.inc(labels, by);
      if (live !== undefined) this.slots?.refresh(live.slot);
      return;
    }
    record.value += by;
  }
}
