import type { MetricsRegistry } from "../metrics/types.js";

/**
 * Why a span export failed: the `reason` label of `agentwatch_spans_export_failed_total`.
 * `timeout`: no answer within the exporter's `timeoutMillis`. `connection_refused`: nothing listens
 * at the endpoint. `connection_error`: reset, unreachable, DNS. `http_4xx` / `http_5xx`: the
 * endpoint answered with that status class. `http_retryable`: it kept answering 429/502/503/504
 * until the exporter's deadline. `concurrency_limit`: the exporter had too many requests in flight
 * (a slow or hanging endpoint) and refused the batch. `other`: anything else.
 */
export type SpanExportFailureReason =
  "timeout" | "connection_refused" | "connection_error" | "http_4xx" | "http_5xx" | "http_retryable" | "concurrency_limit" | "other";

/**
 * Options of {@link monitoredBatchSpanProcessor}: the registry its metrics go to, and the settings
 * of OpenTelemetry's `BatchSpanProcessor` it builds (left out: the `OTEL_BSP_*` variable, else the
 * SDK's default).
 */
export interface MonitoredBatchSpanProcessorOptions {
  /** The prom-client registry the export-health metrics are registered in, e.g. `handler.registry`. */
  registry: MetricsRegistry;
  /**
   * Spans the processor holds at most, waiting in the queue or being exported; more are dropped and
   * counted. Default: `OTEL_BSP_MAX_QUEUE_SIZE`, else 2048.
   */
  maxQueueSize?: number;
  /** Spans per export request at most. Default: `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, else 512. */
  maxExportBatchSize?: number;
  /** Delay between two exports, in ms. Default: `OTEL_BSP_SCHEDULE_DELAY`, else 5000. */
  scheduledDelayMillis?: number;
  /** How long the processor waits for one export before it moves on to the next batch, in ms. Default: `OTEL_BSP_EXPORT_TIMEOUT`, else 30000. */
  exportTimeoutMillis?: number;
}
