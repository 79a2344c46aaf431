/** Canary probes (@agentwatch/eval `CanaryProber`): known-answer questions answered wrong, or not checked any more. */
import { DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, sumBy } from "../promql.js";
import type { RuleContext } from "./context.js";
import type { AlertRule, RuleGroup } from "./types.js";

export const CANARY_CHECKS = "agentwatch_canary_checks_total";
export const CANARY_FAILURES = "agentwatch_canary_consecutive_failures";
export const CANARY_LAST_SUCCESS = "agentwatch_canary_last_success_timestamp_seconds";
export const CANARY_INTERVAL = "agentwatch_canary_interval_seconds";

/** One canary case of one prober (the scrape target adds job and instance). */
const CASE = ["job", "instance", "agent", "canary"];
const PROBER = ["job", "instance", "agent"];

/** The `agentwatch-canary-alerts`. */
export function canaryRules(c: RuleContext): RuleGroup<AlertRule> {
  const { d, alert } = c;
  const failing = `max by (${CASE.join(", ")}) (${CANARY_FAILURES})`;
  const rules: AlertRule[] = [
    alert({
      alert: "AgentCanaryFailing",
      expr: `${failing} >= ${num(T.canaryFailing.consecutive)}`,
      for: T.canaryFailing.for,
      severity: SEVERITY.critical,
      summary: "A canary question with a known answer was answered wrong (or not at all) several times in a row",
      description: `{{ $labels.agent }} on {{ $labels.instance }}: canary {{ $labels.canary }} did not pass its last {{ $value }} checks (a wrong answer or no answer).`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentCanaryStale",
      expr: `time() - max by (${CASE.join(", ")}) (${CANARY_LAST_SUCCESS})\n> on (${PROBER.join(", ")}) group_left ()\n${num(T.canaryStale.intervals)} * max by (${PROBER.join(", ")}) (${CANARY_INTERVAL})\nunless on (${CASE.join(", ")})\n${failing} >= ${num(T.canaryFailing.consecutive)}`,
      for: T.canaryStale.for,
      severity: SEVERITY.warning,
      labels: { symptom: "no_success" },
      summary: "Canary checks have stopped proving the agent answers right",
      description: `{{ $labels.agent }} on {{ $labels.instance }}: canary {{ $labels.canary }} last passed {{ $value | humanizeDuration }} ago, over ${num(T.canaryStale.intervals)} check intervals, without failing either: its checks do not finish.`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentCanaryStale",
      expr: `${sumBy(CASE, `increase(${CANARY_CHECKS}[${d(T.canaryStale.window)}])`)} == 0`,
      for: T.canaryStale.for,
      severity: SEVERITY.warning,
      labels: { symptom: "no_checks" },
      summary: "Canary checks have stopped proving the agent answers right",
      description: `{{ $labels.agent }} on {{ $labels.instance }}: no check of canary {{ $labels.canary }} finished in the last ${d(T.canaryStale.window)}: the prober is stuck or stopped.`,
      dashboard: DASHBOARD.quality,
    }),
  ];
  return { name: "agentwatch-canary-alerts", rules };
}
