/**
 * Every telemetry name agentwatch emits, in one module.
 *
 * GenAI names follow the OpenTelemetry semantic conventions as of release v1.41.1 (the GenAI
 * conventions have since moved to open-telemetry/semantic-conventions-genai and still change):
 * moving to a later version is an edit of this file. Names under `agentwatch.` / `agentwatch_`
 * are ours, used only where no convention exists. Names that only the newer GenAI drafts
 * (open-telemetry/semantic-conventions-genai) define are marked "GenAI drafts"; the conformance
 * test (packages/demo-agent/test/semconv-conformance.test.ts) checks the rest against v1.41.1.
 */

/** The semantic-conventions release these names are pinned to. */
export const SEMCONV_VERSION = "1.41.1";

/** Span attribute keys. */
export const ATTR = {
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  agentName: "gen_ai.agent.name",
  agentId: "gen_ai.agent.id",
  conversationId: "gen_ai.conversation.id",
  dataSourceId: "gen_ai.data_source.id",
  requestModel: "gen_ai.request.model",
  requestTemperature: "gen_ai.request.temperature",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestTopP: "gen_ai.request.top_p",
  requestTopK: "gen_ai.request.top_k",
  requestFrequencyPenalty: "gen_ai.request.frequency_penalty",
  requestPresencePenalty: "gen_ai.request.presence_penalty",
  requestStopSequences: "gen_ai.request.stop_sequences",
  requestSeed: "gen_ai.request.seed",
  requestChoiceCount: "gen_ai.request.choice.count",
  requestStream: "gen_ai.request.stream",
  responseId: "gen_ai.response.id",
  responseModel: "gen_ai.response.model",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  responseTimeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  /** On OpenAI spans only (`span.openai.inference.client`); replaces the deprecated `gen_ai.openai.response.system_fingerprint`. */
  openaiSystemFingerprint: "openai.response.system_fingerprint",
  usageInputTokens: "gen_ai.usage.input_tokens",
  usageOutputTokens: "gen_ai.usage.output_tokens",
  usageCacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  usageCacheCreationInputTokens: "gen_ai.usage.cache_creation.input_tokens",
  usageReasoningOutputTokens: "gen_ai.usage.reasoning.output_tokens",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolType: "gen_ai.tool.type",
  toolDescription: "gen_ai.tool.description",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  systemInstructions: "gen_ai.system_instructions",
  retrievalQueryText: "gen_ai.retrieval.query.text",
  embeddingsDimensionCount: "gen_ai.embeddings.dimension.count",
  /** Our own: number of texts embedded in one call. */
  embeddingsInputCount: "agentwatch.embeddings.input_count",
  retrievalDocuments: "gen_ai.retrieval.documents",
  errorType: "error.type",
  serverAddress: "server.address",
  serverPort: "server.port",
  userId: "user.id",
  sessionId: "session.id",
  langgraphNode: "langgraph.node",
  langgraphStep: "langgraph.step",
  promptName: "gen_ai.prompt.name",
  /** GenAI drafts, not v1.41.1 (which has gen_ai.prompt.name only). */
  promptVersion: "gen_ai.prompt.version",
  /** Our own: short hash of the prompt template (see prompt-provenance.ts). */
  promptHash: "agentwatch.prompt.hash",
  evaluationName: "gen_ai.evaluation.name",
  evaluationScoreValue: "gen_ai.evaluation.score.value",
  evaluationScoreLabel: "gen_ai.evaluation.score.label",
  evaluationExplanation: "gen_ai.evaluation.explanation",
  /** Our own: who produced an evaluation (an evaluator's name, "code", "user"). */
  evaluator: "agentwatch.evaluation.evaluator",
  /** Our own: the user feedback score and its comment. */
  feedbackScore: "agentwatch.feedback.score",
  feedbackComment: "agentwatch.feedback.comment",
  /** Our own: the user's correction of the answer (captured with captureContent only, redacted). */
  feedbackCorrection: "agentwatch.feedback.correction",
  /** Our own: the feedback's category, one of the configured set (`feedback.categories`). */
  feedbackCategory: "agentwatch.feedback.category",
  /** GenAI drafts, not v1.41.1 (which has no guardrail attributes), like every gen_ai.guardrail.* name below. */
  guardrailComponentName: "gen_ai.guardrail.component.name",
  guardrailSource: "gen_ai.guardrail.source",
  guardrailResultType: "gen_ai.guardrail.result.type",
  guardrailResultValue: "gen_ai.guardrail.result.value",
  guardrailResultReason: "gen_ai.guardrail.result.reason",
  guardrailRiskCategory: "gen_ai.guardrail.risk.category",
  guardrailRiskScore: "gen_ai.guardrail.risk.score",
  /** Our own: a guardrail's findings as JSON [{detector, type, start, end, score}], positions only. */
  guardrailFindings: "agentwatch.guardrail.findings",
  /** Our own: characters of a model call's text output. */
  responseLength: "agentwatch.response.length",
  /** Our own: USD cost of a model call, or the sum over a node's or root run's model calls. */
  costUsd: "agentwatch.cost.usd",
  /** Our own: false when no price was found for the model (its cost is not in the totals). */
  costPriced: "agentwatch.cost.priced",
  /** Our own: token counts were estimated with a tokenizer because the provider reported none. */
  usageEstimated: "agentwatch.usage.estimated",
  /**
   * Our own: true when captured content on this span (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`, tool call arguments or result, ...) was cut to `maxContentLength`.
   * Cut texts end with `…[truncated N chars]`; structured values stay valid JSON of the same shape.
   */
  contentTruncated: "agentwatch.content.truncated",
  /** Our own: the run-metadata `feature` the cost is attributed to. */
  feature: "agentwatch.feature",
  /** Our own: the LangChain run id, to find a span from LangChain logs. */
  runId: "agentwatch.run.id",
  /** Our own: the LangChain run type of a span shown with `showAllRuns`. */
  runType: "agentwatch.run.type",
  /** Our own: number of documents a retrieval returned. */
  retrievalDocumentCount: "agentwatch.retrieval.document_count",
  /** Our own: a run that never ended and was closed by the TTL sweep. */
  evicted: "agentwatch.run.evicted",
  /** Our own: the run ended with LangGraph control flow (interrupt, command), not an error. */
  controlFlow: "agentwatch.control_flow",
  /**
   * Our own, on a node span that ended by handing control to other nodes (a returned
   * `Command({ goto })`, or a `ParentCommand` to the parent graph) and on its `agentwatch.handoff`
   * event: the node that handed off (in the graph where the goto is resolved) and the targets.
   */
  handoffFrom: "agentwatch.handoff.from",
  handoffTo: "agentwatch.handoff.to",
  /** Our own, on the root `invoke_agent` span: a human-in-the-loop interrupt paused the run (status stays OK). */
  interrupted: "agentwatch.interrupted",
  /** Our own, on the root `invoke_agent` span: the run resumes an interrupted one (`Command({ resume })`). */
  resumed: "agentwatch.resumed",
  /** Our own, on a span link: why the spans are linked (`LINK_TYPE`). */
  linkType: "agentwatch.link.type",
  /** Our own: the caller cancelled the run (aborted its signal, stopped reading its stream); not an error. */
  cancelled: "agentwatch.run.cancelled",
  /** Our own, on the cancellation event: the abort reason's message (bounded). */
  cancellationReason: "agentwatch.cancellation.reason",
  /** Our own, on guard-trip events: which guard, its limit, the value seen, and the action taken. */
  guardName: "agentwatch.guard.name",
  guardLimit: "agentwatch.guard.limit",
  guardObserved: "agentwatch.guard.observed",
  guardAction: "agentwatch.guard.action",
  /** Our own, on the root span of one offline-evaluation sample (@agentwatch/eval): the dataset, case id and 0-based sample. */
  evalDataset: "agentwatch.eval.dataset",
  evalCaseId: "agentwatch.eval.case_id",
  evalSample: "agentwatch.eval.sample",
  /**
   * Our own, on a model call's span: it replaces an earlier call of the same scope that failed
   * (runs/model-retries.ts): `agentwatch.retry.error_type` is the failed call's error type on a
   * retry (the same model again), `agentwatch.fallback.from_model` the failed call's model on a
   * fallback (another model).
   */
  retryErrorType: "agentwatch.retry.error_type",
  fallbackFromModel: "agentwatch.fallback.from_model",
  /** Our own, on the root `invoke_agent` span: synthetic traffic (a canary probe), kept out of feedback, online evaluation and outcomes. */
  synthetic: "agentwatch.synthetic",
} as const;

