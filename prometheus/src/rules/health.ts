/** agentwatch's own health: callback errors, evicted runs, label overflow, the scrape target, span export. */
import { AGENT_JOB, DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, sumBy } from "../promql.js";
import { INSTANCE, recentIncrease, type RuleContext, SPANS_DROPPED, SPANS_EXPORTED, SPANS_FAILED, SPANS_PENDING } from "./context.js";
import type { AlertRule, RuleGroup } from "./types.js";

/** The `agentwatch-health-alerts`. */
export function healthRules(c: RuleContext): RuleGroup<AlertRule> {
  const { d, alert } = c;
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

  return { name: "agentwatch-health-alerts", rules: healthAlerts };
}
