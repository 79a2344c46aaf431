import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

import {
  AgentWatchHandler,
  createOpenMetricsRegistry,
  METRIC,
  type MetricsRegistry,
  monitoredBatchSpanProcessor,
  type MonitoredBatchSpanProcessorOptions,
} from "../../src/index.js";
import { find, parseExposition, value } from "./openmetrics.js";
import { installContextManager } from "./otel.js";

/** The export-health metrics of a registry, read from its exposition. */
export interface ExportHealth {
  exported: number;
  failed: Record<string, number>;
  failedTotal: number;
  dropped: number;
  queued: number;
  capacity: number;
  pending: number;
}

export async function exportHealth(registry: MetricsRegistry): Promise<ExportHealth> {
  const expo = parseExposition(await registry.metrics());
  const failed: Record<string, number> = {};
  for (const s of find(expo, METRIC.spansExportFailed)) failed[s.labels.reason as string] = s.value;
  return {
    exported: value(expo, METRIC.spansExported),
    failed,
    failedTotal: Object.values(failed).reduce((a, b) => a + b, 0),
    dropped: value(expo, METRIC.spansDropped),
    queued: value(expo, METRIC.spanQueueSize),
    capacity: value(expo, METRIC.spanQueueCapacity),
    pending: value(expo, METRIC.spansExportPending),
  };
}

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs` with `what`. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The support graph fixture (retrieve → agent ⇄ tools, offline model without sleeps) traced by an
 * AgentWatchHandler into a tracer provider whose only exporting processor is
 * `monitoredBatchSpanProcessor(new OTLPTraceExporter(...))`; a second, in-memory processor counts
 * every span that ended, the truth the counters are checked against.
 */
export function exportPipeline(
  url: string,
  exporter: { timeoutMillis: number; concurrencyLimit?: number },
  processor: Omit<MonitoredBatchSpanProcessorOptions, "registry">,
) {
  installContextManager();
  const registry = createOpenMetricsRegistry();
  const ended = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      monitoredBatchSpanProcessor(new OTLPTraceExporter({ url, ...exporter }), { registry, ...processor }),
      new SimpleSpanProcessor(ended),
    ],
  });
  const handler = new AgentWatchHandler({ tracerProvider: provider, registry });
  const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 0, perTokenDelayMs: 0 }) });
  return {
    registry,
    /** One agent run, resolved when the run is done. */
    invoke: () => graph.invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, { callbacks: [handler] }),
    /** Spans that ended so far (all sampled). */
    ended: () => ended.getFinishedSpans().length,
    health: () => exportHealth(registry),
    async shutdown(): Promise<void> {
      handler.shutdown();
      await provider.shutdown();
    },
  };
}
