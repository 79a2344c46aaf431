import type { TracerProvider } from "@opentelemetry/api";
import type { Registry as PromRegistry, RegistryContentType } from "prom-client";

/** A prom-client registry of either exposition format. */
export type MetricsRegistry = PromRegistry<RegistryContentType>;

/** Where a piece of captured content came from, passed to the redaction hook. */
export type ContentField =
  | "input.messages"
  | "output.messages"
  | "system_instructions"
  | "tool.call.arguments"
  | "tool.call.result"
  | "retrieval.query"
  | "evaluation.explanation"
  | "feedback.comment";

/** What the redaction hook is told about the text it is given. */
export interface RedactionContext {
  /** The attribute the text is for. */
  field: ContentField;
}

/**
 * Rewrites captured text before it is put on a span. It runs only when `captureContent` is on,
 * after truncation, and must be synchronous. If it throws or returns anything but a string (a
 * Promise, say), the text is dropped (never emitted unredacted) and the failure is counted in
 * `agentwatch_handler_errors_total{callback="redact"}`; only the error's type is logged, as its
 * message may quote the text.
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
  /**
   * Distinct values kept per metric label; later ones become `other`. Default: 100. Values are
   * cut to 128 characters (never inside a surrogate pair); lone surrogates become U+FFFD.
   */
  maxLabelValues?: number;
  /** Buckets (seconds) of `gen_ai_invoke_agent_duration_seconds`. Default: 0.1, 0.2, … 409.6. */
  agentDurationBuckets?: number[];
  /**
   * Prices that win over the bundled `@pydantic/genai-prices` data, for fine-tuned, self-hosted
   * or negotiated models. Keyed by model name (`"ft:gpt-4o:acme"`) or `"provider/model"`
   * (`"openai/gpt-4o"`). Default: none.
   */
  prices?: Record<string, ModelPrice>;
  /** Daily budgets in USD, exposed as `agentwatch_budget_usd{scope,name}` for alert rules. Default: none. */
  budgets?: BudgetOptions;
  /** Per-run limits that stop (or just record) runaway runs. Default: none. */
  guards?: RunGuardOptions;
  /**
   * Run-metadata keys added as labels of `agentwatch_cost_usd_total` besides `feature` (each
   * bounded by `maxLabelValues`). Default: none. User and session ids are never labels.
   */
  attributionLabels?: AttributionLabel[];
  /**
   * Add a `prompt_version` label (bounded) to `gen_ai_client_operation_duration_seconds` and
   * `gen_ai_client_token_usage`, to compare prompt versions' latency and tokens. Default: false.
   */
  promptVersionLabel?: boolean;
  /** Online evaluation of sampled runs in the background, off the request path. Default: off. */
  evaluation?: EvaluationOptions;
  /** Finished runs remembered so scores and feedback can reach their traces. Default: 10000. */
  recentRuns?: number;
}

/** The texts of a finished run that an evaluator judges (kept in memory only, never exported). */
export interface EvaluationSample {
  question: string;
  answer: string;
  documents: string[];
}

/** An evaluator's verdict: `score` in 0..1. */
export interface EvaluationResult {
  score: number;
  label?: string;
  explanation?: string;
}

/** What an evaluator gets besides the sample: a LangChain config for its own model calls. */
export interface EvaluatorContext {
  /**
   * Pass this to your judge model's `invoke`: its calls are traced under the evaluation span and
   * counted under agent "agentwatch-evaluator", feature "evaluation", never as the app's traffic.
   */
  config: { callbacks: unknown[]; metadata: Record<string, unknown> };
}

/** Scores a run. Return undefined when it cannot judge (the result is then not recorded). */
export interface Evaluator {
  name: string;
  evaluate(sample: EvaluationSample, context: EvaluatorContext): Promise<EvaluationResult | undefined> | EvaluationResult | undefined;
}

/** Online evaluation settings. */
export interface EvaluationOptions {
  evaluators: Evaluator[];
  /** Share of finished runs evaluated; runs a guardrail flagged and runs with negative feedback always are. Default: 0.05. */
  sampleRate?: number;
  /** Evaluations running at once. Default: 2. */
  concurrency?: number;
  /** Evaluations waiting at most; more are dropped and counted in `agentwatch_eval_dropped_total`. Default: 100. */
  queueSize?: number;
}