/**
 * Synthetic traffic (canary probes of @agentwatch/eval): the run-metadata key that marks a run
 * synthetic (`metadata: { agentwatch_synthetic: true }`), the HTTP header a canary sends over HTTP
 * (the app maps it into that metadata), and the cost `feature` synthetic runs are attributed to.
 */
export const SYNTHETIC = {
  metadataKey: "agentwatch_synthetic",
  header: "x-agentwatch-synthetic",
  feature: "synthetic",
} as const;

/** `gen_ai.operation.name` values. */
export const OPERATION = {
  chat: "chat",
  textCompletion: "text_completion",
  embeddings: "embeddings",
  retrieval: "retrieval",
  executeTool: "execute_tool",
  invokeAgent: "invoke_agent",
  /** GenAI drafts, not v1.41.1. */
  evaluate: "evaluate",
  /** GenAI drafts, not v1.41.1. */
  applyGuardrail: "apply_guardrail",
} as const;

/** Span event names. */
export const EVENT = {
  firstChunk: "agentwatch.first_chunk",
  exception: "exception",
  controlFlow: "agentwatch.control_flow",
  /** Our own: a node handed control to other nodes (ATTR.handoffFrom / handoffTo). */
  handoff: "agentwatch.handoff",
  /** Our own, on the root span: a human-in-the-loop interrupt paused the run. */
  interrupted: "agentwatch.interrupted",
  /** Our own: the run was cancelled (see ATTR.cancelled). */
  cancelled: "agentwatch.run.cancelled",
  guardTrip: "agentwatch.guard.trip",
  evaluationResult: "gen_ai.evaluation.result",
  /** GenAI drafts, not v1.41.1. */
  guardrailResult: "gen_ai.guardrail.result",
  userFeedback: "agentwatch.user_feedback",
} as const;

