import { DEMO_PRICES, keywordRelevanceEvaluator } from "@agentwatch/demo-agent";
import { AgentWatchHandler, type AgentWatchOptions, groundednessEvaluator } from "@agentwatch/middleware";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { CallbackHandler as LangfuseHandler } from "@langfuse/langchain";
import { setLangfuseTracerProvider } from "@langfuse/tracing";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

import { DiscardExporter } from "./discard-exporter.js";
import { SpanFloorHandler } from "./span-floor.js";

/** A tracer configuration measured by the bench. */
export interface Variant {
  name: string;
  /** Callbacks to pass to each invoke. */
  callbacks: () => unknown[];
  /** Called before and after each of its timed batches (for tracers that patch LangChain globally). */
  enter?: () => void;
  leave?: () => void;
  /** Run it on the graph with guardrail nodes (see `benchAgent`). Default: the plain graph. */
  guarded?: boolean;
}

/** A handler that does nothing: the floor for any callback-based tracer. */
class NoopHandler extends BaseCallbackHandler {
  name = "noop";
}

function provider(exporter: DiscardExporter): BasicTracerProvider {
  return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 8192, scheduledDelayMillis: 200 })] });
}

/**
 * Each feature's options, one at a time on top of the defaults (guardrails are not a handler option:
 * they are nodes in the graph, see `benchAgent`). Content capture is off in every variant: it is
 * opt-in (`captureContent`), as in production.
 */
export const FEATURES = {
  /** Prices for the offline model's name and a daily budget, so every model run is costed. */
  cost: { prices: { ...DEMO_PRICES }, budgets: { global: 100 } },
  /** Every run guard, recording (never aborting): the bench's runs stay under each limit. */
  guards: { guards: { action: "record", maxCostUsd: 1, maxTokens: 100_000, maxLlmCalls: 20, maxToolCalls: 20, maxRepeatedToolCalls: 5 } },
  /** Online evaluation of a quarter of the runs (the demo's rate) by the no-model heuristics, no LLM judge. */
  evaluation: { evaluation: { evaluators: [groundednessEvaluator(), keywordRelevanceEvaluator()], sampleRate: 0.25 } },
  /** Drift windows with the option's defaults (500 observations, a test a minute). */
  drift: { drift: {} },
  /** Conversation outcomes with their defaults. */
  outcomes: { outcomes: {} },
  /** Signed feedback tokens on every run. */
  feedback: { feedback: { secret: "bench-feedback-secret-0123456789abcdef" } },
} satisfies Record<string, AgentWatchOptions>;

export type Feature = keyof typeof FEATURES | "guardrails";

/** A fresh handler over its own span-discarding tracer provider: the defaults plus `options`. */
export function agentwatchHandler(options: AgentWatchOptions = {}): AgentWatchHandler {
  return new AgentWatchHandler({ tracerProvider: provider(new DiscardExporter()), agentName: "bench", ...options });
}

/** Every handler option of {@link FEATURES} at once. */
export function allOnOptions(): AgentWatchOptions {
  return Object.assign({}, ...Object.values(FEATURES)) as AgentWatchOptions;
}

/** The no-op handler on the guardrail graph: the floor the all-on handler is measured against. */
export const noopGuarded = (): Variant => ({ name: "no-op (guardrails)", callbacks: () => [new NoopHandler()], guarded: true });

/** The variant that only makes the OTel spans agentwatch makes (see span-floor.ts). */
export const SPAN_FLOOR = "otel spans only";

/** Every variant, each with its own tracer provider over a span-discarding exporter. */
export function variants(): {
  list: Variant[];
  agentwatch: AgentWatchHandler;
  allOn: AgentWatchHandler;
  exporters: Record<string, DiscardExporter>;
} {
  const exporters = {
    agentwatch: new DiscardExporter(),
    openinference: new DiscardExporter(),
    langfuse: new DiscardExporter(),
    spanFloor: new DiscardExporter(),
  };
  const agentwatch = new AgentWatchHandler({ tracerProvider: provider(exporters.agentwatch), agentName: "bench" });
  const allOn = agentwatchHandler(allOnOptions());
  const noop = new NoopHandler();
  const spanFloor = new SpanFloorHandler(provider(exporters.spanFloor).getTracer("span-floor"));

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
    { name: SPAN_FLOOR, callbacks: () => [spanFloor] },
    { name: "agentwatch", callbacks: () => [agentwatch] },
    {
      name: "openinference",
      callbacks: () => [],
      enter: () => oi.manuallyInstrument(CallbackManagerModule as never),
      leave: unpatch,
    },
    { name: "langfuse", callbacks: () => [langfuse] },
    noopGuarded(),
    { name: "agentwatch (all on)", callbacks: () => [allOn], guarded: true },
  ];
  return { list, agentwatch, allOn, exporters };
}

/**
 * The `features` section's variants: the no-op handler and default agentwatch on both graphs, each
 * feature alone on top of the defaults, and everything on; each handler its own.
 */
export function featureVariants(): { list: Variant[]; handlers: AgentWatchHandler[] } {
  const noop = new NoopHandler();
  const base = agentwatchHandler();
  const baseGuarded = agentwatchHandler();
  const handlers = [base, baseGuarded];
  const list: Variant[] = [
    { name: "no-op handler", callbacks: () => [noop] },
    { name: "agentwatch", callbacks: () => [base] },
    noopGuarded(),
    { name: "guardrails", callbacks: () => [baseGuarded], guarded: true },
  ];
  for (const [name, options] of Object.entries(FEATURES)) {
    const handler = agentwatchHandler(options);
    handlers.push(handler);
    list.push({ name, callbacks: () => [handler] });
  }
  const allOn = agentwatchHandler(allOnOptions());
  handlers.push(allOn);
  list.push({ name: "all on", callbacks: () => [allOn], guarded: true });
  return { list, handlers };
}

/** Counts the LangChain runs (chains, models, tools, retrievers) one invoke starts. */
export class RunCounter extends BaseCallbackHandler {
  name = "run-counter";
  runs = 0;
  override handleChainStart(): void {
    this.runs++;
  }
  override handleLLMStart(): void {
    this.runs++;
  }
  override handleChatModelStart(): void {
    this.runs++;
  }
  override handleToolStart(): void {
    this.runs++;
  }
  override handleRetrieverStart(): void {
    this.runs++;
  }
}
