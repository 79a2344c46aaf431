// The public API of @agentwatch/middleware, grouped by the folder that owns each part.

// The handler and its options
export { AgentWatchHandler } from "./handler.js";
export {
  ATTR,
  BUCKETS,
  CANARY_METRIC,
  EVENT,
  LABEL,
  LINK_TYPE,
  METRIC,
  OFFLINE_EVAL_METRIC,
  OPERATION,
  PROVIDER,
  SEMCONV_DRAFT,
  SEMCONV_VERSION,
  SYNTHETIC,
  TOKEN_PART,
  TOKEN_TYPE,
} from "./semconv.js";
export type { AgentWatchOptions, EmbeddingsInfo } from "./types.js";

// content/: captured text and its redaction
export { redactSecrets } from "./content/redaction.js";
export type { ContentField, RedactFn, RedactionContext } from "./content/types.js";

// cost/: prices, budgets, run guards
export { AgentBudgetExceededError } from "./cost/budget-exceeded-error.js";
export { AgentSpendLimitExceededError } from "./cost/spend-limit-error.js";
export type { AttributionLabel, BudgetOptions, GuardName, ModelPrice, RunGuardOptions, SpendLimitName } from "./cost/types.js";

// metrics/: the registry and the /metrics endpoint
export { createOpenMetricsRegistry } from "./metrics/registry.js";
export { type ExpositionFormat, type MediaRange, negotiateExpositionFormat, parseAccept } from "./metrics/accept.js";
export { type MetricsRequestHandler, metricsHandler, type RenderedMetrics, renderMetrics } from "./metrics/endpoint.js";
export { PROMETHEUS_TEXT_CONTENT_TYPE, renderPrometheusText } from "./metrics/text-format.js";
export type { MetricsRegistry } from "./metrics/types.js";

// export/: span export with health metrics
export { monitoredBatchSpanProcessor } from "./export/monitored-span-processor.js";
export type { MonitoredBatchSpanProcessorOptions, SpanExportFailureReason } from "./export/types.js";

// guardrails/: the API, built-ins and detectors
export { applyGuardrails, blockedByGuardrail, GUARDRAIL_EVENT, guardrailNode, guardrailRunnable } from "./guardrails/apply.js";
export { GuardrailBlockedError } from "./guardrails/blocked-error.js";
export { denylistGuardrail, harmfulContentGuardrail, piiGuardrail, promptInjectionGuardrail } from "./guardrails/builtins.js";
export { createDenylist } from "./guardrails/detectors/denylist.js";
export {
  detectHarmfulContent,
  HARMFUL_CONTENT_CATEGORIES,
  HARMFUL_CONTENT_RULES,
  type HarmfulContentCategory,
  type HarmfulContentRule,
} from "./guardrails/detectors/harmful-content.js";
export { detectPii, PII_TYPES, type PiiType } from "./guardrails/detectors/pii.js";
export {
  PROMPT_INJECTION_BLOCK,
  PROMPT_INJECTION_FLAG,
  PROMPT_INJECTION_RULES,
  scorePromptInjection,
} from "./guardrails/detectors/prompt-injection.js";
export type {
  Guardrail,
  GuardrailBlockAction,
  GuardrailFinding,
  GuardrailOutcome,
  GuardrailRecord,
  GuardrailResult,
  GuardrailStage,
  GuardrailVerdict,
  HarmfulContentGuardrailOptions,
} from "./guardrails/types.js";

// evaluations/: online evaluation, built-in evaluators, feedback
export { groundednessEvaluator, type JudgeModel, llmJudgeEvaluator } from "./evaluations/builtins.js";
export { EVALUATOR_AGENT } from "./evaluations/evaluator-agent.js";
export { type FeedbackRequestHandler, parseFeedback } from "./evaluations/feedback-endpoint.js";
export { DEFAULT_FEEDBACK_CATEGORIES } from "./evaluations/feedback-options.js";
export { FeedbackTokenError, type FeedbackTokenProblem } from "./evaluations/feedback-token.js";
export { groundednessScore } from "./evaluations/heuristics/groundedness.js";
export { judgePrompt, type JudgeRubric, parseJudgeOutput } from "./evaluations/heuristics/judge-output.js";
export type {
  EvaluationOptions,
  EvaluationRecord,
  EvaluationResult,
  EvaluationSample,
  Evaluator,
  EvaluatorContext,
  FeedbackOptions,
  FeedbackRecord,
  RunReference,
} from "./evaluations/types.js";

// outcomes/: conversation outcomes and turns
export { type OutcomeRequestHandler, parseOutcome } from "./outcomes/outcome-endpoint.js";
export { BUILT_IN_OUTCOMES } from "./outcomes/types.js";
export type { ConversationOutcome, OutcomeOptions, OutcomeRecord, OutcomeResult } from "./outcomes/types.js";

// drift/: input and output drift against a reference window
export { isRefusal } from "./drift/refusal.js";
export type { DriftBaseline, DriftOptions, DriftReferenceValues, DriftResult, DriftSignal } from "./drift/types.js";

// state/: state shared by replicas (in process by default)
export { createSharedStore, type SharedStoreOptions } from "./state/create-store.js";
export { MemoryStore, type MemoryStoreOptions } from "./state/memory-store.js";
export { RedisStore, type RedisStoreOptions, type StoreOperation } from "./state/redis-store.js";
export type { SharedStore } from "./state/types.js";