/** A score recorded from code for a run, found by run id or trace id. */
export interface EvaluationRecord {
  runId?: string;
  traceId?: string;
  /** What was evaluated, e.g. "relevance". */
  name: string;
  /** 0..1. */
  score: number;
  label?: string;
  /** Who scored it; a bounded metric label. Default: "code". */
  evaluator?: string;
  /** Explanation; recorded only with `captureContent`, redacted. */
  comment?: string;
}

/** User feedback for a run, found by run id or trace id. */
export interface FeedbackRecord {
  runId?: string;
  traceId?: string;
  /** 1 = thumbs up, 0 = thumbs down; anything in 0..1. At least 0.5 counts as positive. */
  score: number;
  /** Recorded only with `captureContent`, redacted. */
  comment?: string;
}

/** A model's price in USD per 1M tokens. Parts left out are billed at the input (cache) or output (reasoning) rate. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Daily budgets in USD. */
export interface BudgetOptions {
  /** All agents together. */
  global?: number;
  /** By agent name (`gen_ai.agent.name`). */
  agents?: Record<string, number>;
  /** By run metadata `feature`. */
  features?: Record<string, number>;
}

/** Run-metadata keys that may become cost labels. */
export type AttributionLabel = "tenant" | "tier";

/** What a run guard limits. */
export type GuardName = "cost" | "tokens" | "llm_calls" | "tool_calls" | "tool_repeats";

/** Per-run limits. A breach records a span event and `agentwatch_guard_trips_total{agent,guard}`. */
export interface RunGuardOptions {
  /**
   * `"abort"` stops the run with an {@link AgentBudgetExceededError} before its next model or tool
   * call executes; `"record"` only records the breach. Default: "record".
   */
  action?: "record" | "abort";
  /** USD spent by the run's model calls. */
  maxCostUsd?: number;
  /** Input + output tokens of the run's model calls. */
  maxTokens?: number;
  /** Model calls in the run. */
  maxLlmCalls?: number;
  /** Tool calls in the run. */
  maxToolCalls?: number;
  /** Calls of the same tool with the same arguments in the run (the classic agent loop). */
  maxRepeatedToolCalls?: number;
}

/** What {@link AgentWatchHandler.instrumentEmbeddings} cannot read from the embeddings object itself. */
export interface EmbeddingsInfo {
  /** `gen_ai.request.model`. Default: the object's `model` / `modelName` field, else "unknown". */
  model?: string;
  /** `gen_ai.provider.name`. Default: from the class name (OpenAIEmbeddings → openai, ...), else "unknown". */
  provider?: string;
}

/** Where a guardrail looks: at what goes into the model / agent, or at what comes out. */
export type GuardrailStage = "input" | "output";

/** A guardrail's decision: let it through, let it through but record it, or stop it. */
export type GuardrailOutcome = "pass" | "flag" | "block";

/** One detection; positions only, never the matched text. */
export interface GuardrailFinding {
  detector: string;
  type: string;
  start: number;
  end: number;
  score?: number;
}

/** What one guardrail check returns. */
export interface GuardrailResult {
  outcome: GuardrailOutcome;
  findings?: GuardrailFinding[];
  /** 0..1 risk score, when the guardrail has one. */
  score?: number;
  /** Low-cardinality reason; never user text. */
  reason?: string;
}

/** A guardrail: a name (a bounded metric label) and a check of one text. */
export interface Guardrail {
  name: string;
  check(text: string): GuardrailResult | Promise<GuardrailResult>;
}

/** The result of several guardrails on one text: the worst outcome, and each guardrail's result. */
export interface GuardrailVerdict {
  outcome: GuardrailOutcome;
  results: { guardrail: string; result: GuardrailResult }[];
}

/** A guardrail result produced elsewhere (your moderation API, say), recorded through agentwatch. */
export interface GuardrailRecord extends GuardrailResult {
  guardrail: string;
  stage: GuardrailStage;
}

/** What a guardrail runnable or node does on a block: raise a {@link GuardrailBlockedError}, or replace the text. */
export type GuardrailBlockAction = "raise" | { replaceWith: string };

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
