import { type Span, TraceFlags } from "@opentelemetry/api";

import { ExemplarSampler } from "./exemplar-sampler.js";
import type { Labels } from "./label-set-cache.js";
import type { HistogramWrites } from "./series-writes.js";

/** An exemplar is written at most this often per series and bucket. */
const EXEMPLAR_INTERVAL_MS = 1000;

/** Trace and span id of the span a measurement belongs to; written as an exemplar. */
export interface Exemplar {
  traceId: string;
  spanId: string;
}

/** The exemplar of a span: its ids, if it is sampled (an exemplar for a dropped trace links nowhere). */
export function exemplarOf(span: Span): Exemplar | undefined {
  const sc = span.spanContext();
  return (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? { traceId: sc.traceId, spanId: sc.spanId } : undefined;
}

/**
 * Observations of exemplar histograms: the span's ids become the bucket's exemplar when one is
 * due (see {@link ExemplarSampler}) and the registry serves OpenMetrics.
 */
export class Exemplars {
  private readonly sampler = new ExemplarSampler(EXEMPLAR_INTERVAL_MS);

  constructor(private readonly enabled: boolean) {}

  /** Observes `value` in the series of `labels` (already bounded: the sampler keys on the object). */
  observe(h: HistogramWrites, labels: Labels, value: number, span: Span | undefined): void {
    const due = this.enabled && span !== undefined && this.sampler.due(labels, h.bounds, value);
    const exemplar = due ? exemplarOf(span as Span) : undefined;
    if (exemplar !== undefined) h.observeWithExemplar(labels, value, { trace_id: exemplar.traceId, span_id: exemplar.spanId });
    else h.observe(labels, value);
  }
}
