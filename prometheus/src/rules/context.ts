/**
 * What every area's rules share: the metric names they read, the label sets they keep, and a
 * `RuleContext` that writes durations and thresholds for one copy of the rules (production, or a
 * time-compressed copy for the end-to-end test) and builds alerts with their runbook and dashboard links.
 */
import { BASELINE_OFFSET, type DashboardUid, GRAFANA_URL, RUNBOOK_BASE_URL, type Severity, SLO, THRESHOLDS } from "../config.js";
import { Timing } from "../duration.js";
import { type GenAiLabel, shortLabels, sumBy } from "../promql.js";
import type { AlertRule, RuleOptions } from "./types.js";

export const RUNS = "gen_ai_invoke_agent_duration_seconds";
export const TTFT = "gen_ai_client_operation_time_to_first_chunk_seconds";
/** Time between two streamed chunks after the first (time between tokens, TBT). */
export const TBT = "gen_ai_client_operation_time_per_output_chunk_seconds";
export const OPS = "gen_ai_client_operation_duration_seconds";
/** Token usage by `gen_ai_token_type` input / output only: a sum over it is input + output tokens. */
export const TOKENS = "gen_ai_client_token_usage";
/** Ours: cache_read / cache_write / reasoning tokens by `part`, PARTS of TOKENS' input / output: never add them to TOKENS. */
export const TOKEN_PARTS = "agentwatch_token_usage_parts_total";
export const COST = "agentwatch_cost_usd_total";
export const SPANS_EXPORTED = "agentwatch_spans_exported_total";
export const SPANS_FAILED = "agentwatch_spans_export_failed_total";
export const SPANS_DROPPED = "agentwatch_spans_dropped_total";
export const SPANS_PENDING = "agentwatch_spans_export_pending";

export const AGENT: GenAiLabel[] = ["gen_ai_agent_name"];
export const AGENT_MODEL: GenAiLabel[] = ["gen_ai_agent_name", "gen_ai_provider_name", "gen_ai_request_model"];
/** The scrape target: agentwatch's own health metrics carry no agent label. */
export const INSTANCE = ["job", "instance"];

/** `${RUNBOOK_BASE_URL}<alert>.md`. */
export const runbookUrl = (alert: string): string => `${RUNBOOK_BASE_URL}${alert}.md`;

/** A Grafana dashboard link, its variables set from the alert's labels of the same names (e.g. `agent`). */
export function dashboardUrl(uid: DashboardUid, vars: readonly string[]): string {
  const query = vars.map((v) => `var-${v}={{ $labels.${v} }}`).join("&");
  return `${GRAFANA_URL}/d/${uid}${query === "" ? "" : `?${query}`}`;
}

/** One alert as the areas write it; `alert()` adds the runbook and dashboard links and writes `for`. */
export interface AlertSpec {
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
}

/** How one copy of the rules writes its durations and thresholds. */
export interface RuleContext {
  /** The duration `x` (production value) as this copy writes it. */
  d: (x: string) => string;
  /** A recording rule name's window suffix stays the production one, so the names are the same in every copy. */
  w: (x: string) => string;
  /** The latency SLO threshold (seconds), divided by `latencyScale`. */
  latencyThreshold: number;
  /** The time-to-first-token SLO threshold (seconds), divided by `latencyScale`. */
  ttftThreshold: number;
  /** The time-between-tokens alert threshold (seconds), divided by `latencyScale`. */
  tbtThreshold: number;
  /** "Its `window` average", leaving out the most recent BASELINE_OFFSET. */
  baseline: (series: string, window: string) => string;
  /** Agent runs per second over `window`, by agent (`matchers` e.g. `{error_type!=""}`). */
  runs: (window: string, matchers?: string) => string;
  /** An alerting rule from `spec`. */
  alert: (spec: AlertSpec) => AlertRule;
}

/** The context of the rules for `options`. */
export function ruleContext(options: RuleOptions = {}): RuleContext {
  const t = new Timing(options.timeScale ?? 1);
  const latencyScale = options.latencyScale ?? 1;
  if (!(Number.isFinite(latencyScale) && latencyScale > 0)) throw new Error(`latencyScale must be a number > 0, got ${latencyScale}`);
  const d = (x: string) => t.d(x);
  return {
    d,
    w: (x: string) => x,
    latencyThreshold: SLO.latency.thresholdSeconds / latencyScale,
    ttftThreshold: SLO.ttft.thresholdSeconds / latencyScale,
    tbtThreshold: THRESHOLDS.timeBetweenTokensP99.thresholdSeconds / latencyScale,
    baseline: (series: string, window: string) => `avg_over_time(${series}[${d(window)}] offset ${d(BASELINE_OFFSET)})`,
    runs: (window: string, matchers = "") => sumBy(["agent"], shortLabels(`rate(${RUNS}_count${matchers}[${d(window)}])`, AGENT)),
    alert: (a: AlertSpec): AlertRule => ({
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
    }),
  };
}

/**
 * How much a rarely-moving counter rose within `window`, compared with `condition`: the increase
 * of series that existed before the window, or (for a series that appeared inside it, whose
 * first samples `increase` cannot see) its whole value.
 */
export function recentIncrease(metric: string, by: readonly string[], window: string, condition: string): string {
  return `${sumBy(by, `increase(${metric}[${window}])`)} ${condition}\nor\n${sumBy(by, `${metric} unless ${metric} offset ${window}`)} ${condition}`;
}
