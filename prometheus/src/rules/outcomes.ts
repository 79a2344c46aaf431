/** Business outcomes: the share of conversations the agent completed (resolved or converted). */
import { DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, ratio, sumBy } from "../promql.js";
import type { RuleContext } from "./context.js";
import type { AreaRules } from "./types.js";

/** Outcomes that mean the agent solved the user's task. */
export const COMPLETED_OUTCOMES = ["resolved", "converted"] as const;

/** The `agentwatch-outcomes` recording rules and the `agentwatch-outcomes-alerts`. */
export function outcomeRules(c: RuleContext): AreaRules {
  const { d, w, baseline, alert } = c;
  const tw = T.taskCompletion.window;
  const outcomes = (matchers: string) => sumBy(["agent"], `rate(agentwatch_conversation_outcomes_total${matchers}[${d(tw)}])`);
  const share = `agent:agentwatch_conversations_completed_per_outcomes:ratio_rate${w(tw)}`;
  return {
    recording: {
      name: "agentwatch-outcomes",
      rules: [{ record: share, expr: ratio(outcomes(`{outcome=~"${COMPLETED_OUTCOMES.join("|")}"}`), outcomes("")) }],
    },
    alerting: {
      name: "agentwatch-outcomes-alerts",
      rules: [
        alert({
          alert: "AgentTaskCompletionLow",
          expr: `${share} < ${num(1 - T.taskCompletion.drop)} * ${baseline(share, T.taskCompletion.baseline)}\nand on (agent)\n${sumBy(["agent"], `increase(agentwatch_conversation_outcomes_total[${d(tw)}])`)} >= ${num(T.taskCompletion.minConversations)}`,
          for: T.taskCompletion.for,
          severity: SEVERITY.warning,
          summary: "Far fewer conversations end with the task done than usual",
          description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of conversations ended resolved or converted over the last ${d(tw)}, more than ${num(T.taskCompletion.drop * 100)}% below its ${d(T.taskCompletion.baseline)} average.`,
          dashboard: DASHBOARD.quality,
        }),
      ],
    },
  };
}
