/**
 * Quality alerts: tool loops, run guards, prompt and model changes, retrieval (short); guardrails,
 * evaluation scores, user feedback and response length against their 7-day baselines (long).
 */
import { after, baselineAvg, constant, counter, histogram, WEEK_15M, weekThen } from "./series.js";
import type { AreaTests } from "./types.js";

export const qualityTests: AreaTests = {
  short: [
    {
      name: "AgentHarmfulOutputBlocked: any output-stage block in 10 minutes pages, whatever the ratio",
      interval: "1m",
      series: {
        // One harmful answer among thousands of checks, in a series first seen inside the window.
        'agentwatch_guardrail_checks_total{guardrail="harmful_content",stage="output",outcome="pass"}': counter([[100, 30]]),
        'agentwatch_guardrail_checks_total{guardrail="harmful_content",stage="output",outcome="block"}': after(15, constant(1, 15)),
        // A leaked secret in an answer: an existing series that rises by 3.
        'agentwatch_guardrail_checks_total{guardrail="pii",stage="output",outcome="block"}': `${constant(0, 14)} ${constant(3, 15)}`,
        // Blocked once 3 minutes in, none since.
        'agentwatch_guardrail_checks_total{guardrail="moderation",stage="output",outcome="block"}': `${constant(0, 2)} ${constant(1, 27)}`,
        // Flags at the output stage and blocks at the input stage never page.
        'agentwatch_guardrail_checks_total{guardrail="toxicity",stage="output",outcome="flag"}': counter([[2, 30]]),
        'agentwatch_guardrail_checks_total{guardrail="prompt_injection",stage="input",outcome="block"}': counter([[5, 30]]),
      },
      alerts: [
        { at: "14m", alert: "AgentHarmfulOutputBlocked", fires: [], quiet: "nothing blocked at the output stage in the last 10 minutes" },
        {
          at: "20m",
          alert: "AgentHarmfulOutputBlocked",
          fires: [
            {
              labels: { severity: "critical", guardrail: "harmful_content", stage: "output" },
              description:
                "Guardrail harmful_content blocked 1 answer(s) at the output stage in the last 10m: the model produced content that must never reach a user; find what made it and whether any got past.",
            },
            {
              labels: { severity: "critical", guardrail: "pii", stage: "output" },
              description:
                "Guardrail pii blocked 3 answer(s) at the output stage in the last 10m: the model produced content that must never reach a user; find what made it and whether any got past.",
            },
          ],
          quiet: "moderation's block is 17 minutes old; toxicity only flags; prompt_injection blocks input",
        },
      ],
    },
    {
      name: "AgentToolLoop: 3 or more repeated tool calls in 10 minutes",
      interval: "1m",
      series: {
        'agentwatch_tool_repeats_total{agent="loud",tool="lookup_order"}': counter([[1, 30]]),
        'agentwatch_tool_repeats_total{agent="calm",tool="refund_policy"}': `${constant(0, 10)} ${constant(2, 19)}`,
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentToolLoop",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", tool: "lookup_order" },
              description: "loud: 10 repeated calls of tool lookup_order (same arguments, same run) in the last 10m.",
            },
          ],
          quiet: "calm repeated refund_policy twice",
        },
      ],
    },
    {
      name: "AgentRunGuardTripped: any guard trip in 10 minutes",
      interval: "1m",
      series: {
        'agentwatch_guard_trips_total{agent="loud",guard="maxCostUsd"}': after(5, counter([[1, 25]], 1)),
        'agentwatch_guard_trips_total{agent="calm",guard="maxTokens"}': constant(4, 30),
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentRunGuardTripped",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", guard: "maxCostUsd" },
              description: "loud: the maxCostUsd guard tripped in 10 runs in the last 10m.",
            },
          ],
          quiet: "calm's trips are older than 10 minutes",
        },
      ],
    },
    {
      name: "AgentPromptVersionsLive: two versions of one prompt for 30 minutes",
      interval: "1m",
      series: {
        'agentwatch_prompt_info{prompt="support",version="v1",hash="aaaaaaaaaaaa",instance="a"}': constant(1, 60),
        'agentwatch_prompt_info{prompt="support",version="v2",hash="bbbbbbbbbbbb",instance="b"}': after(20, constant(1, 40)),
        'agentwatch_prompt_info{prompt="faq",version="v1",hash="cccccccccccc",instance="a"}': constant(1, 60),
        'agentwatch_prompt_info{prompt="faq",version="v1",hash="cccccccccccc",instance="b"}': constant(1, 60),
      },
      alerts: [
        { at: "45m", alert: "AgentPromptVersionsLive", fires: [], quiet: "pending: both versions live for 25 minutes" },
        {
          at: "55m",
          alert: "AgentPromptVersionsLive",
          fires: [
            {
              labels: { severity: "info", prompt: "support" },
              description:
                "Prompt support: 2 versions in use within the last 15 minutes (a rollout in progress, or one that did not finish).",
            },
          ],
          quiet: "faq runs one version on two replicas",
        },
      ],
    },
    {
      name: "AgentPromptHashChanged: two templates under one version at once, or a new template after a restart",
      interval: "1m",
      series: {
        'agentwatch_prompt_info{prompt="support",version="v1",hash="aaaaaaaaaaaa"}': constant(1, 160),
        'agentwatch_prompt_info{prompt="support",version="v1",hash="bbbbbbbbbbbb"}': after(20, constant(1, 140)),
        'agentwatch_prompt_info{prompt="faq",version="v3",hash="cccccccccccc"}': `${constant(1, 120)} stale`,
        'agentwatch_prompt_info{prompt="faq",version="v3",hash="dddddddddddd"}': after(122, constant(1, 38)),
        'agentwatch_prompt_info{prompt="stable",version="v1",hash="eeeeeeeeeeee"}': constant(1, 160),
        'agentwatch_prompt_info{prompt="brand-new",version="v1",hash="ffffffffffff"}': after(130, constant(1, 30)),
      },
      alerts: [
        {
          at: "150m",
          alert: "AgentPromptHashChanged",
          fires: [
            {
              labels: { severity: "warning", prompt: "faq", version: "v3" },
              description:
                "Prompt faq version v3: 1 template hash(es) new or live side by side under one version label: the template was edited without a version bump.",
            },
            {
              labels: { severity: "warning", prompt: "support", version: "v1" },
              description:
                "Prompt support version v1: 2 template hash(es) new or live side by side under one version label: the template was edited without a version bump.",
            },
          ],
          quiet: "stable keeps its template; brand-new is a new prompt, not a changed one",
        },
      ],
    },
    {
      name: "AgentModelFingerprintChanged: a known requested model answered by a new snapshot",
      interval: "1m",
      series: {
        'agentwatch_model_responses_total{provider="openai",request_model="gpt-4o",response_model="gpt-4o-2024-08-06",fingerprint="fp_a"}':
          counter([[10, 210]]),
        'agentwatch_model_responses_total{provider="openai",request_model="gpt-4o",response_model="gpt-4o-2024-11-20",fingerprint="fp_b"}':
          after(120, counter([[10, 90]], 1)),
        'agentwatch_model_responses_total{provider="anthropic",request_model="claude-x",response_model="claude-x-1",fingerprint=""}': after(
          120,
          counter([[10, 90]], 1),
        ),
      },
      alerts: [
        {
          at: "150m",
          alert: "AgentModelFingerprintChanged",
          fires: [
            {
              labels: {
                severity: "warning",
                provider: "openai",
                request_model: "gpt-4o",
                response_model: "gpt-4o-2024-11-20",
                fingerprint: "fp_b",
              },
              description: "openai/gpt-4o is now answered by gpt-4o-2024-11-20 with fingerprint fp_b, not seen in the 1d before.",
            },
          ],
          quiet: "claude-x is a newly used model, not a changed one; the old gpt-4o snapshot is known",
        },
        {
          at: "200m",
          alert: "AgentModelFingerprintChanged",
          fires: [],
          quiet: "80 minutes later the new snapshot is known (seen before the last hour)",
        },
      ],
    },
    {
      name: "AgentRetrievalNoDocuments: more than 20% of retrievals return nothing",
      interval: "1m",
      series: {
        ...histogram("agentwatch_retrieval_documents", 'agent="loud",gen_ai_data_source_id="kb"', [
          { steps: 40, perStep: { "0": 3, "3": 10, "+Inf": 10 } },
        ]),
        ...histogram("agentwatch_retrieval_documents", 'agent="calm",gen_ai_data_source_id="kb"', [
          { steps: 40, perStep: { "0": 1.5, "3": 10, "+Inf": 10 } },
        ]),
        ...histogram("agentwatch_retrieval_documents", 'agent="sparse",gen_ai_data_source_id="kb"', [
          { steps: 40, perStep: { "0": 0.5, "3": 0.5, "+Inf": 0.5 } },
        ]),
      },
      alerts: [
        {
          at: "40m",
          alert: "AgentRetrievalNoDocuments",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", data_source: "kb" },
              description: "loud: 30% of retrievals from kb returned no document over the last 15m.",
            },
          ],
          quiet: "calm is at 15%; sparse returns nothing but made only 7.5 retrievals in 15 minutes",
        },
      ],
    },
    {
      name: "AgentRetrievalLowScore: most retrievals' best document scores 0.2 or less",
      interval: "1m",
      series: {
        ...histogram("agentwatch_retrieval_top_score", 'agent="loud",gen_ai_data_source_id="kb"', [
          { steps: 40, perStep: { "0.1": 3, "0.2": 6, "1": 10, "+Inf": 10 } },
        ]),
        ...histogram("agentwatch_retrieval_top_score", 'agent="calm",gen_ai_data_source_id="kb"', [
          { steps: 40, perStep: { "0.1": 3, "0.2": 4.5, "1": 10, "+Inf": 10 } },
        ]),
      },
      alerts: [
        {
          at: "40m",
          alert: "AgentRetrievalLowScore",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", data_source: "kb" },
              description: "loud: in 60% of retrievals from kb the best document scored 0.2 or less over the last 15m.",
            },
          ],
          quiet: "calm is at 45%",
        },
      ],
    },
    {
      name: "AgentInputDrift / AgentOutputDrift: every replica's drift p-value under 0.01 for 15 minutes",
      interval: "1m",
      series: {
        'agentwatch_drift_p_value{instance="a",agent="loud",signal="query_embedding"}': constant(0.001, 30),
        'agentwatch_drift_p_value{instance="b",agent="loud",signal="query_embedding"}': constant(0.004, 30),
        // one replica sees drift, the other does not: not yet drift of the agent
        'agentwatch_drift_p_value{instance="a",agent="calm",signal="query_embedding"}': constant(0.001, 30),
        'agentwatch_drift_p_value{instance="b",agent="calm",signal="query_embedding"}': constant(0.5, 30),
        // under the level for the last 8 minutes only
        'agentwatch_drift_p_value{instance="a",agent="brief",signal="query_embedding"}': `${constant(0.5, 20)} ${constant(0.001, 10)}`,
        'agentwatch_drift_p_value{instance="a",agent="loud",signal="answer_length"}': constant(0.0001, 30),
        'agentwatch_drift_p_value{instance="a",agent="loud",signal="refusal"}': constant(0.3, 30),
        'agentwatch_drift_p_value{instance="a",agent="calm",signal="output_tokens"}': constant(0.02, 30),
      },
      alerts: [
        {
          at: "29m",
          alert: "AgentInputDrift",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", signal: "query_embedding" },
              description:
                "loud: the query embeddings of the current window differ from the reference (MMD permutation p-value 0.0040 < 0.01).",
            },
          ],
          quiet: "calm: one replica only; brief: for 8m only",
        },
        {
          at: "29m",
          alert: "AgentOutputDrift",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", signal: "answer_length" },
              description: "loud: answer_length of the current window differs from the reference (p-value 0.0001 < 0.01).",
            },
          ],
          quiet: "loud's refusal share p = 0.3, calm's output tokens p = 0.02",
        },
      ],
    },
  ],
  long: [
    {
      name: "AgentGuardrailBlockRatioHigh: block ratio above 15% and more than 3x its 7-day average",
      interval: "5m",
      series: {
        'agentwatch_guardrail_checks_total{guardrail="prompt_injection",stage="input",outcome="pass"}': counter([
          [32, 3 * WEEK_15M],
          [20, 24],
        ]),
        'agentwatch_guardrail_checks_total{guardrail="prompt_injection",stage="input",outcome="block"}': counter([
          [4 / 3, 3 * WEEK_15M],
          [40 / 3, 24],
        ]),
        'agentwatch_guardrail_checks_total{guardrail="pii",stage="input",outcome="pass"}': counter([
          [32, 3 * WEEK_15M],
          [89 / 3, 24],
        ]),
        'agentwatch_guardrail_checks_total{guardrail="pii",stage="input",outcome="block"}': counter([
          [4 / 3, 3 * WEEK_15M],
          [11 / 3, 24],
        ]),
        'agentwatch_guardrail_checks_total{guardrail="toxicity",stage="output",outcome="pass"}': counter([
          [30, 3 * WEEK_15M],
          [25, 24],
        ]),
        'agentwatch_guardrail_checks_total{guardrail="toxicity",stage="output",outcome="block"}': counter([
          [10 / 3, 3 * WEEK_15M],
          [25 / 3, 24],
        ]),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentGuardrailBlockRatioHigh",
          fires: [
            {
              labels: { severity: "warning", guardrail: "prompt_injection", stage: "input" },
              description:
                "Guardrail prompt_injection (input) blocked 40% of checks over the last 15m: above 15% and more than 3x its 7d average.",
            },
          ],
          quiet: "pii rose from 4% to 11% (under the floor); toxicity from 10% to 25% (under 3x)",
        },
      ],
    },
    {
      name: "AgentEvalScoreDrop: mean score more than 10% under its 7-day average, with enough evaluations",
      interval: "15m",
      series: {
        'agentwatch_eval_score_count{evaluator="relevance",agent="loud",prompt_version="v1"}': weekThen(20, 20),
        'agentwatch_eval_score_sum{evaluator="relevance",agent="loud",prompt_version="v1"}': weekThen(16, 13),
        'agentwatch_eval_score_count{evaluator="relevance",agent="calm",prompt_version="v1"}': weekThen(20, 20),
        'agentwatch_eval_score_sum{evaluator="relevance",agent="calm",prompt_version="v1"}': weekThen(16, 14.8),
        'agentwatch_eval_score_count{evaluator="relevance",agent="sparse",prompt_version="v1"}': weekThen(0.5, 0.5),
        'agentwatch_eval_score_sum{evaluator="relevance",agent="sparse",prompt_version="v1"}': weekThen(0.4, 0.25),
        // Two criteria scored from code: accuracy drops, tone holds; merged they would drop only 9.4%.
        'agentwatch_eval_score_count{evaluator="code",name="accuracy",agent="coded",prompt_version="v1"}': weekThen(20, 20),
        'agentwatch_eval_score_sum{evaluator="code",name="accuracy",agent="coded",prompt_version="v1"}': weekThen(16, 13),
        'agentwatch_eval_score_count{evaluator="code",name="tone",agent="coded",prompt_version="v1"}': weekThen(20, 20),
        'agentwatch_eval_score_sum{evaluator="code",name="tone",agent="coded",prompt_version="v1"}': weekThen(16, 16),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentEvalScoreDrop",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", evaluator: "relevance" },
              description: "loud: mean relevance score is 0.65 over the last 1h, more than 10% below its 7d average.",
            },
            {
              labels: { severity: "warning", agent: "coded", evaluator: "code", name: "accuracy" },
              description: "coded: mean code (accuracy) score is 0.65 over the last 1h, more than 10% below its 7d average.",
            },
          ],
          quiet: "calm dropped 7.5%; sparse dropped 37.5% on 2 evaluations an hour; coded's tone held",
        },
      ],
    },
    {
      name: "AgentNegativeFeedbackHigh: negative share above 20% and twice its 7-day average, with enough feedback",
      interval: "15m",
      series: {
        'agentwatch_user_feedback_total{agent="loud",rating="positive",prompt_version="v1"}': weekThen(19, 12),
        'agentwatch_user_feedback_total{agent="loud",rating="negative",prompt_version="v1"}': weekThen(1, 8),
        'agentwatch_user_feedback_total{agent="calm",rating="positive",prompt_version="v1"}': weekThen(19, 16.4),
        'agentwatch_user_feedback_total{agent="calm",rating="negative",prompt_version="v1"}': weekThen(1, 3.6),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentNegativeFeedbackHigh",
          fires: [
            {
              labels: { severity: "warning", agent: "loud" },
              description: "loud: 40% of user feedback was negative over the last 1h, more than 2x its 7d average.",
            },
          ],
          quiet: "calm rose to 18%, under the 20% floor",
        },
      ],
    },
    {
      name: "AgentResponseLengthShift: mean answer length under 2/3 or over 1.5 times its 7-day average",
      interval: "15m",
      series: {
        'agentwatch_response_length_chars_count{agent="loud",model="gpt-4o"}': weekThen(30, 30),
        'agentwatch_response_length_chars_sum{agent="loud",model="gpt-4o"}': weekThen(12000, 4500),
        'agentwatch_response_length_chars_count{agent="verbose",model="gpt-4o"}': weekThen(30, 30),
        'agentwatch_response_length_chars_sum{agent="verbose",model="gpt-4o"}': weekThen(12000, 21000),
        'agentwatch_response_length_chars_count{agent="calm",model="gpt-4o"}': weekThen(30, 30),
        'agentwatch_response_length_chars_sum{agent="calm",model="gpt-4o"}': weekThen(12000, 9000),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentResponseLengthShift",
          fires: [
            {
              labels: { severity: "info", agent: "loud", model: "gpt-4o" },
              description: `loud on gpt-4o: mean response length over the last 1h is ${(150 / baselineAvg(400, 150)).toFixed(2)} times its 7d average.`,
            },
            {
              labels: { severity: "info", agent: "verbose", model: "gpt-4o" },
              description: `verbose on gpt-4o: mean response length over the last 1h is ${(700 / baselineAvg(400, 700)).toFixed(2)} times its 7d average.`,
            },
          ],
          quiet: "calm's answers are 0.75 times as long",
        },
      ],
    },
  ],
};