/** Our own: `agentwatch.link.type` values. */
export const LINK_TYPE = {
  /** From a resumed run's root span to the root span of the run it resumes (same thread, same process). */
  resumes: "resumes",
} as const;

/** `gen_ai.token.type` values: v1.41.1 defines only `input` and `output`. */
export const TOKEN_TYPE = {
  input: "input",
  output: "output",
} as const;

/**
 * Our own: the `part` label values of `agentwatch_token_usage_parts_total`. Each is a PART of the
 * input (`cache_read`, `cache_write`) or output (`reasoning`) count, already in it: never add them
 * to input / output.
 */
export const TOKEN_PART = {
  cacheRead: "cache_read",
  cacheWrite: "cache_write",
  reasoning: "reasoning",
} as const;

/**
 * Draft names (open-telemetry/semantic-conventions-genai, not in v1.41.1), used only with the
 * `semconvDrafts` option: `gen_ai_client_token_usage` then splits input by `gen_ai_token_cache`
 * (uncached, read, write) and output by `gen_ai_token_phase` (response, reasoning). Every token is
 * in exactly one series, so a sum over them is still input + output. The drafts still change.
 */
export const SEMCONV_DRAFT = {
  /** `gen_ai.token.cache` → label `gen_ai_token_cache`. */
  tokenCacheLabel: "gen_ai_token_cache",
  /** `gen_ai.token.phase` → label `gen_ai_token_phase`. */
  tokenPhaseLabel: "gen_ai_token_phase",
  cache: { uncached: "uncached", read: "read", write: "write" },
  phase: { response: "response", reasoning: "reasoning" },
} as const;

