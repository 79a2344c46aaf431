/**
 * PromQL building blocks: metric names (README "Metric catalogue"), the variable filters in both
 * label spellings (OTel GenAI metrics say gen_ai_agent_name / gen_ai_request_model, agentwatch_*
 * metrics say agent / model), and a few expression helpers.
 */

export const METRIC = {
  runs: "gen_ai_invoke_agent_duration_seconds",
  ops: "gen_ai_client_operation_duration_seconds",
  tokens: "gen_ai_client_token_usage",
  ttft: "gen_ai_client_operation_time_to_first_chunk_seconds",
  tools: "gen_ai_execute_tool_duration_seconds",
  nodes: "agentwatch_node_duration_seconds",
  retrievalDocuments: "agentwatch_retrieval_documents",
  retrievalTopScore: "agentwatch_retrieval_top_score",
  runLlmCalls: "agentwatch_run_llm_calls",
  runToolCalls: "agentwatch_run_tool_calls",
  interrupts: "agentwatch_interrupts_total",
  cost: "agentwatch_cost_usd_total",
  runCost: "agentwatch_agent_run_cost_usd",
  budget: "agentwatch_budget_usd",
  unpriced: "agentwatch_unpriced_calls_total",
  estimatedUsage: "agentwatch_estimated_usage_calls_total",
  guardTrips: "agentwatch_guard_trips_total",
  toolRepeats: "agentwatch_tool_repeats_total",
  promptInfo: "agentwatch_prompt_info",
  modelResponses: "agentwatch_model_responses_total",
  responseLength: "agentwatch_response_length_chars",
  guardrailChecks: "agentwatch_guardrail_checks_total",
  evalScore: "agentwatch_eval_score",
  evalDropped: "agentwatch_eval_dropped_total",
  evalErrors: "agentwatch_eval_errors_total",
  feedback: "agentwatch_user_feedback_total",
  handlerErrors: "agentwatch_handler_errors_total",
  openRuns: "agentwatch_open_runs",
  evicted: "agentwatch_runs_evicted_total",
  labelOverflow: "agentwatch_label_values_overflow_total",
  incidentActive: "acme_support_incident_active",
} as const;

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
