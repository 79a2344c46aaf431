/** Provider health: the throttled share of calls (AgentProviderThrottled) and the retry and fallback rates. */
import { chatLabels, counter } from "./series.js";
import type { AreaTests } from "./types.js";

const ops = "gen_ai_client_operation_duration_seconds_count";

export const providerTests: AreaTests = {
  short: [
    {
      name: "AgentProviderThrottled: more than 10% of an agent's calls to a provider rate limited for 10m, with at least 10 calls",
      interval: "1m",
      series: {
        // loud: 10 answered and 2 rate-limited calls a minute (16.7 %), each 429 retried.
        [`${ops}{${chatLabels("loud")}}`]: counter([[10, 40]]),
        [`${ops}{${chatLabels("loud")},error_type="429"}`]: counter([[2, 40]]),
        [`agentwatch_model_retries_total{agent="loud",provider="openai",model="gpt-4o",error_type="429"}`]: counter([[2, 40]]),
        // calm: 10 answered, 1 rate-limited and 2 server errors a minute: 7.7 % throttled (500s are not throttling).
        [`${ops}{${chatLabels("calm")}}`]: counter([[10, 40]]),
        [`${ops}{${chatLabels("calm")},error_type="429"}`]: counter([[1, 40]]),
        [`${ops}{${chatLabels("calm")},error_type="500"}`]: counter([[2, 40]]),
        // trickle: half of its calls rate limited, but only 5 calls in 10 minutes.
        [`${ops}{${chatLabels("trickle")}}`]: counter([[0.25, 40]]),
        [`${ops}{${chatLabels("trickle")},error_type="429"}`]: counter([[0.25, 40]]),
        [`agentwatch_model_fallbacks_total{agent="calm",from_model="gpt-4o",to_model="gpt-4o-mini",error_type="500"}`]: counter([[1, 40]]),
      },
      alerts: [
        { at: "8m", alert: "AgentProviderThrottled", fires: [], quiet: "pending: loud above 10% since 1m, for 7 of the 10 minutes" },
        {
          at: "30m",
          alert: "AgentProviderThrottled",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", provider: "openai" },
              description:
                "loud on openai: 16.67% of calls were rate limited (HTTP 429) over the last 10m (threshold 10%, at least 10 calls). Retries hide it from the run error rate: see agentwatch_model_retries_total.",
            },
          ],
          quiet: "calm has 7.7% of calls rate limited (its 500s are not throttling); trickle 50% of only 5 calls in 10m",
        },
      ],
      exprs: [
        {
          at: "30m",
          // calm's 1/13 is not exact in floating point: it is checked by the alert staying quiet.
          expr: 'agent_provider:gen_ai_client_operations_throttled_per_operations:ratio_rate10m{agent!="calm"}',
          samples: [
            {
              labels: 'agent_provider:gen_ai_client_operations_throttled_per_operations:ratio_rate10m{agent="loud",provider="openai"}',
              value: 2 / 12,
            },
            {
              labels: 'agent_provider:gen_ai_client_operations_throttled_per_operations:ratio_rate10m{agent="trickle",provider="openai"}',
              value: 0.5,
            },
          ],
        },
        {
          at: "30m",
          expr: "agent_provider:agentwatch_model_retries:rate5m",
          samples: [
            { labels: 'agent_provider:agentwatch_model_retries:rate5m{agent="loud",error_type="429",provider="openai"}', value: 2 / 60 },
          ],
        },
        {
          at: "30m",
          expr: "agent_provider:agentwatch_model_retries_per_operations:ratio_rate5m",
          samples: [
            { labels: 'agent_provider:agentwatch_model_retries_per_operations:ratio_rate5m{agent="calm",provider="openai"}', value: 0 },
            {
              labels: 'agent_provider:agentwatch_model_retries_per_operations:ratio_rate5m{agent="loud",provider="openai"}',
              value: 2 / 12,
            },
            { labels: 'agent_provider:agentwatch_model_retries_per_operations:ratio_rate5m{agent="trickle",provider="openai"}', value: 0 },
          ],
        },
        {
          at: "30m",
          expr: "agent:agentwatch_model_fallbacks:rate5m",
          samples: [
            {
              labels: 'agent:agentwatch_model_fallbacks:rate5m{agent="calm",error_type="500",from_model="gpt-4o",to_model="gpt-4o-mini"}',
              value: 1 / 60,
            },
          ],
        },
      ],
    },
  ],
  long: [],
};
