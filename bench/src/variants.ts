import { AgentWatchHandler } from "@agentwatch/middleware";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { CallbackHandler as LangfuseHandler } from "@langfuse/langchain";
import { setLangfuseTracerProvider } from "@langfuse/tracing";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

import { DiscardExporter } from "./discard-exporter.js";

/** A tracer configuration measured by the bench. */
export interface Variant {
  name: string;
  /** Callbacks to pass to each invoke. */
  callbacks: () => unknown[];
  /** Called before and after each of its timed batches (for tracers that patch LangChain globally). */
  enter?: () => void;
  leave?: () => void;
}

/** A handler that does nothing: the floor for any callback-based tracer. */
class NoopHandler extends BaseCallbackHandler {
  name = "noop";
}

function provider(exporter: DiscardExporter): BasicTracerProvider {
  return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192, scheduledDelayMillis: 200 })] });
}

/** Every variant, each with its own tracer provider over a span-discarding exporter. */
export function variants(): { list: Variant[]; agentwatch: AgentWatchHandler; exporters: Record<string, DiscardExporter> } {
  const exporters = { agentwatch: new DiscardExporter(), openinference: new DiscardExporter(), langfuse: new DiscardExporter() };
  const agentwatch = new AgentWatchHandler({ tracerProvider: provider(exporters.agentwatch), agentName: "bench" });
  const noop = new NoopHandler();

  const oi = new LangChainInstrumentation({ tracerProvider: provider(exporters.openinference) });
  // OpenInference patches LangChain's CallbackManager globally; the bench patches it only around
  // its own batches (its unpatch is TypeScript-private, but it is how the package itself unpatches).
  const unpatch = () => (oi as unknown as { unpatch(module: unknown): void }).unpatch(CallbackManagerModule);
  unpatch();

  setLangfuseTracerProvider(provider(exporters.langfuse));
  const langfuse = new LangfuseHandler();

  const list: Variant[] = [
    { name: "no handler", callbacks: () => [] },
    { name: "no-op handler", callbacks: () => [noop] },
    { name: "agentwatch", callbacks: () => [agentwatch] },
    {
      name: "openinference",
      callbacks: () => [],
      enter: () => oi.manuallyInstrument(CallbackManagerModule as never),
      leave: unpatch,
    },
    { name: "langfuse", callbacks: () => [langfuse] },
  ];
  return { list, agentwatch, exporters };
}
