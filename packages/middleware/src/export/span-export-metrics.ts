import type { Counter } from "prom-client";

import { Instruments } from "../metrics/instruments.js";
import type { MetricsRegistry } from "../metrics/types.js";
import { LABEL, METRIC } from "../semconv.js";
import { SPAN_EXPORT_FAILURE_REASONS } from "./export-failure-reason.js";
import type { SpanExportFailureReason } from "./types.js";

/** What one monitored span processor reports to the export-health gauges when they are scraped. */
export interface SpanPipelineGauges {
  /** Spans accepted and not yet handed to the exporter. */
  queued(): number;
  /** Spans handed to the exporter whose export has not reported back yet. */
  pending(): number;
  /** The most spans it queues. */
  readonly capacity: number;
}

/**
 * The span export-health metrics one monitored span processor writes to its registry. Several
 * processors may share a registry: the counters add up and each gauge reports the sum over the
 * processors still running ({@link close} takes one out).
 */
export class SpanExportMetrics {
  private readonly instruments: Instruments;
  private readonly exportedSpans: Counter;
  private readonly failedSpans: Counter;
  private readonly droppedSpans: Counter;

  constructor(registry: MetricsRegistry, pipeline: SpanPipelineGauges) {
    const instruments = (this.instruments = new Instruments(registry));
    this.exportedSpans = instruments.counter({ name: METRIC.spansExported, help: "Spans the span exporter reported as exported." });
    this.failedSpans = instruments.counter({
      name: METRIC.spansExportFailed,
      help: "Spans whose export failed, by reason (timeout, connection_refused, connection_error, http_4xx, http_5xx, http_retryable, concurrency_limit, other). They are lost.",
      labelNames: [LABEL.reason],
    });
    for (const reason of SPAN_EXPORT_FAILURE_REASONS) this.failedSpans.inc({ [LABEL.reason]: reason }, 0);
    this.droppedSpans = instruments.counter({
      name: METRIC.spansDropped,
      help: "Spans dropped before export because the batch span processor was full (the exporter is slower than spans are made, or failing).",
    });
    instruments.summedGauge({ name: METRIC.spanQueueSize, help: "Spans waiting in the batch span processor's queue for export." }, () =>
      pipeline.queued(),
    );
    instruments.summedGauge(
      {
        name: METRIC.spanQueueCapacity,
        help: "Spans the batch span processor holds at most, queued or being exported; past it new spans are dropped.",
      },
      () => pipeline.capacity,
    );
    instruments.summedGauge(
      { name: METRIC.spansExportPending, help: "Spans handed to the span exporter whose export has not finished yet." },
      () => pipeline.pending(),
    );
  }

  /** Takes this processor out of the gauges' sums (its counts stay). Idempotent. */
  close(): void {
    this.instruments.close();
  }

  exported(spans: number): void {
    this.exportedSpans.inc(spans);
  }

  failed(reason: SpanExportFailureReason, spans: number): void {
    this.failedSpans.inc({ [LABEL.reason]: reason }, spans);
  }

  dropped(): void {
    this.droppedSpans.inc();
  }
}
