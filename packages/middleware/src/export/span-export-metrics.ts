import { Counter, Gauge, type Metric } from "prom-client";
import { SPAN_EXPORT_FAILURE_REASONS } from "./export-failure-reason.js";
import { LABEL, METRIC } from "../semconv.js";
import type { MetricsRegistry } from "../metrics/types.js";
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

const byRegistry = new WeakMap<MetricsRegistry, SpanExportMetrics>();

/**
 * The span export-health metrics of one registry. Several processors may share a registry: the
 * counters add up and each gauge reports the sum over the processors still running.
 */
export class SpanExportMetrics {
  private readonly pipelines = new Set<SpanPipelineGauges>();
  private readonly exportedSpans: Counter;
  private readonly failedSpans: Counter;
  private readonly droppedSpans: Counter;

  /** The metrics of `registry`, registered on first use. */
  static of(registry: MetricsRegistry): SpanExportMetrics {
    let metrics = byRegistry.get(registry);
    if (metrics === undefined) {
      metrics = new SpanExportMetrics(registry);
      byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(private readonly registry: MetricsRegistry) {
    this.exportedSpans = this.counter(METRIC.spansExported, "Spans the span exporter reported as exported.", []);
    this.failedSpans = this.counter(
      METRIC.spansExportFailed,
      "Spans whose export failed, by reason (timeout, connection_refused, connection_error, http_4xx, http_5xx, http_retryable, concurrency_limit, other). They are lost.",
      [LABEL.reason],
    );
    for (const reason of SPAN_EXPORT_FAILURE_REASONS) this.failedSpans.inc({ [LABEL.reason]: reason }, 0);
    this.droppedSpans = this.counter(
      METRIC.spansDropped,
      "Spans dropped before export because the batch span processor was full (the exporter is slower than spans are made, or failing).",
      [],
    );
    const pipelines = this.pipelines;
    const sum = (read: (p: SpanPipelineGauges) => number) => [...pipelines].reduce((total, p) => total + read(p), 0);
    this.gauge(METRIC.spanQueueSize, "Spans waiting in the batch span processor's queue for export.", () => sum((p) => p.queued()));
    this.gauge(
      METRIC.spanQueueCapacity,
      "Spans the batch span processor holds at most, queued or being exported; past it new spans are dropped.",
      () => sum((p) => p.capacity),
    );
    this.gauge(METRIC.spansExportPending, "Spans handed to the span exporter whose export has not finished yet.", () =>
      sum((p) => p.pending()),
    );
  }

  /** Adds a processor's gauges to the sums; the returned function removes them. */
  track(pipeline: SpanPipelineGauges): () => void {
    this.pipelines.add(pipeline);
    return () => this.pipelines.delete(pipeline);
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

  private existing<T extends Metric>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }

  private counter(name: string, help: string, labelNames: string[]): Counter {
    return this.existing<Counter>(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge(name: string, help: string, read: () => number): void {
    if (this.existing<Gauge>(name) !== undefined) return;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