/** Prometheus metric names (OTel names as the OTLP → Prometheus translation writes them). */
export const METRIC = {
  operationDuration: "gen_ai_client_operation_duration_seconds",
  /** `gen_ai_token_type` is only `input` or `output`: a sum over every series is input + output tokens. */
  tokenUsage: "gen_ai_client_token_usage",
  /**
   * Ours: tokens by `part` (TOKEN_PART: cache_read, cache_write, reasoning). Its values are PARTS of
   * the input / output counts of `gen_ai_client_token_usage`, already in them: never add them.
   */
  tokenUsageParts: "agentwatch_token_usage_parts_total",
  timeToFirstChunk: "gen_ai_client_operation_time_to_first_chunk_seconds",
  timePerOutputChunk: "gen_ai_client_operation_time_per_output_chunk_seconds",
  /** GenAI drafts (semantic-conventions-genai), not v1.41.1, which has no agent or tool duration metric. */
  invokeAgentDuration: "gen_ai_invoke_agent_duration_seconds",
  /** GenAI drafts, not v1.41.1 (see invokeAgentDuration). */
  executeToolDuration: "gen_ai_execute_tool_duration_seconds",
  /** Ours: agents run inside another agent's node, apart from the whole runs of invokeAgentDuration (see README "Nested agents"). */
  nestedAgentDuration: "agentwatch_nested_agent_duration_seconds",
  nodeDuration: "agentwatch_node_duration_seconds",
  retrievalDocuments: "agentwatch_retrieval_documents",
  retrievalTopScore: "agentwatch_retrieval_top_score",
  runLlmCalls: "agentwatch_run_llm_calls",
  runToolCalls: "agentwatch_run_tool_calls",
  interrupts: "agentwatch_interrupts_total",
  /** Ours: LangGraph handoffs (`Command({ goto })`, `ParentCommand`) by agent, from node and to node; never interrupts or errors. */
  handoffs: "agentwatch_handoffs_total",
  /**
   * Ours: model calls that failed and were retried (the same model called again in their place:
   * `withRetry`, createAgent's `modelRetryMiddleware`, a node's own retry), by agent, provider,
   * model and the failed call's error_type. A retry a model's own `maxRetries` makes inside one
   * call emits no callback and is not counted (runs/model-retries.ts).
   */
  modelRetries: "agentwatch_model_retries_total",
  /** Ours: failed model calls replaced by a call to another model (`withFallbacks`, `modelFallbackMiddleware`), by agent, from_model, to_model and error_type. */
  modelFallbacks: "agentwatch_model_fallbacks_total",
  /** Ours: invocations (root runs) the caller cancelled; they are in no duration histogram. */
  cancellations: "agentwatch_cancellations_total",
  costUsd: "agentwatch_cost_usd_total",
  agentRunCost: "agentwatch_agent_run_cost_usd",
  unpricedCalls: "agentwatch_unpriced_calls_total",
  estimatedUsageCalls: "agentwatch_estimated_usage_calls_total",
  budgetUsd: "agentwatch_budget_usd",
  guardTrips: "agentwatch_guard_trips_total",
  /** Ours: spend limits across runs and replicas tripped (per user per hour, per tenant per day), by agent and limit; never the user or tenant. */
  limitTrips: "agentwatch_limit_trips_total",
  toolRepeats: "agentwatch_tool_repeats_total",
  promptInfo: "agentwatch_prompt_info",
  modelResponses: "agentwatch_model_responses_total",
  responseLength: "agentwatch_response_length_chars",
  guardrailChecks: "agentwatch_guardrail_checks_total",
  evalScore: "agentwatch_eval_score",
  evalDropped: "agentwatch_eval_dropped_total",
  evalErrors: "agentwatch_eval_errors_total",
  evalSkipped: "agentwatch_eval_skipped_total",
  userFeedback: "agentwatch_user_feedback_total",
  /** Ours: conversations by agent and outcome (resolved, escalated, abandoned, converted, configured names), each counted once. */
  conversationOutcomes: "agentwatch_conversation_outcomes_total",
  /** Ours: turns (root agent runs) per conversation, observed when its outcome is decided. */
  conversationTurns: "agentwatch_conversation_turns",
  /** Ours: failed calls to the conversation-state store (outcomes/store-calls.ts). */
  outcomeStoreErrors: "agentwatch_outcome_store_errors_total",
  /** Ours: drift of a signal against its reference window (MMD², KS D, share difference), by agent and signal. */
  driftScore: "agentwatch_drift_score",
  /** Ours: the drift test's p-value, by agent and signal. */
  driftPValue: "agentwatch_drift_p_value",
  /** Ours: observations in the current and reference drift windows. */
  driftWindowSize: "agentwatch_drift_window_size",
  handlerErrors: "agentwatch_handler_errors_total",
  openRuns: "agentwatch_open_runs",
  runsEvicted: "agentwatch_runs_evicted_total",
  /** Ours: shared-store (Redis) commands that failed or were skipped while it was down, answered by the local fallback. */
  sharedStoreErrors: "agentwatch_shared_store_errors_total",
  labelOverflow: "agentwatch_label_values_overflow_total",
  /** Span export health, counted by `monitoredBatchSpanProcessor` (span-export-metrics.ts). */
  spansExported: "agentwatch_spans_exported_total",
  spansExportFailed: "agentwatch_spans_export_failed_total",
  spansDropped: "agentwatch_spans_dropped_total",
  spanQueueSize: "agentwatch_span_queue_size",
  spanQueueCapacity: "agentwatch_span_queue_capacity",
  spansExportPending: "agentwatch_spans_export_pending",
} as const;

