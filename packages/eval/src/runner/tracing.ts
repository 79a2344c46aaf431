import type { Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

import { ensureContextManager } from "./context-manager.js";
import { TraceStore } from "./trace-store.js";

/** The tracing of one evaluation: spans kept in memory by trace, and sent over OTLP when configured. */
export interface EvalTracing {
  provider: BasicTracerProvider;
  tracer: Tracer;
  store: TraceStore;
  /** Ends the provider: the OTLP exporter sends what it still holds. */
  shutdown(): Promise<void>;
}

/**
 * A private tracer provider (never the global one) with the in-memory {@link TraceStore} and, if
 * `otlpEndpoint` is given or `OTEL_EXPORTER_OTLP_ENDPOINT` is set, a batched OTLP/HTTP exporter,
 * so evaluation traces land in Tempo next to production ones.
 */
export function createEvalTracing(otlpEndpoint?: string): EvalTracing {
  ensureContextManager();
  const store = new TraceStore();
  const processors: SpanProcessor[] = [new SimpleSpanProcessor(store)];
  const endpoint = otlpEndpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint !== undefined && endpoint !== "") {
    const exporter =
      otlpEndpoint === undefined
        ? new OTLPTraceExporter()
        : new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, "")}/v1/traces` });
    processors.push(new BatchSpanProcessor(exporter));
  }
  const provider = new BasicTracerProvider({ spanProcessors: processors });
  return {
    provider,
    tracer: provider.getTracer("@agentwatch/eval", "0.1.0"),
    store,
    shutdown: () => provider.shutdown(),
  };
}
