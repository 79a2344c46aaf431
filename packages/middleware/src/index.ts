export { AgentBudgetExceededError } from "./budget-exceeded-error.js";
export { AgentWatchHandler } from "./handler.js";
export { createOpenMetricsRegistry } from "./metrics.js";
export { type MetricsRequestHandler, metricsHandler } from "./metrics-endpoint.js";
export { type FeedbackRequestHandler, parseFeedback } from "./feedback-endpoint.js";
export { EVALUATOR_AGENT } from "./evaluations.js";
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
  GuardName,
  MetricsRegistry,
  ModelPrice,
  RedactFn,
  RedactionContext,
  RunGuardOptions,
} from "./types.js";