/** Prometheus label names (OTel attribute names with `.` → `_`). */
export const LABEL = {
  operationName: "gen_ai_operation_name",
  providerName: "gen_ai_provider_name",
  requestModel: "gen_ai_request_model",
  agentName: "gen_ai_agent_name",
  toolName: "gen_ai_tool_name",
  tokenType: "gen_ai_token_type",
  /** Ours: the TOKEN_PART of `agentwatch_token_usage_parts_total`. */
  part: "part",
  dataSourceId: "gen_ai_data_source_id",
  errorType: "error_type",
  agent: "agent",
  /** Ours: the agent a nested agent runs in. */
  parentAgent: "parent_agent",
  node: "node",
  /** Ours: the node that handed off, and the node it handed to (`agentwatch_handoffs_total`). */
  from: "from",
  to: "to",
  /** Ours: the model a failed call was made to, and the model its fallback called (`agentwatch_model_fallbacks_total`). */
  fromModel: "from_model",
  toModel: "to_model",
  callback: "callback",
  provider: "provider",
  model: "model",
  feature: "feature",
  tool: "tool",
  guard: "guard",
  /** Ours: the spend limit of `agentwatch_limit_trips_total` (user_usd_per_hour, tenant_usd_per_day). */
  limit: "limit",
  /** Ours: the SharedStore operation of `agentwatch_shared_store_errors_total`. */
  operation: "operation",
  scope: "scope",
  evaluator: "evaluator",
  guardrail: "guardrail",
  stage: "stage",
  outcome: "outcome",
  rating: "rating",
  /** Ours: a feedback's category, from the configured bounded set ("" when none). */
  category: "category",
  prompt: "prompt",
  version: "version",
  hash: "hash",
  promptVersion: "prompt_version",
  requestModelShort: "request_model",
  responseModelShort: "response_model",
  fingerprint: "fingerprint",
  name: "name",
  metric: "metric",
  label: "label",
  reason: "reason",
  /** Ours: the drift signal (query_embedding, answer_length, output_tokens, finish_length, finish_content_filter, refusal). */
  signal: "signal",
  /** Ours: a drift window, current or reference. */
  window: "window",
  /** Offline evaluation: the golden dataset's name. */
  dataset: "dataset",
} as const;

