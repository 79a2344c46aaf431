/**
 * PromQL building blocks: metric names (README "Metric catalogue"), the variable filters in both
 * label spellings (OTel GenAI metrics say gen_ai_agent_name / gen_ai_request_model, agentwatch_*
 * metrics say agent / model), and a few expression helpers.
 */
import { CANARY_METRIC as CANARY, METRIC as MW, OFFLINE_EVAL_METRIC as OFFLINE } from "@agentwatch/middleware";

/** Metric names, taken from the middleware's own catalogue so a rename there reaches the dashboards. */
export const METRIC = {
  runs: MW.invokeAgentDuration,
  ops: MW.operationDuration,
  tokens: MW.tokenUsage,
  /** Ours: cache_read / cache_write / reasoning by `part`, already in `tokens`' input / output: never add the two. */
  tokenParts: MW.tokenUsageParts,
  ttft: MW.timeToFirstChunk,
  /** Time between two streamed chunks after the first (time between tokens). */
  tbt: MW.timePerOutputChunk,
  tools: MW.executeToolDuration,
  nodes: MW.nodeDuration,
  retrievalDocuments: MW.retrievalDocuments,
  retrievalTopScore: MW.retrievalTopScore,
  runLlmCalls: MW.runLlmCalls,
  runToolCalls: MW.runToolCalls,
  interrupts: MW.interrupts,
  handoffs: MW.handoffs,
  /** Ours: failed model calls retried (same model) or replaced by another model, by the failed call's error_type. */
  modelRetries: MW.modelRetries,
  modelFallbacks: MW.modelFallbacks,
  /** Ours: cancelled invocations (root runs), in no duration histogram: runs started = runs' count + these. */
  cancellations: MW.cancellations,
  cost: MW.costUsd,
  runCost: MW.agentRunCost,
  budget: MW.budgetUsd,
  unpriced: MW.unpricedCalls,
  estimatedUsage: MW.estimatedUsageCalls,
  guardTrips: MW.guardTrips,
  toolRepeats: MW.toolRepeats,
  promptInfo: MW.promptInfo,
  modelResponses: MW.modelResponses,
  responseLength: MW.responseLength,
  guardrailChecks: MW.guardrailChecks,
  evalScore: MW.evalScore,
  evalDropped: MW.evalDropped,
  evalErrors: MW.evalErrors,
  feedback: MW.userFeedback,
  conversationOutcomes: MW.conversationOutcomes,
  conversationTurns: MW.conversationTurns,
  handlerErrors: MW.handlerErrors,
  openRuns: MW.openRuns,
  evicted: MW.runsEvicted,
  labelOverflow: MW.labelOverflow,
  spansExported: MW.spansExported,
  spansFailed: MW.spansExportFailed,
  spansDropped: MW.spansDropped,
  spanQueue: MW.spanQueueSize,
  spanQueueCapacity: MW.spanQueueCapacity,
  spansPending: MW.spansExportPending,
  /** Offline evaluation runs (@agentwatch/eval), pushed to a Pushgateway by CI: labels dataset, prompt, version, evaluator. */
  offlineEvalScore: OFFLINE.score,
  offlineEvalGatePassed: OFFLINE.gatePassed,
  incidentActive: "acme_support_incident_active",
} as const;

/** Canary probes (@agentwatch/eval `CanaryProber`), on the probed app's registry: labels agent and canary (and outcome on checks). */
export const CANARY_METRIC = CANARY;

/** Matchers of the dashboards' template variables (multi-value variables expand to a regex; "All" is `.*`). */
export const F = {
  genAiAgent: 'gen_ai_agent_name=~"$agent"',
  agent: 'agent=~"$agent"',
  genAiModel: 'gen_ai_request_model=~"$model"',
  model: 'model=~"$model"',
  requestModel: 'request_model=~"$model"',
  promptVersion: 'prompt_version=~"$prompt_version"',
  version: 'version=~"$prompt_version"',
  feature: 'feature=~"$feature"',
  job: 'job=~"$job"',
  ok: 'error_type=""',
  failed: 'error_type!=""',
} as const;

/** Grafana's rate window: at least four scrape intervals. */
export const RATE = "$__rate_interval";
/** The dashboard's time range. */
export const RANGE = "$__range";

/** `{a, b}`, or nothing for no matchers. */
export const sel = (...matchers: string[]): string => (matchers.length === 0 ? "" : `{${matchers.join(", ")}}`);

export const rate = (series: string, matchers: string[], window: string = RATE): string => `rate(${series}${sel(...matchers)}[${window}])`;

export const increase = (series: string, matchers: string[], window: string = RANGE): string =>
  `increase(${series}${sel(...matchers)}[${window}])`;

export const sumBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(", ")}) (${expr})`;

/** `q`-quantile of histogram `metric` (without `_bucket`) by `labels`. */
export const quantile = (q: number, metric: string, matchers: string[], labels: readonly string[] = [], window: string = RATE): string =>
  `histogram_quantile(${q}, ${sumBy([...labels, "le"], rate(`${metric}_bucket`, matchers, window))})`;

/** Mean of histogram `metric` (`_sum` / `_count`) by `labels`. */
export const mean = (metric: string, matchers: string[], labels: readonly string[] = [], window: string = RATE): string =>
  `${sumBy(labels, rate(`${metric}_sum`, matchers, window))} / ${sumBy(labels, rate(`${metric}_count`, matchers, window))}`;

/**
 * `part / whole` where `part` may have no series yet (no error has happened): the missing groups
 * count as 0 instead of vanishing. Both sides must aggregate by the same labels.
 */
export const share = (part: string, whole: string): string => `(${part} or ${whole} * 0) / ${whole}`;

/** Renames the empty `error_type` of successful calls to "ok", for legends. */
export const okLabel = (expr: string): string => `label_replace(${expr}, "error_type", "ok", "error_type", "")`;
