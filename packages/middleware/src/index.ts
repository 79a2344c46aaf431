export { AgentBudgetExceededError } from "./budget-exceeded-error.js";
export { AgentWatchHandler } from "./handler.js";
export { createOpenMetricsRegistry } from "./metrics.js";
export { monitoredBatchSpanProcessor } from "./monitored-span-processor.js";
export { type MetricsRequestHandler, metricsHandler } from "./metrics-endpoint.js";
export { type FeedbackRequestHandler, parseFeedback } from "./feedback-endpoint.js";
export { EVALUATOR_AGENT } from "./evaluations.js";
export { denylistGuardrail, piiGuardrail, promptInjectionGuardrail } from "./builtin-guardrails.js";
export { groundednessEvaluator, type JudgeModel, llmJudgeEvaluator } from "./builtin-evaluators.js";
export { createDenylist } from "./guardrails/denylist.js";
export { groundednessScore } from "./evals/groundedness.js";
export { judgePrompt, type JudgeRubric, parseJudgeOutput } from "./evals/judge-output.js";
export { GuardrailBlockedError } from "./guardrail-blocked-error.js";
export { applyGuardrails, blockedByGuardrail, GUARDRAIL_EVENT, guardrailNode, guardrailRunnable } from "./guardrails-apply.js";
export { detectPii, PII_TYPES, type PiiType } from "./guardrails/pii.js";
export {
  PROMPT_INJECTION_BLOCK,
  PROMPT_INJECTION_FLAG,
  PROMPT_INJECTION_RULES,
  scorePromptInjection,
} from "./guardrails/prompt-injection.js";
export { redactSecrets } from "./redaction.js";
export { ATTR, BUCKETS, EVENT, LABEL, METRIC, OPERATION, PROVIDER, SEMCONV_VERSION, TOKEN_TYPE } from "./semconv.js";
export type {
  AgentWatchOptions,
  AttributionLabel,
  BudgetOptions,
  ContentField,
  EmbeddingsInfo,
  EvaluationOptions,
  EvaluationRecord,
  EvaluationResult,
  EvaluationSample,
  Evaluator,
  EvaluatorContext,
  FeedbackRecord,
  Guardrail,
  GuardrailBlockAction,
  GuardrailFinding,
  GuardrailOutcome,
  GuardrailRecord,
  GuardrailResult,
  GuardrailStage,
  GuardrailVerdict,
  GuardName,
  MetricsRegistry,
  ModelPrice,
  MonitoredBatchSpanProcessorOptions,
  RedactFn,
  RedactionContext,
  RunGuardOptions,
  SpanExportFailureReason,
} from "./types.js";
