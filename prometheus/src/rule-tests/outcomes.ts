/** Outcome alerts: the completion share against its 7-day baseline (long). */
import { weekThen } from "./series.js";
import type { AreaTests } from "./types.js";

export const outcomeTests: AreaTests = {
  short: [],
  long: [
    {
      name: "AgentTaskCompletionLow: completion share more than 30% under its 7-day average, with enough conversations",
      interval: "15m",
      series: {
        // loud: 80% completed for a week, then 30%.
        'agentwatch_conversation_outcomes_total{agent="loud",outcome="resolved"}': weekThen(12, 4),
        'agentwatch_conversation_outcomes_total{agent="loud",outcome="converted"}': weekThen(4, 2),
        'agentwatch_conversation_outcomes_total{agent="loud",outcome="abandoned"}': weekThen(4, 14),
        // calm: 80%, then 70% (under the 30% drop).
        'agentwatch_conversation_outcomes_total{agent="calm",outcome="resolved"}': weekThen(16, 14),
        'agentwatch_conversation_outcomes_total{agent="calm",outcome="escalated"}': weekThen(4, 6),
        // few: 80%, then 0%, but only 4 conversations an hour.
        'agentwatch_conversation_outcomes_total{agent="few",outcome="resolved"}': weekThen(0.8, 0),
        'agentwatch_conversation_outcomes_total{agent="few",outcome="abandoned"}': weekThen(0.2, 1),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentTaskCompletionLow",
          fires: [
            {
              labels: { severity: "warning", agent: "loud" },
              description: "loud: 30% of conversations ended resolved or converted over the last 1h, more than 30% below its 7d average.",
            },
          ],
          quiet: "calm fell to 70% (12.5% under its average); few fell to 0% with 4 conversations an hour",
        },
      ],
    },
  ],
};
