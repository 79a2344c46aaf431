/** Cancelled runs (the caller went away) are neither failures nor slow runs: a burst of them pages nobody. */
import { counter, genAi } from "./series.js";
import type { AreaTests } from "./types.js";

const CANCELLED = (agent: string) => `agentwatch_cancellations_total{gen_ai_operation_name="invoke_agent",${genAi(agent)}}`;

export const cancellationTests: AreaTests = {
  short: [
    {
      name: "A burst of cancellations fires no availability, error-rate or latency alert",
      interval: "1m",
      series: {
        // 100 runs a minute complete, all fine; from 10m, 150 a minute more are cancelled (clients leave).
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("leaving")}}`]: counter([[100, 90]]),
        [CANCELLED("leaving")]: counter([
          [0, 10],
          [150, 80],
        ]),
        // Only cancelled runs: still no error ratio, and the cancelled share is 100 %.
        [CANCELLED("abandoned")]: counter([[30, 90]]),
      },
      alerts: [
        { at: "80m", alert: "AgentAvailabilityBudgetBurn", fires: [], quiet: "cancelled runs are not failed runs" },
        { at: "80m", alert: "AgentErrorRateHigh", fires: [], quiet: "no run failed" },
        { at: "80m", alert: "AgentLatencyBudgetBurn", fires: [], quiet: "cancelled runs are in no duration histogram" },
      ],
      exprs: [
        {
          at: "80m",
          expr: "agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m",
          samples: [{ labels: 'agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m{agent="leaving"}', value: 0 }],
        },
        {
          at: "80m",
          expr: "agent:agentwatch_cancellations:rate5m",
          samples: [
            { labels: 'agent:agentwatch_cancellations:rate5m{agent="abandoned"}', value: 0.5 },
            { labels: 'agent:agentwatch_cancellations:rate5m{agent="leaving"}', value: 2.5 },
          ],
        },
        {
          at: "80m",
          expr: "agent:agentwatch_cancellations_per_runs:ratio_rate5m",
          samples: [
            { labels: 'agent:agentwatch_cancellations_per_runs:ratio_rate5m{agent="abandoned"}', value: 1 },
            { labels: 'agent:agentwatch_cancellations_per_runs:ratio_rate5m{agent="leaving"}', value: 0.6 },
          ],
        },
      ],
    },
  ],
  long: [],
};
