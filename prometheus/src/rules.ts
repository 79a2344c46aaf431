/**
 * agentwatch's recording and alerting rules, built from config.ts. `buildRules()` is production;
 * `buildRules({ timeScale: 60, latencyScale: 4 })` is the same rules with every window, offset and
 * `for` 60 times shorter and the latency thresholds 4 times lower (a demo agent run with --speed 4),
 * for the end-to-end test.
 */
import {
  AGENT_JOB,
  BASELINE_OFFSET,
  BURN_WINDOWS,
  type BurnWindow,
  DASHBOARD,
  DASHBOARD_WINDOW,
  type DashboardUid,
  GRAFANA_URL,
  RUNBOOK_BASE_URL,
  SEVERITY,
  type Severity,
  SLO,
  SLO_PERIOD,
  THRESHOLDS as T,
} from "./config.js";
import { parseDuration, Timing } from "./duration.js";
import { type GenAiLabel, le, num, ratio, shortLabels, sumBy } from "./promql.js";

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string; dashboard_url?: string };
}

export interface RuleGroup<R> {
  name: string;
  rules: R[];
}

export interface Rules {
  recording: RuleGroup<RecordingRule>[];
  alerting: RuleGroup<AlertRule>[];
}

export interface RuleOptions {
  /** Divides every window, offset and `for` (60 makes an hour a minute). Default 1: production. */
  timeScale?: number;
  /** Divides the latency and time-to-first-token thresholds (a demo agent run with `--speed N`). Default 1. */
  latencyScale?: number;
}

/** The names of every alert, with the severities each one can have. */
export function alertNames(rules: Rules): Map<string, Set<Severity>> {
  const names = new Map<string, Set<Severity>>();
  for (const r of rules.alerting.flatMap((g) => g.rules)) {
    const set = names.get(r.alert) ?? new Set<Severity>();
    set.add(r.labels.severity);
    names.set(r.alert, set);
  }
  return names;
}

/** `${RUNBOOK_BASE_URL}<alert>.md`. */
export const runbookUrl = (alert: string): string => `${RUNBOOK_BASE_URL}${alert}.md`;

/** A Grafana dashboard link, its variables set from the alert's labels of the same names (e.g. `agent`). */
export function dashboardUrl(uid: DashboardUid, vars: readonly string[]): string {
  const query = vars.map((v) => `var-${v}={{ $labels.${v} }}`).join("&");
  return `${GRAFANA_URL}/d/${uid}${query === "" ? "" : `?${query}`}`;
}

const RUNS = "gen_ai_invoke_agent_duration_seconds";
const TTFT = "gen_ai_client_operation_time_to_first_chunk_seconds";
const OPS = "gen_ai_client_operation_duration_seconds";
const TOKENS = "gen_ai_client_token_usage";
const COST = "agentwatch_cost_usd_total";
const SPANS_EXPORTED = "agentwatch_spans_exported_total";
const SPANS_FAILED = "agentwatch_spans_export_failed_total";
const SPANS_DROPPED = "agentwatch_spans_dropped_total";
const SPANS_PENDING = "agentwatch_spans_export_pending";

const AGENT: GenAiLabel[] = ["gen_ai_agent_name"];
const AGENT_MODEL: GenAiLabel[] = ["gen_ai_agent_name", "gen_ai_provider_name", "gen_ai_request_model"];
/** The scrape target: agentwatch's own health metrics carry no agent label. */
const INSTANCE = ["job", "instance"];

