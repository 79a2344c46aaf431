import type { TracerProvider } from "@opentelemetry/api";

import type { RedactFn } from "./content/types.js";
import type { AttributionLabel, BudgetOptions, ModelPrice, RunGuardOptions } from "./cost/types.js";
import type { DriftOptions } from "./drift/types.js";
import type { EvaluationOptions, FeedbackOptions } from "./evaluations/types.js";
import type { MetricsRegistry } from "./metrics/types.js";
import type { OutcomeOptions } from "./outcomes/types.js";
import type { SharedStore } from "./state/types.js";

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
   * `gen_ai.agent.name` of root runs and the `agent` label of their metrics. Default: run metadata
   * `agent_name`, else the root run's name (a compiled LangGraph graph's `name`); a generic name
   * (`LangGraph`) is warned about once. Nested agents (a graph run inside a node) keep their own
   * names: see the README's "Agent names and nested agents".
   */
  agentName?: string;
  /** Put prompt, completion, tool argument/result and retrieval query text on spans. Default: false. */
  captureContent?: boolean;
  /**
   * With `captureContent`: characters kept of each captured value before redaction. Default: 4096.
   * Structured values (messages, system instructions, JSON tool arguments and results) stay valid
   * JSON: their texts are cut to fit the whole in this length plus one `…[truncated N chars]` marker.
   */
  maxContentLength?: number;
  /** With `captureContent`: redaction hook. Default: {@link redactSecrets} (emails, phones, cards, IBANs, keys, bearer tokens, as the PII detectors find them). */
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
  /** Per-run limits and per-user / per-tenant spend limits that stop (or just record) runaway spend. Default: none. */
  guards?: RunGuardOptions;
  /**
   * Where state shared by replicas lives (spend windows): `createSharedStore()` gives Redis when
   * `REDIS_URL` is set. Pass one store to every handler of the process and close it yourself at
   * shutdown. Default: an in-process `MemoryStore` (this replica only, lost at restart).
   */
  store?: SharedStore;
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
  /**
   * Record token usage in the form of the GenAI drafts (semantic-conventions-genai) instead of
   * v1.41.1: `gen_ai_client_token_usage` splits input by `gen_ai_token_cache` (uncached, read,
   * write) and output by `gen_ai_token_phase` (response, reasoning). A sum over it stays input +
   * output; `agentwatch_token_usage_parts_total` is recorded either way. Default: false.
   */
  semconvDrafts?: boolean;
  /** Online evaluation of sampled runs in the background, off the request path. Default: off. */
  evaluation?: EvaluationOptions;
  /** Feedback tokens (secret, expiry) and feedback categories. */
  feedback?: FeedbackOptions;
  /**
   * Drift detection: query embeddings (via {@link AgentWatchHandler.instrumentEmbeddings}), answer
   * length, output tokens, finish-reason and refusal shares, tested against a reference window on a
   * timer and exposed as `agentwatch_drift_score` / `agentwatch_drift_p_value`. Default: off.
   */
  drift?: DriftOptions;
  /** Finished runs remembered so scores and feedback can reach their traces. Default: 10000. */
  recentRuns?: number;
  /**
   * Conversation outcomes (resolved, escalated, abandoned, converted, configured names) and turns
   * per conversation: see the README's "Outcomes". Default: off; `{}` turns them on with defaults.
   */
  outcomes?: OutcomeOptions;
}

/** What {@link AgentWatchHandler.instrumentEmbeddings} cannot read from the embeddings object itself. */
export interface EmbeddingsInfo {
  /** `gen_ai.request.model`. Default: the object's `model` / `modelName` field, else "unknown". */
  model?: string;
  /** `gen_ai.provider.name`. Default: from the class name (OpenAIEmbeddings → openai, ...), else "unknown". */
  provider?: string;
}
