import type { Span } from "@opentelemetry/api";

import { Exemplars } from "./exemplars.js";
import { LabelLimiter, type MetricLabel } from "./label-limiter.js";
import { type Labels, LabelSetCache } from "./label-set-cache.js";
import type { CounterWrites, HistogramWrites } from "./series-writes.js";

/** Bounded label sets remembered for reuse (cleared when full; they are rebuilt on demand). */
const MAX_CACHED_LABEL_SETS = 4096;

/**
 * What the metric families write through: every label value passes the {@link LabelLimiter}, and
 * exemplar histograms carry trace/span exemplars when the registry serves OpenMetrics.
 */
export class Series {
  private readonly limiter: LabelLimiter;
  private readonly boundLabels = new LabelSetCache(MAX_CACHED_LABEL_SETS);
  private readonly exemplars: Exemplars;

  constructor(options: { maxLabelValues: number; exemplars: boolean; onOverflow: (at: MetricLabel) => void }) {
    this.limiter = new LabelLimiter(options.maxLabelValues, options.onOverflow);
    this.exemplars = new Exemplars(options.exemplars);
  }

  /**
   * `labels` with every value bounded by the limiter. A label set seen before (all of its values
   * admitted) comes from a cache: the hot path allocates nothing for it.
   */
  bound(metric: string, labels: Labels): Labels {
    const cached = this.boundLabels.get(metric, labels);
    if (cached !== undefined) return cached;
    const out: Labels = {};
    let admitted = true;
    for (const label in labels) {
      const raw = labels[label];
      const value = this.limiter.value({ metric, label, raw });
      if (value !== raw) admitted = false; // overflowed or normalized: let the limiter see it every time
      out[label] = value;
    }
    if (admitted) this.boundLabels.set(metric, labels, Object.freeze(out));
    return out;
  }

  /** Observes `value` in `metric`'s bounded series, with the span's ids as the bucket's exemplar when one is due. */
  observe(h: HistogramWrites, metric: string, labels: Labels, value: number, span: Span | undefined): void {
    this.exemplars.observe(h, this.bound(metric, labels), value, span);
  }

  /** Observes `value` in `metric`'s bounded series of `labels` (a histogram without exemplars). */
  record(h: HistogramWrites, metric: string, labels: Labels, value: number): void {
    h.observe(this.bound(metric, labels), value);
  }

  /** Adds `by` (default 1) to `metric`'s bounded series of `labels`. */
  count(c: CounterWrites, metric: string, labels: Labels, by = 1): void {
    c.inc(this.bound(metric, labels), by);
  }
}