/** Builds the rule groups. */
export function buildRules(options: RuleOptions = {}): Rules {
  const t = new Timing(options.timeScale ?? 1);
  const latencyScale = options.latencyScale ?? 1;
  if (!(Number.isFinite(latencyScale) && latencyScale > 0)) throw new Error(`latencyScale must be a number > 0, got ${latencyScale}`);
  const d = (x: string) => t.d(x);
  /** A recording rule name's window suffix stays the production one, so the names are the same in every copy. */
  const w = (x: string) => x;
  const latencyThreshold = SLO.latency.thresholdSeconds / latencyScale;
  const ttftThreshold = SLO.ttft.thresholdSeconds / latencyScale;
  const dash = DASHBOARD_WINDOW;
  const baseline = (series: string, window: string) => `avg_over_time(${series}[${d(window)}] offset ${d(BASELINE_OFFSET)})`;

  // ---------------------------------------------------------------- recording rules
  const runs = (window: string, matchers = "") => sumBy(["agent"], shortLabels(`rate(${RUNS}_count${matchers}[${d(window)}])`, AGENT));
  const runsRecording: RecordingRule[] = [
    { record: `agent:gen_ai_invoke_agent_runs:rate${w(dash)}`, expr: runs(dash) },
    { record: `agent:gen_ai_invoke_agent_errors:rate${w(dash)}`, expr: runs(dash, `{error_type!=""}`) },
    { record: `agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate${w(dash)}`, expr: ratio(runs(dash, `{error_type!=""}`), runs(dash)) },
    ...[0.5, 0.95, 0.99].map((q) => ({
      record: `agent:${RUNS}:p${Math.round(q * 100)}_rate${w(dash)}`,
      expr: `histogram_quantile(${num(q)}, ${sumBy(["agent", "le"], shortLabels(`rate(${RUNS}_bucket{error_type=""}[${d(dash)}])`, AGENT))})`,
    })),
  ];

  const byOp = (expr: string) =>
    sumBy(["agent", "provider", "model", "operation"], shortLabels(expr, [...AGENT_MODEL, "gen_ai_operation_name"]));
  const modelRecording: RecordingRule[] = [
    { record: `agent_model:gen_ai_client_operations:rate${w(dash)}`, expr: byOp(`rate(${OPS}_count[${d(dash)}])`) },
    {
      record: `agent_model:gen_ai_client_operation_errors_per_operations:ratio_rate${w(dash)}`,
      expr: ratio(byOp(`rate(${OPS}_count{error_type!=""}[${d(dash)}])`), byOp(`rate(${OPS}_count[${d(dash)}])`)),
    },
    {
      record: `agent_model:${OPS}:p95_rate${w(dash)}`,
      expr: `histogram_quantile(0.95, ${sumBy(["agent", "provider", "model", "operation", "le"], shortLabels(`rate(${OPS}_bucket{error_type=""}[${d(dash)}])`, [...AGENT_MODEL, "gen_ai_operation_name"]))})`,
    },
    ...[0.5, 0.95, 0.99].map((q) => ({
      record: `agent_model:${TTFT}:p${Math.round(q * 100)}_rate${w(dash)}`,
      expr: `histogram_quantile(${num(q)}, ${sumBy(["agent", "provider", "model", "le"], shortLabels(`rate(${TTFT}_bucket[${d(dash)}])`, AGENT_MODEL))})`,
    })),
    {
      record: `agent_model_token_type:${TOKENS}:rate${w(dash)}`,
      expr: sumBy(
        ["agent", "provider", "model", "token_type"],
        shortLabels(`rate(${TOKENS}_sum[${d(dash)}])`, [...AGENT_MODEL, "gen_ai_token_type"]),
      ),
    },
    {
      record: `agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)}`,
      expr: ratio(
        sumBy(
          ["agent", "provider", "model"],
          shortLabels(`rate(${TOKENS}_sum{gen_ai_token_type="cache_read"}[${d(T.cacheHit.window)}])`, AGENT_MODEL),
        ),
        sumBy(
          ["agent", "provider", "model"],
          shortLabels(`rate(${TOKENS}_sum{gen_ai_token_type="input"}[${d(T.cacheHit.window)}])`, AGENT_MODEL),
        ),
      ),
    },
  ];

  const costWindow = T.costPerHour.window;
  const budgetWindow = T.budget.window;
  const byName = (scope: string, label: string) =>
    `label_replace(max by (name) (agentwatch_budget_usd{scope="${scope}"}) > 0, "${label}", "$1", "name", "(.*)")`;
  const costRecording: RecordingRule[] = [
    {
      record: `agent_model:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["agent", "provider", "model"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `agent:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["agent"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `feature:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["feature"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `agent:agentwatch_cost_usd:increase${w(T.runawaySpend.window)}`,
      expr: sumBy(["agent"], `increase(${COST}[${d(T.runawaySpend.window)}])`),
    },
    // The README's "Cost and budgets" queries, with a guard against a zero budget. `max` keeps one budget series when replicas expose it.
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `sum(increase(${COST}[${d(budgetWindow)}])) / (max(agentwatch_budget_usd{scope="global"}) > 0)`,
      labels: { scope: "global", budget: "global" },
    },
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `label_replace(${sumBy(["agent"], `increase(${COST}[${d(budgetWindow)}])`)} / on (agent) group_left () ${byName("agent", "agent")}, "budget", "$1", "agent", "(.*)")`,
      labels: { scope: "agent" },
    },
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `label_replace(${sumBy(["feature"], `increase(${COST}[${d(budgetWindow)}])`)} / on (feature) group_left () ${byName("feature", "feature")}, "budget", "$1", "feature", "(.*)")`,
      labels: { scope: "feature" },
    },
  ];

  const gw = T.guardrailBlock.window;
  const guardrailChecks = (matchers: string) =>
    sumBy(["guardrail", "stage"], `rate(agentwatch_guardrail_checks_total${matchers}[${d(gw)}])`);
  const ew = T.evalScore.window;
  const evalAvg = (by: string[]) =>
    `${sumBy(by, `rate(agentwatch_eval_score_sum[${d(ew)}])`)} / (${sumBy(by, `rate(agentwatch_eval_score_count[${d(ew)}])`)} > 0)`;
  const fw = T.negativeFeedback.window;
  const feedback = (matchers: string) => sumBy(["agent"], `rate(agentwatch_user_feedback_total${matchers}[${d(fw)}])`);
  const lw = T.responseLength.window;
  const rw = T.retrievalEmpty.window;
  const retrievals = (series: string, fn: "rate" | "increase" = "rate") =>
    sumBy(["agent", "data_source"], shortLabels(`${fn}(${series}[${d(rw)}])`, ["gen_ai_data_source_id"]));
  const qualityRecording: RecordingRule[] = [
    {
      record: `guardrail_stage:agentwatch_guardrail_blocks_per_checks:ratio_rate${w(gw)}`,
      expr: ratio(guardrailChecks(`{outcome="block"}`), guardrailChecks("")),
    },
    { record: `agent_evaluator:agentwatch_eval_score:avg_rate${w(ew)}`, expr: evalAvg(["agent", "evaluator"]) },
    { record: `agent_prompt_version:agentwatch_eval_score:avg_rate${w(ew)}`, expr: evalAvg(["agent", "prompt_version"]) },
    {
      record: `agent:agentwatch_user_feedback_negative_per_feedback:ratio_rate${w(fw)}`,
      expr: ratio(feedback(`{rating="negative"}`), feedback("")),
    },
    {
      record: `agent_model:agentwatch_response_length_chars:avg_rate${w(lw)}`,
      expr: `${sumBy(["agent", "model"], `rate(agentwatch_response_length_chars_sum[${d(lw)}])`)} / (${sumBy(["agent", "model"], `rate(agentwatch_response_length_chars_count[${d(lw)}])`)} > 0)`,
    },
    {
      record: `agent_data_source:agentwatch_retrieval_empty_per_retrievals:ratio_rate${w(rw)}`,
      expr: ratio(retrievals(`agentwatch_retrieval_documents_bucket{le="0"}`), retrievals("agentwatch_retrieval_documents_count")),
    },
    {
      record: `agent_data_source:agentwatch_retrieval_low_score_per_retrievals:ratio_rate${w(rw)}`,
      expr: ratio(
        retrievals(`agentwatch_retrieval_top_score_bucket{le="${le(T.retrievalLowScore.score)}"}`),
        retrievals("agentwatch_retrieval_top_score_count"),
      ),
    },
  ];

  const sloWindows = [...new Set(BURN_WINDOWS.flatMap((b) => [b.short, b.long]))].sort((a, b) => parseDuration(a) - parseDuration(b));
  const sli = {
    availability: (window: string) => ratio(runs(window, `{error_type!=""}`), runs(window)),
    latency: (window: string) => {
      const total = runs(window, `{error_type=""}`);
      const good = sumBy(["agent"], shortLabels(`rate(${RUNS}_bucket{error_type="",le="${le(latencyThreshold)}"}[${d(window)}])`, AGENT));
      return `clamp_min((${total} - ${good}) / (${total} > 0), 0)`;
    },
    ttft: (window: string) => {
      const total = sumBy(["agent"], shortLabels(`rate(${TTFT}_count[${d(window)}])`, AGENT));
      const good = sumBy(["agent"], shortLabels(`rate(${TTFT}_bucket{le="${le(ttftThreshold)}"}[${d(window)}])`, AGENT));
      return `clamp_min((${total} - ${good}) / (${total} > 0), 0)`;
    },
  };
  const sloRecord = (slo: keyof typeof sli, window: string) => `agent:slo_${slo}_errors:ratio_rate${w(window)}`;
  const sloRecording: RecordingRule[] = (Object.keys(sli) as (keyof typeof sli)[]).flatMap((slo) =>
    sloWindows.map((window) => ({ record: sloRecord(slo, window), expr: sli[slo](window) })),
  );

  // ---------------------------------------------------------------- alerts
  const alert = (a: {
    alert: string;
    expr: string;
    for: string;
    severity: Severity;
    labels?: Record<string, string>;
    summary: string;
    description: string;
    dashboard?: DashboardUid;
    /** Dashboard variables set from the alert's labels; default `agent`. */
    vars?: string[];
  }): AlertRule => ({
    alert: a.alert,
    expr: a.expr,
    for: d(a.for),
    labels: { severity: a.severity, ...a.labels },
    annotations: {
      summary: a.summary,
      description: a.description,
      runbook_url: runbookUrl(a.alert),
      ...(a.dashboard !== undefined ? { dashboard_url: dashboardUrl(a.dashboard, a.vars ?? ["agent"]) } : {}),
    },
  });

  const budgetOf = (target: number) => num(Math.round((1 - target) * 1e6) / 1e4);
  const burn = (slo: keyof typeof sli, name: string, target: number, what: string, summary: string, dashboard: DashboardUid): AlertRule[] =>
    BURN_WINDOWS.map((b: BurnWindow) => {
      const limit = num(b.burnRate * (1 - target));
      return alert({
        alert: name,
        expr: `${sloRecord(slo, b.long)} > ${limit}\nand\n${sloRecord(slo, b.short)} > ${limit}`,
        for: b.for,
        severity: b.severity,
        labels: { slo, long_window: d(b.long), short_window: d(b.short) },
        summary,
        description:
          `{{ $labels.agent }}: {{ $value | humanizePercentage }} of ${what} over the last ${d(b.long)} (and over ${d(b.short)}), ` +
          `against an SLO budget of ${budgetOf(target)}% over ${SLO_PERIOD}: the error budget burns at ${num(b.burnRate)}x or faster.`,
        dashboard,
      });
    });

  const sloAlerts: AlertRule[] = [
    ...burn(
      "availability",
      "AgentAvailabilityBudgetBurn",
      SLO.availability.target,
      "agent runs failed",
      "Agent runs fail fast enough to exhaust the availability error budget",
      DASHBOARD.overview,
    ),
    ...burn(
      "latency",
      "AgentLatencyBudgetBurn",
      SLO.latency.target,
      `successful agent runs took longer than ${num(latencyThreshold)}s`,
      "Agent runs are slow often enough to exhaust the latency error budget",
      DASHBOARD.overview,
    ),
    ...burn(
      "ttft",
      "AgentTTFTBudgetBurn",
      SLO.ttft.target,
      `streamed model calls waited longer than ${num(ttftThreshold)}s for their first token`,
      "Time to first token is slow often enough to exhaust its error budget",
      DASHBOARD.overview,
    ),
  ];

  const symptomAlerts: AlertRule[] = [
    alert({
      alert: "AgentErrorRateHigh",
      expr: `agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate${w(T.errorRate.window)} > ${num(T.errorRate.ratio)}`,
      for: T.errorRate.for,
      severity: SEVERITY.critical,
      summary: "More than 5% of agent runs fail",
      description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of agent runs failed over the last ${d(T.errorRate.window)} (threshold ${num(T.errorRate.ratio * 100)}%).`,
      dashboard: DASHBOARD.overview,
    }),
    alert({
      alert: "AgentLatencyP99High",
      expr: `agent:${RUNS}:p99_rate${w(T.latencyP99.window)} > ${num(latencyThreshold)}`,
      for: T.latencyP99.for,
      severity: SEVERITY.warning,
      summary: "p99 agent run latency is above the latency SLO threshold",
      description: `{{ $labels.agent }}: p99 of successful agent runs is {{ $value | humanizeDuration }} over the last ${d(T.latencyP99.window)} (threshold ${num(latencyThreshold)}s).`,
      dashboard: DASHBOARD.overview,
    }),
    alert({
      alert: "AgentTTFTP95High",
      expr: `agent_model:${TTFT}:p95_rate${w(T.ttftP95.window)} > ${num(ttftThreshold)}`,
      for: T.ttftP95.for,
      severity: SEVERITY.warning,
      summary: "p95 time to first token is above the TTFT SLO threshold",
      description: `{{ $labels.agent }} on {{ $labels.provider }}/{{ $labels.model }}: p95 time to first token is {{ $value | humanizeDuration }} over the last ${d(T.ttftP95.window)} (threshold ${num(ttftThreshold)}s).`,
      dashboard: DASHBOARD.overview,
      vars: ["agent", "model"],
    }),
  ];

  const costPerHour = `agent:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`;
  const costAlerts: AlertRule[] = [
    alert({
      alert: "AgentCostPerHourHigh",
      expr: `${costPerHour} > ${num(T.costPerHour.floorUsdPerHour)}\nand\n${costPerHour} > ${num(T.costPerHour.multiplier)} * ${baseline(costPerHour, T.costPerHour.baseline)}`,
      for: T.costPerHour.for,
      severity: SEVERITY.warning,
      summary: "Agent spend per hour is more than 3 times its 7-day average",
      description: `{{ $labels.agent }} spends {{ $value | printf "%.2f" }} USD per hour (over the last ${d(costWindow)}), more than ${num(T.costPerHour.multiplier)}x its average of the ${d(T.costPerHour.baseline)} before.`,
      dashboard: DASHBOARD.cost,
    }),
    alert({
      alert: "AgentRunawaySpend",
      expr: `agent:agentwatch_cost_usd:increase${w(T.runawaySpend.window)} > ${num(T.runawaySpend.usd)}`,
      for: T.runawaySpend.for,
      severity: SEVERITY.critical,
      summary: "An agent spent more than the runaway limit within minutes",
      description: `{{ $labels.agent }} spent {{ $value | printf "%.2f" }} USD in the last ${d(T.runawaySpend.window)} (limit ${num(T.runawaySpend.usd)} USD).`,
      dashboard: DASHBOARD.cost,
    }),
    ...T.budget.levels.map((level) =>
      alert({
        alert: "AgentDailyBudget",
        expr: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)} >= ${num(level.share)}`,
        for: T.budget.for,
        severity: level.severity,
        labels: { threshold: `${num(level.share * 100)}%` },
        summary: `Spend reached ${num(level.share * 100)}% of a daily budget`,
        description: `{{ $labels.scope }} budget {{ $labels.budget }}: {{ $value | humanizePercentage }} of the daily budget spent in the last ${d(budgetWindow)} (alert at ${num(level.share * 100)}%).`,
        dashboard: DASHBOARD.cost,
        vars: [],
      }),
    ),
    alert({
      alert: "AgentUnpricedModel",
      expr: recentIncrease("agentwatch_unpriced_calls_total", ["provider", "model"], d(T.unpriced.window), "> 0"),
      for: T.unpriced.for,
      severity: SEVERITY.warning,
      summary: "Model calls have no known price, so cost metrics and budgets miss them",
      description: `{{ $labels.provider }}/{{ $labels.model }}: {{ $value | humanize }} calls in the last ${d(T.unpriced.window)} had no price; add the model to the handler's prices.`,
      dashboard: DASHBOARD.cost,
      vars: [],
    }),
    alert({
      alert: "AgentPromptCacheHitRatioLow",
      expr: `agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)} < ${num(T.cacheHit.ratio)}\nand on (agent, provider, model)\n${baseline(`agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)}`, T.cacheHit.baseline)} >= ${num(T.cacheHit.baselineRatio)}`,
      for: T.cacheHit.for,
      severity: SEVERITY.info,
      summary: "The prompt cache stopped hitting",
      description: `{{ $labels.agent }} on {{ $labels.provider }}/{{ $labels.model }}: only {{ $value | humanizePercentage }} of input tokens were cache reads over the last ${d(T.cacheHit.window)} (below ${num(T.cacheHit.ratio * 100)}%; it was at least ${num(T.cacheHit.baselineRatio * 100)}% before).`,
      dashboard: DASHBOARD.cost,
      vars: ["agent", "model"],
    }),
  ];

  const guardrailRatio = `guardrail_stage:agentwatch_guardrail_blocks_per_checks:ratio_rate${w(gw)}`;
  const evalAvgRecord = `agent_evaluator:agentwatch_eval_score:avg_rate${w(ew)}`;
  const negative = `agent:agentwatch_user_feedback_negative_per_feedback:ratio_rate${w(fw)}`;
  const lengthAvg = `agent_model:agentwatch_response_length_chars:avg_rate${w(lw)}`;
  const lengthRatio = `(${lengthAvg} / ${baseline(lengthAvg, T.responseLength.baseline)})`;
  const promptHistory = `max_over_time(agentwatch_prompt_info[${d(T.promptHash.history)}] offset ${d(BASELINE_OFFSET)})`;
  const modelLabels = "provider, request_model, response_model, fingerprint";
  const modelHistory = `max_over_time(agentwatch_model_responses_total[${d(T.modelFingerprint.history)}] offset ${d(BASELINE_OFFSET)})`;
  const qualityAlerts: AlertRule[] = [
    alert({
      alert: "AgentToolLoop",
      expr: recentIncrease("agentwatch_tool_repeats_total", ["agent", "tool"], d(T.toolLoop.window), `>= ${num(T.toolLoop.repeats)}`),
      for: T.toolLoop.for,
      severity: SEVERITY.warning,
      summary: "An agent calls the same tool with the same arguments again and again",
      description: `{{ $labels.agent }}: {{ $value | humanize }} repeated calls of tool {{ $labels.tool }} (same arguments, same run) in the last ${d(T.toolLoop.window)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentRunGuardTripped",
      expr: recentIncrease("agentwatch_guard_trips_total", ["agent", "guard"], d(T.guardTrips.window), "> 0"),
      for: T.guardTrips.for,
      severity: SEVERITY.warning,
      summary: "Agent runs hit a run guard (cost, tokens, calls or repeated tool calls)",
      description: `{{ $labels.agent }}: the {{ $labels.guard }} guard tripped in {{ $value | humanize }} runs in the last ${d(T.guardTrips.window)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentGuardrailBlockRatioHigh",
      expr: `${guardrailRatio} > ${num(T.guardrailBlock.floorRatio)}\nand\n${guardrailRatio} > ${num(T.guardrailBlock.multiplier)} * ${baseline(guardrailRatio, T.guardrailBlock.baseline)}`,
      for: T.guardrailBlock.for,
      severity: SEVERITY.warning,
      summary: "A guardrail blocks far more messages than usual",
      description: `Guardrail {{ $labels.guardrail }} ({{ $labels.stage }}) blocked {{ $value | humanizePercentage }} of checks over the last ${d(gw)}: above ${num(T.guardrailBlock.floorRatio * 100)}% and more than ${num(T.guardrailBlock.multiplier)}x its ${d(T.guardrailBlock.baseline)} average.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentEvalScoreDrop",
      expr: `${evalAvgRecord} < ${num(1 - T.evalScore.drop)} * ${baseline(evalAvgRecord, T.evalScore.baseline)}\nand on (agent, evaluator)\n${sumBy(["agent", "evaluator"], `increase(agentwatch_eval_score_count[${d(ew)}])`)} >= ${num(T.evalScore.minEvaluations)}`,
      for: T.evalScore.for,
      severity: SEVERITY.warning,
      summary: "Evaluation scores dropped more than 10% below their 7-day average",
      description: `{{ $labels.agent }}: mean {{ $labels.evaluator }} score is {{ $value | printf "%.2f" }} over the last ${d(ew)}, more than ${num(T.evalScore.drop * 100)}% below its ${d(T.evalScore.baseline)} average.`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentNegativeFeedbackHigh",
      expr: `${negative} > ${num(T.negativeFeedback.floorRatio)}\nand\n${negative} > ${num(T.negativeFeedback.multiplier)} * ${baseline(negative, T.negativeFeedback.baseline)}\nand on (agent)\n${sumBy(["agent"], `increase(agentwatch_user_feedback_total[${d(fw)}])`)} >= ${num(T.negativeFeedback.minFeedback)}`,
      for: T.negativeFeedback.for,
      severity: SEVERITY.warning,
      summary: "Users give far more negative feedback than usual",
      description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of user feedback was negative over the last ${d(fw)}, more than ${num(T.negativeFeedback.multiplier)}x its ${d(T.negativeFeedback.baseline)} average.`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentPromptVersionsLive",
      expr: `count by (prompt) (group by (prompt, version) (agentwatch_prompt_info)) > 1`,
      for: T.promptVersions.for,
      severity: SEVERITY.info,
      summary: "Several versions of one prompt are in use",
      description: `Prompt {{ $labels.prompt }}: {{ $value }} versions in use within the last 15 minutes (a rollout in progress, or one that did not finish).`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentPromptHashChanged",
      expr:
        `count by (prompt, version) (group by (prompt, version, hash) (agentwatch_prompt_info)) > 1\nor\n` +
        `count by (prompt, version) (group by (prompt, version, hash) (agentwatch_prompt_info) unless on (prompt, version, hash) ${promptHistory})\n` +
        `and on (prompt, version) group by (prompt, version) (${promptHistory})`,
      for: T.promptHash.for,
      severity: SEVERITY.warning,
      summary: "A prompt template changed without a new version",
      description: `Prompt {{ $labels.prompt }} version {{ $labels.version }}: {{ $value }} template hash(es) new or live side by side under one version label: the template was edited without a version bump.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentModelFingerprintChanged",
      expr:
        `group by (${modelLabels}) (agentwatch_model_responses_total)\n` +
        `unless on (${modelLabels}) ${modelHistory}\n` +
        `and on (provider, request_model) group by (provider, request_model) (${modelHistory})`,
      for: T.modelFingerprint.for,
      severity: SEVERITY.warning,
      summary: "The provider answers a requested model with a new model snapshot or fingerprint",
      description: `{{ $labels.provider }}/{{ $labels.request_model }} is now answered by {{ $labels.response_model }} with fingerprint {{ $labels.fingerprint }}, not seen in the ${d(T.modelFingerprint.history)} before.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentResponseLengthShift",
      expr: `(${lengthRatio} < ${num(1 / T.responseLength.factor)} or ${lengthRatio} > ${num(T.responseLength.factor)})\nand on (agent, model)\n${sumBy(["agent", "model"], `increase(agentwatch_response_length_chars_count[${d(lw)}])`)} >= ${num(T.responseLength.minResponses)}`,
      for: T.responseLength.for,
      severity: SEVERITY.info,
      summary: "The length of model answers shifted",
      description: `{{ $labels.agent }} on {{ $labels.model }}: mean response length over the last ${d(lw)} is {{ $value | printf "%.2f" }} times its ${d(T.responseLength.baseline)} average.`,
      dashboard: DASHBOARD.quality,
      vars: ["agent", "model"],
    }),
    alert({
      alert: "AgentRetrievalNoDocuments",
      expr: `agent_data_source:agentwatch_retrieval_empty_per_retrievals:ratio_rate${w(rw)} > ${num(T.retrievalEmpty.ratio)}\nand on (agent, data_source)\n${retrievals("agentwatch_retrieval_documents_count", "increase")} >= ${num(T.retrievalEmpty.minRetrievals)}`,
      for: T.retrievalEmpty.for,
      severity: SEVERITY.warning,
      summary: "Retrieval returns no documents",
      description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of retrievals from {{ $labels.data_source }} returned no document over the last ${d(rw)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentRetrievalLowScore",
      expr: `agent_data_source:agentwatch_retrieval_low_score_per_retrievals:ratio_rate${w(rw)} > ${num(T.retrievalLowScore.ratio)}\nand on (agent, data_source)\n${retrievals("agentwatch_retrieval_top_score_count", "increase")} >= ${num(T.retrievalLowScore.minRetrievals)}`,
      for: T.retrievalLowScore.for,
      severity: SEVERITY.warning,
      summary: "Retrieved documents barely match the questions",
      description: `{{ $labels.agent }}: in {{ $value | humanizePercentage }} of retrievals from {{ $labels.data_source }} the best document scored ${num(T.retrievalLowScore.score)} or less over the last ${d(rw)}.`,
      dashboard: DASHBOARD.internals,
    }),
  ];

  const xw = T.spanExportFailing.window;
  const sw = T.spanExportStalled.window;
  const spansFailed = sumBy(INSTANCE, `rate(${SPANS_FAILED}[${d(xw)}])`);
  const spansExported = sumBy(INSTANCE, `rate(${SPANS_EXPORTED}[${d(xw)}])`);
  /** Spans whose export finished (exported or failed) within `window`. */
  const finished = (window: string) =>
    `${sumBy(INSTANCE, `increase(${SPANS_EXPORTED}[${d(window)}])`)} + ${sumBy(INSTANCE, `increase(${SPANS_FAILED}[${d(window)}])`)}`;
  /** The failure reason of most failed spans of the alert's instance, looked up when the description is rendered. */
  const topReason =
    `{{ with printf \`topk(1, sum by (reason) (increase(${SPANS_FAILED}{job="%s",instance="%s"}[${d(xw)}])))\` $labels.job $labels.instance | query }}` +
    `{{ . | first | label "reason" }}{{ else }}an unknown reason{{ end }}`;
  const healthAlerts: AlertRule[] = [
    alert({
      alert: "AgentWatchHandlerErrors",
      expr: recentIncrease("agentwatch_handler_errors_total", ["job", "instance", "callback"], d(T.handlerErrors.window), "> 0"),
      for: T.handlerErrors.for,
      severity: SEVERITY.warning,
      summary: "agentwatch's callbacks throw errors (telemetry is incomplete; the agent is unaffected)",
      description: `{{ $labels.instance }}: {{ $value | humanize }} errors in agentwatch callback {{ $labels.callback }} in the last ${d(T.handlerErrors.window)}.`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    alert({
      alert: "AgentWatchRunsEvicted",
      expr: `${sumBy(["job", "instance"], `increase(agentwatch_runs_evicted_total[${d(T.runsEvicted.window)}])`)} > 0`,
      for: T.runsEvicted.for,
      severity: SEVERITY.warning,
      summary: "Agent runs never ended and were evicted",
      description: `{{ $labels.instance }}: {{ $value | humanize }} runs were evicted in the last ${d(T.runsEvicted.window)} (never ended within the run TTL, or over the open-run cap).`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    alert({
      alert: "AgentWatchLabelOverflow",
      expr: recentIncrease(
        "agentwatch_label_values_overflow_total",
        ["job", "instance", "metric", "label"],
        d(T.labelOverflow.window),
        "> 0",
      ),
      for: T.labelOverflow.for,
      severity: SEVERITY.info,
      summary: "A metric label has more distinct values than allowed; extra values are counted as other",
      description: `{{ $labels.instance }}: {{ $value | humanize }} values of label {{ $labels.label }} on {{ $labels.metric }} collapsed into "other" in the last ${d(T.labelOverflow.window)}.`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    alert({
      alert: "AgentWatchTargetDown",
      expr: `up{job="${AGENT_JOB}"} == 0`,
      for: T.targetDown.for,
      severity: SEVERITY.critical,
      summary: "Prometheus cannot scrape an agent's /metrics",
      description: `{{ $labels.instance }} (job {{ $labels.job }}) has not answered Prometheus's scrapes for ${d(T.targetDown.for)}: the agent is down or its /metrics fails.`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    // Span export health (monitoredBatchSpanProcessor). Warnings, not pages: spans are exported off
    // the request path with bounded memory, so the agent and its users are unaffected, and metrics
    // and every other alert keep working; what is lost is traces, until the export is fixed.
    alert({
      alert: "AgentWatchSpansDropped",
      expr: `${sumBy(INSTANCE, `increase(${SPANS_DROPPED}[${d(T.spansDropped.window)}])`)} > 0`,
      for: T.spansDropped.for,
      severity: SEVERITY.warning,
      summary: "Spans are dropped before export because the span processor is full: traces are incomplete",
      description: `{{ $labels.instance }}: {{ $value | humanize }} spans dropped in the last ${d(T.spansDropped.window)}, and spans dropped in every ${d(T.spansDropped.window)} for ${d(T.spansDropped.for)}: queued and in-flight spans reached maxQueueSize (the exporter is slower than spans are made, or failing).`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    alert({
      alert: "AgentWatchSpanExportFailing",
      expr: `${spansFailed}\n/\n(${spansFailed} + ${spansExported})\n> ${num(T.spanExportFailing.ratio)}`,
      for: T.spanExportFailing.for,
      severity: SEVERITY.warning,
      labels: { symptom: "failing" },
      summary: "Span exports fail: traces do not reach the tracing backend",
      description: `{{ $labels.instance }}: {{ $value | humanizePercentage }} of spans failed to export over the last ${d(xw)} (threshold ${num(T.spanExportFailing.ratio * 100)}%), most of them as ${topReason}: those traces are lost.`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
    alert({
      alert: "AgentWatchSpanExportFailing",
      expr: `${sumBy(INSTANCE, `min_over_time(${SPANS_PENDING}[${d(sw)}])`)} > 0\nand on (job, instance)\n${finished(sw)} == 0`,
      for: T.spanExportStalled.for,
      severity: SEVERITY.warning,
      labels: { symptom: "stalled" },
      summary: "Span exports fail: traces do not reach the tracing backend",
      description: `{{ $labels.instance }}: no span export finished (none exported, none failed) in the last ${d(sw)} while at least {{ $value | humanize }} spans waited on the exporter: it never reports back.`,
      dashboard: DASHBOARD.health,
      vars: ["job"],
    }),
  ];

  return {
    recording: [
      { name: "agentwatch-runs", rules: runsRecording },
      { name: "agentwatch-model-calls", rules: modelRecording },
      { name: "agentwatch-cost", rules: costRecording },
      { name: "agentwatch-quality", rules: qualityRecording },
      { name: "agentwatch-slo", rules: sloRecording },
    ],
    alerting: [
      { name: "agentwatch-slo-alerts", rules: sloAlerts },
      { name: "agentwatch-symptom-alerts", rules: symptomAlerts },
      { name: "agentwatch-cost-alerts", rules: costAlerts },
      { name: "agentwatch-quality-alerts", rules: qualityAlerts },
      { name: "agentwatch-health-alerts", rules: healthAlerts },
    ],
  };
}

/**
 * How much a rarely-moving counter rose within `window`, compared with `condition`: the increase
 * of series that existed before the window, or (for a series that appeared inside it, whose
 * first samples `increase` cannot see) its whole value.
 */
function recentIncrease(metric: string, by: readonly string[], window: string, condition: string): string {
  return `${sumBy(by, `increase(${metric}[${window}])`)} ${condition}\nor\n${sumBy(by, `${metric} unless ${metric} offset ${window}`)} ${condition}`;
}