/**
 * Metrics of offline evaluation runs (@agentwatch/eval), pushed to a Prometheus Pushgateway under
 * job `agentwatch_eval` with the grouping key dataset / prompt / version, so not in METRIC (which
 * lists what the middleware's registry emits).
 */
export const OFFLINE_EVAL_METRIC = {
  job: "agentwatch_eval",
  /** gauge {dataset, prompt, version, evaluator}: the mean score over the dataset's cases, 0..1. */
  score: "agentwatch_offline_eval_score",
  /** gauge {dataset, prompt, version}: cases evaluated. */
  cases: "agentwatch_offline_eval_cases",
  /** gauge {dataset, prompt, version}: 1 when the gate passed, 0 when it failed (absent when not gated). */
  gatePassed: "agentwatch_offline_eval_gate_passed",
  /** gauge {dataset, prompt, version}: USD the run cost. */
  costUsd: "agentwatch_offline_eval_cost_usd",
  /** gauge {dataset, prompt, version}: when the run ended, Unix seconds. */
  lastRun: "agentwatch_offline_eval_last_run_timestamp_seconds",
} as const;

/**
 * Metrics of canary probes (@agentwatch/eval `CanaryProber`), on the registry the prober is given
 * (the app's own, so its /metrics serves them). Not in METRIC: the prober emits them, not the
 * handler. `canary` is the case id of a small configured set; `agent` the agent it probes.
 */
export const CANARY_METRIC = {
  /** counter {agent, canary, outcome}: finished checks; outcome pass | fail | error. */
  checks: "agentwatch_canary_checks_total",
  /** gauge {agent, canary}: the last check's score, 0..1 (0 on error). */
  score: "agentwatch_canary_score",
  /** gauge {agent, canary}: when the case last passed, Unix seconds (absent until it does). */
  lastSuccess: "agentwatch_canary_last_success_timestamp_seconds",
  /** gauge {agent, canary}: checks in a row that did not pass (fail or error); 0 after a pass. */
  consecutiveFailures: "agentwatch_canary_consecutive_failures",
  /** gauge {agent}: the longest expected time between two checks of a case (interval + jitter), seconds. */
  interval: "agentwatch_canary_interval_seconds",
} as const;

/** Histogram buckets the conventions recommend (seconds / tokens). */
export const BUCKETS = {
  operationDuration: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  chunkTiming: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  tokenUsage: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
  invokeAgentDuration: [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6],
  /** Ours: evaluation scores 0..1. */
  score: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  /** Ours: characters of a response. */
  responseLength: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384],
  /** Ours: USD per whole run. */
  runCost: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  /** Ours: documents per retrieval, calls per run. */
  counts: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
  /** Ours: turns per conversation. */
  conversationTurns: [1, 2, 3, 4, 5, 8, 13, 21, 34, 55],
} as const;

/** Well-known `gen_ai.provider.name` values. */
export const PROVIDER = {
  openai: "openai",
  anthropic: "anthropic",
  awsBedrock: "aws.bedrock",
  azureAiInference: "azure.ai.inference",
  azureAiOpenai: "azure.ai.openai",
  cohere: "cohere",
  deepseek: "deepseek",
  gcpGemini: "gcp.gemini",
  gcpGenAi: "gcp.gen_ai",
  gcpVertexAi: "gcp.vertex_ai",
  groq: "groq",
  ibmWatsonxAi: "ibm.watsonx.ai",
  mistralAi: "mistral_ai",
  perplexity: "perplexity",
  xAi: "x_ai",
} as const;
