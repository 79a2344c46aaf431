/** Symptom alerts (error rate, p99 latency, p95 time to first token, p99 time between tokens) and the ratio guards of the recording rules. */
import { chatLabels, constant, counter, genAi, histogram } from "./series.js";
import type { AreaTests } from "./types.js";

export const symptomTests: AreaTests = {
  short: [
    {
      name: "AgentErrorRateHigh: above 5% of runs failing for 5m",
      interval: "1m",
      series: {
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("loud")}}`]: counter([[60, 30]]),
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("loud", ',error_type="500"')}}`]: counter([[6, 30]]),
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("calm")}}`]: counter([[60, 30]]),
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("calm", ',error_type="429"')}}`]: counter([[3, 30]]),
      },
      alerts: [
        { at: "5m", alert: "AgentErrorRateHigh", fires: [], quiet: "pending: above 5% since 1m, for 4 of the 5 minutes" },
        {
          at: "20m",
          alert: "AgentErrorRateHigh",
          fires: [
            {
              labels: { severity: "critical", agent: "loud" },
              description: "loud: 9.091% of agent runs failed over the last 5m (threshold 5%).",
            },
          ],
          quiet: "calm fails 4.762% of runs",
        },
      ],
      exprs: [
        {
          at: "20m",
          expr: "agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m",
          samples: [
            { labels: 'agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m{agent="calm"}', value: 3 / 63 },
            { labels: 'agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m{agent="loud"}', value: 6 / 66 },
          ],
        },
      ],
    },
    {
      name: "Recording rules: 0 where a ratio's numerator has no series, nothing where its denominator is 0",
      interval: "1m",
      series: {
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("healthy")}}`]: counter([[10, 20]]),
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("idle")}}`]: constant(5, 20),
        [`gen_ai_invoke_agent_duration_seconds_count{${genAi("idle", ',error_type="500"')}}`]: constant(1, 20),
      },
      alerts: [],
      exprs: [
        {
          at: "20m",
          expr: "agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m",
          samples: [{ labels: 'agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate5m{agent="healthy"}', value: 0 }],
        },
        {
          at: "20m",
          expr: "agent:slo_availability_errors:ratio_rate5m",
          samples: [{ labels: 'agent:slo_availability_errors:ratio_rate5m{agent="healthy"}', value: 0 }],
        },
      ],
    },
    {
      name: "AgentLatencyP99High: p99 of successful runs above 6.4s for 5m",
      interval: "1m",
      series: {
        ...histogram("gen_ai_invoke_agent_duration_seconds", genAi("loud"), [
          { steps: 30, perStep: { "3.2": 95, "6.4": 98, "12.8": 100, "+Inf": 100 } },
        ]),
        ...histogram("gen_ai_invoke_agent_duration_seconds", genAi("calm"), [
          { steps: 30, perStep: { "3.2": 95, "6.4": 99.2, "12.8": 100, "+Inf": 100 } },
        ]),
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentLatencyP99High",
          fires: [
            {
              labels: { severity: "warning", agent: "loud" },
              description: "loud: p99 of successful agent runs is 9.6s over the last 5m (threshold 6.4s).",
            },
          ],
          quiet: "calm has 0.8% of runs above 6.4s",
        },
      ],
    },
    {
      name: "AgentTTFTP95High: p95 time to first token above 2.56s for 5m",
      interval: "1m",
      series: {
        ...histogram("gen_ai_client_operation_time_to_first_chunk_seconds", chatLabels("loud"), [
          { steps: 30, perStep: { "1.28": 90, "2.56": 94, "5.12": 100, "+Inf": 100 } },
        ]),
        ...histogram("gen_ai_client_operation_time_to_first_chunk_seconds", chatLabels("calm"), [
          { steps: 30, perStep: { "1.28": 90, "2.56": 95.2, "5.12": 100, "+Inf": 100 } },
        ]),
      },
      alerts: [
        { at: "5m", alert: "AgentTTFTP95High", fires: [], quiet: "pending: above 2.56s since 1m, for 4 of the 5 minutes" },
        {
          at: "20m",
          alert: "AgentTTFTP95High",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", provider: "openai", model: "gpt-4o" },
              description: "loud on openai/gpt-4o: p95 time to first token is 2.987s over the last 5m (threshold 2.56s).",
            },
          ],
          quiet: "calm has 4.8% of first tokens above 2.56s",
        },
      ],
    },
    {
      name: "AgentTimeBetweenTokensHigh: p99 time between streamed chunks above 1.28s for 5m, with at least 100 chunks",
      interval: "1m",
      series: {
        // 2 % of the gaps stall (1.28-2.56 s): p99 = 1.28 + (99 - 98) / 2 × 1.28 = 1.92 s.
        ...histogram("gen_ai_client_operation_time_per_output_chunk_seconds", chatLabels("loud"), [
          { steps: 30, perStep: { "0.04": 90, "0.08": 97, "1.28": 98, "2.56": 100, "+Inf": 100 } },
        ]),
        // 0.8 % stall: p99 stays in the 0.08-1.28 s bucket.
        ...histogram("gen_ai_client_operation_time_per_output_chunk_seconds", chatLabels("calm"), [
          { steps: 30, perStep: { "0.04": 90, "0.08": 97, "1.28": 99.2, "2.56": 100, "+Inf": 100 } },
        ]),
        // Quiet traffic: 10 % of the gaps stall, but only 10 chunks a minute (50 in 5m, under 100).
        ...histogram("gen_ai_client_operation_time_per_output_chunk_seconds", chatLabels("sparse"), [
          { steps: 30, perStep: { "0.04": 8, "0.08": 9, "1.28": 9, "2.56": 10, "+Inf": 10 } },
        ]),
      },
      alerts: [
        {
          at: "5m",
          alert: "AgentTimeBetweenTokensHigh",
          fires: [],
          quiet: "pending: above 1.28s since 1m, for 4 of the 5 minutes",
        },
        {
          at: "20m",
          alert: "AgentTimeBetweenTokensHigh",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", provider: "openai", model: "gpt-4o" },
              description:
                "loud on openai/gpt-4o: p99 time between streamed chunks is 1.92s over the last 5m (threshold 1.28s, at least 100 chunks).",
            },
          ],
          quiet: "calm has 0.8% of chunk gaps above 1.28s; sparse stalls more but streamed only 50 chunks in 5m",
        },
      ],
      exprs: [
        {
          // sparse's p99 is above the threshold (about 2.43 s): only its chunk count keeps it quiet.
          at: "20m",
          expr: 'agent_model:gen_ai_client_operation_time_per_output_chunk_seconds:p99_rate5m{agent="sparse"} > bool 1.28',
          samples: [{ labels: '{agent="sparse",model="gpt-4o",provider="openai"}', value: 1 }],
        },
      ],
    },
  ],
  long: [],
};
