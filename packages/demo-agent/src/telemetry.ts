import { type MetricsRegistry, monitoredBatchSpanProcessor } from "@agentwatch/middleware";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

import { TraceSummaryExporter } from "./trace-summary-exporter.js";

/** Where the demo's traces go. */
export type TraceDestination = "otlp" | "console";

/**
 * Sets up OpenTelemetry tracing for the demo as an application would: the AsyncLocalStorage
 * context manager, W3C trace-context propagation, and either an OTLP exporter (when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; the standard
 * OTEL_* variables configure it) or a readable tree per trace on stdout. OTLP export health
 * (spans exported, failed by reason, dropped; the queue) goes to `registry`, the one `/metrics` serves.
 */
export function setupTracing(
  registry: MetricsRegistry,
  env: NodeJS.ProcessEnv = process.env,
): { provider: BasicTracerProvider; destination: TraceDestination } {
  const otlp = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const processor: SpanProcessor = otlp
    ? monitoredBatchSpanProcessor(new OTLPTraceExporter(), { registry })
    : new SimpleSpanProcessor(new TraceSummaryExporter());
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME ?? "acme-support-agent" }),
    spanProcessors: [processor],
  });
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { provider, destination: otlp ? "otlp" : "console" };
}
