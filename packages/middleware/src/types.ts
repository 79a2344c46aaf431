import type { TracerProvider } from "@opentelemetry/api";
import type { Registry as PromRegistry, RegistryContentType } from "prom-client";

/** A prom-client registry of either exposition format. */
export type MetricsRegistry = PromRegistry<RegistryContentType>;

/** Where a piece of captured content came from, passed to the redaction hook. */
export type ContentField =
  "input.messages" | "output.messages" | "system_instructions" | "tool.call.arguments" | "tool.call.result" | "retrieval.query";

/** What the redaction hook is told about the text it is given. */
export interface RedactionContext {
  /** The attribute the text is for. */
  field: ContentField;
}

/**
 * Rewrites captured text before it is put on a span. It runs only when `captureContent` is on,
 * after truncation. If it throws, the text is dropped (never emitted unredacted) and the error
 * is counted in `agentwatch_handler_errors_total{callback="redact"}`.
 */
export type RedactFn = (text: string, context: RedactionContext) => string;

/** Options of {@link AgentWatchHandler}. Every one is optional. */
export interface AgentWatchOptions {
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /**
   * The prom-client registry the metrics are registered in. Default: a new registry serving
   * OpenMetrics (so exemplars work), exposed as `handler.registry`. Never prom-client's global one.
   * Metrics already in the registry under the same names (a second handler on one registry) are reused.
   */
  registry?: MetricsRegistry;
  /**
   * `gen_ai.agent.name` of root runs and the `agent` label of metrics. Default: run metadata
   * `agent_name`, else the root run's name (a compiled LangGraph graph's `name`).
   */
  agentName?: string;
  /** Put prompt, completion, tool argument/result and retrieval query text on spans. Default: false. */
  captureContent?: boolean;
  /** With `captureContent`: characters kept of each captured text before redaction. Default: 4096. */
  maxContentLength?: number;
  /** With `captureContent`: redaction hook. Default: {@link redactSecrets} (emails, phones, cards, keys, bearer tokens). */
  redact?: RedactFn;
  /**
   * Also make spans for LangChain plumbing (RunnableSequence, lambdas, prompt templates, output
   * parsers, `__start__`, hidden runs). Default: false (their children attach to the nearest kept ancestor).
   */
  showAllRuns?: boolean;
  /**
   * Run agentwatch's callbacks inline (LangChain awaits them) instead of on LangChain's shared
   * background queue. Inline keeps end times and durations exact even when other handlers are
   * slow; its cost is microseconds of synchronous work per run. Default: true.
   */
  awaitCallbacks?: boolean;
  /** A run open longer than this is evicted (its span ended, `agentwatch_runs_evicted_total` counted). Default: 900000 (15 min). */
  runTtlMs?: number;
  /** At most this many open runs are tracked; the oldest is evicted past it. Default: 10000. */
  maxOpenRuns?: number;
  /** Distinct values kept per metric label; later ones become `other`. Default: 100. */
  maxLabelValues?: number;
  /** Buckets (seconds) of `gen_ai_invoke_agent_duration_seconds`. Default: 0.1, 0.2, … 409.6. */
  agentDurationBuckets?: number[];
}

/** What {@link AgentWatchHandler.instrumentEmbeddings} cannot read from the embeddings object itself. */
export interface EmbeddingsInfo {
  /** `gen_ai.request.model`. Default: the object's `model` / `modelName` field, else "unknown". */
  model?: string;
  /** `gen_ai.provider.name`. Default: from the class name (OpenAIEmbeddings → openai, ...), else "unknown". */
  provider?: string;
}
