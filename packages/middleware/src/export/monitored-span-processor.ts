import { type Context, TraceFlags } from "@opentelemetry/api";
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

import type { MetricsRegistry } from "../metrics/types.js";
import { exportFailureReason } from "./export-failure-reason.js";
import { resolveProcessorOptions } from "./monitored-span-processor-options.js";
import { SpanExportMetrics } from "./span-export-metrics.js";
import type { MonitoredBatchSpanProcessorOptions } from "./types.js";

type ExportCallback = Parameters<SpanExporter["export"]>[1];
type ExportResult = Parameters<ExportCallback>[0];
/** `ExportResultCode.SUCCESS` / `.FAILED` of @opentelemetry/core (a numeric enum). */
const SUCCESS = 0 as ExportResult["code"];
const FAILED = 1 as ExportResult["code"];

/**
 * OpenTelemetry's `BatchSpanProcessor` for `exporter`, with export health as Prometheus metrics in
 * `options.registry`:
 *
 * - `agentwatch_spans_exported_total`: spans the exporter reported exported;
 * - `agentwatch_spans_export_failed_total{reason}`: spans in failed exports, by a bounded reason
 *   (`timeout`, `connection_refused`, `http_5xx`, ... see `SpanExportFailureReason`);
 * - `agentwatch_spans_dropped_total`: spans dropped because the processor was full (the SDK's own
 *   processor drops them with only a debug log);
 * - `agentwatch_span_queue_size`: spans waiting for export;
 * - `agentwatch_spans_export_pending`: spans handed to the exporter that have no result yet;
 * - `agentwatch_span_queue_capacity`: `maxQueueSize`, the most spans it holds (queued + pending).
 *
 * Batching, timers, the export timeout and flushing are the SDK's own. The processor admits a span
 * only while it holds fewer than `maxQueueSize` spans, queued or being exported (handed to the
 * exporter, no result yet), so the SDK's queue never overflows and every drop is counted here,
 * exactly. Counting exports in flight keeps memory bounded by `maxQueueSize` even when exports
 * pile up: after a failed export the SDK's processor (2.x) may start the next batch while others
 * are still in flight, and it gives up waiting on a hanging export after `exportTimeoutMillis`.
 * Spans are exported off the request path: a slow, hanging or refusing endpoint costs at most
 * that memory, never agent latency.
 *
 * ```ts
 * const provider = new NodeTracerProvider({
 *   spanProcessors: [monitoredBatchSpanProcessor(new OTLPTraceExporter(), { registry: agentwatch.registry })],
 * });
 * ```
 *
 * Throws a TypeError naming the option and the fix when an option is wrong.
 */
export function monitoredBatchSpanProcessor(exporter: SpanExporter, options: MonitoredBatchSpanProcessorOptions): SpanProcessor {
  const resolved = resolveProcessorOptions(exporter, options);
  return new MonitoredBatchSpanProcessor(exporter, resolved.config, resolved.registry);
}

class MonitoredBatchSpanProcessor implements SpanProcessor {
  private readonly batch: BatchSpanProcessor;
  private readonly capacity: number;
  /** Spans admitted and not yet handed to the exporter. */
  private queued = 0;
  /** Spans handed to the exporter with no result yet. */
  private pending = 0;
  private stopped = false;
  private readonly metrics: SpanExportMetrics;

  constructor(
    exporter: SpanExporter,
    config: { maxQueueSize: number; maxExportBatchSize?: number; scheduledDelayMillis?: number; exportTimeoutMillis?: number },
    registry: MetricsRegistry,
  ) {
    this.capacity = config.maxQueueSize;
    this.batch = new BatchSpanProcessor(new CountingExporter(exporter, this), { ...config });
    this.metrics = new SpanExportMetrics(registry, { queued: () => this.queued, pending: () => this.pending, capacity: this.capacity });
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores spans after shutdown and unsampled spans: they are not counted either.
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued + this.pending >= this.capacity) {
      this.metrics.dropped();
      return;
    }
    this.queued++;
    this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return this.batch.shutdown().finally(() => this.metrics.close());
  }

  /** The batch processor took `spans` from its queue and handed them to the exporter. */
  handed(spans: number): void {
    this.queued = Math.max(0, this.queued - spans);
    this.pending += spans;
  }

  /** The exporter reported the result of an export of `spans`. */
  finished(spans: number, result: ExportResult): void {
    this.pending = Math.max(0, this.pending - spans);
    if (result.code === SUCCESS) this.metrics.exported(spans);
    else this.metrics.failed(exportFailureReason(result.error), spans);
  }
}

/** Passes exports through to the user's exporter, telling the processor what was handed over and how it ended. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly processor: MonitoredBatchSpanProcessor,
  ) {}

  export(spans: ReadableSpan[], done: ExportCallback): void {
    const count = spans.length;
    this.processor.handed(count);
    let reported = false;
    const finish = (result: ExportResult) => {
      if (reported) return;
      reported = true;
      try {
        this.processor.finished(count, result);
      } finally {
        done(result);
      }
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
