/** Symptoms users notice: failing runs, slow runs, a slow first token, a stream that stalls. */
import { DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, shortLabels, sumBy } from "../promql.js";
import { AGENT_MODEL, type RuleContext, RUNS, TBT, TTFT } from "./context.js";
import type { AlertRule, RuleGroup } from "./types.js";

/** The `agentwatch-symptom-alerts`. */
export function symptomRules(c: RuleContext): RuleGroup<AlertRule> {
  const { d, w, alert, latencyThreshold, ttftThreshold, tbtThreshold } = c;
  const tbt = T.timeBetweenTokensP99;
  const chunkGaps = sumBy(["agent", "provider", "model"], shortLabels(`increase(${TBT}_count[${d(tbt.window)}])`, AGENT_MODEL));
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
    alert({
      alert: "AgentTimeBetweenTokensHigh",
      expr: `agent_model:${TBT}:p99_rate${w(tbt.window)} > ${num(tbtThreshold)}\nand on (agent, provider, model)\n${chunkGaps} >= ${num(tbt.minChunks)}`,
      for: tbt.for,
      severity: SEVERITY.warning,
      summary: "p99 time between streamed tokens is high: streams stall mid-answer",
      description: `{{ $labels.agent }} on {{ $labels.provider }}/{{ $labels.model }}: p99 time between streamed chunks is {{ $value | humanizeDuration }} over the last ${d(tbt.window)} (threshold ${num(tbtThreshold)}s, at least ${num(tbt.minChunks)} chunks).`,
      dashboard: DASHBOARD.overview,
      vars: ["agent", "model"],
    }),
  ];

  return { name: "agentwatch-symptom-alerts", rules: symptomAlerts };
}
