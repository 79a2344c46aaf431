/**
 * promtool unit tests of the generated rules (`promtool test rules prometheus/tests/*.yml`): for
 * every alert, input series where it fires, with its labels and annotations asserted, next to
 * series just on the quiet side of its threshold, window or `for` (promtool's expected alerts are
 * exact, so any extra alert fails the test). Long windows (7 d baselines, the 3 d burn window) are
 * in the file evaluated every hour, with samples every 15 or 5 minutes.
 */
import { SEVERITY, type Severity } from "./config.js";
import { num } from "./promql.js";
import type { AlertRule, Rules } from "./rules/index.js";

/** One alert expected to fire: its labels (with `severity` and the rule's own labels) and its rendered description. */
export interface Expectation {
  labels: Record<string, string> & { severity: Severity };
  description: string;
}

/** The alerts named `alert` that fire at `at`: exactly `fires` (none is a check that it stays quiet). */
export interface AlertCheck {
  at: string;
  alert: string;
  fires: Expectation[];
  /** Which nearby series stay quiet, and why. */
  quiet: string;
}

export interface ExprCheck {
  at: string;
  expr: string;
  samples: { labels: string; value: number }[];
}

export interface RuleTestGroup {
  name: string;
  /** Time between input samples. */
  interval: string;
  /** Series selector → promtool expanding notation. */
  series: Record<string, string>;
  alerts: AlertCheck[];
  exprs?: ExprCheck[];
}

export interface RuleTestFile {
  /** File name under prometheus/tests/. */
  file: string;
  evaluationInterval: string;
  groups: RuleTestGroup[];
}

// ------------------------------------------------------------------ series helpers

/**
 * A counter: starts at `start`, then for each [increment, steps] segment rises by `increment` per
 * sample for `steps` samples. Samples: 1 + the sum of the steps.
 */
export function counter(segments: [number, number][], start = 0): string {
  let v = start;
  return segments
    .map(([inc, steps], i) => {
      if (i === 0) {
        const part = `${num(v)}+${num(inc)}x${steps}`;
        v += inc * steps;
        return part;
      }
      v += inc;
      const part = `${num(v)}+${num(inc)}x${steps - 1}`;
      v += inc * (steps - 1);
      return part;
    })
    .join(" ");
}

/** `n` missing samples, then `rest`. */
const after = (n: number, rest: string) => `_x${n} ${rest}`;
/** `value` for 1 + `steps` samples. */
const constant = (value: number, steps: number) => `${num(value)}x${steps}`;

/** Histogram series of `name` with `labels`: per step, `perStep[le]` observations at or below each bound (ascending, last is the total). */
function histogram(
  name: string,
  labels: string,
  segments: { steps: number; perStep: Record<string, number> }[],
  sumPerStep?: number[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const bounds = Object.keys(segments[0]?.perStep ?? {});
  for (const bound of bounds) {
    out[`${name}_bucket{${labels},le="${bound}"}`] = counter(segments.map((s) => [s.perStep[bound] ?? 0, s.steps]));
  }
  out[`${name}_count{${labels}}`] = counter(segments.map((s) => [s.perStep["+Inf"] ?? 0, s.steps]));
  if (sumPerStep) out[`${name}_sum{${labels}}`] = counter(segments.map((s, i) => [sumPerStep[i] ?? 0, s.steps]));
  return out;
}

const genAi = (agent: string, extra = "") => `gen_ai_agent_name="${agent}"${extra}`;
const chatLabels = (agent: string, model = "gpt-4o") =>
  `gen_ai_agent_name="${agent}",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="${model}"`;

const WEEK_15M = 672; // 7 days of 15-minute samples

/**
 * The 7-day baseline at 170h of a value recorded hourly that was `base` for a week and `then`
 * from 169h: the window [1h, 169h] (offset 1h) holds 168 hourly values of `base` and one of `then`.
 */
const baselineAvg = (base: number, then: number) => (168 * base + then) / 169;

// ------------------------------------------------------------------ SLO cases

type SloName = "availability" | "latency" | "ttft";
const SLO_ALERT: Record<SloName, string> = {
  availability: "AgentAvailabilityBudgetBurn",
  latency: "AgentLatencyBudgetBurn",
  ttft: "AgentTTFTBudgetBurn",
};
const BURNS = {
  fast: { severity: SEVERITY.critical, long: "1h", short: "5m", rate: "14.4" },
  medium: { severity: SEVERITY.critical, long: "6h", short: "30m", rate: "6" },
  slow: { severity: SEVERITY.warning, long: "3d", short: "6h", rate: "1" },
} as const;
const SLO_TEXT: Record<SloName, { what: string; budget: string }> = {
  availability: { what: "agent runs failed", budget: "0.5" },
  latency: { what: "successful agent runs took longer than 6.4s", budget: "1" },
  ttft: { what: "streamed model calls waited longer than 2.56s for their first token", budget: "1" },
};

function burnExpectation(slo: SloName, burn: keyof typeof BURNS, agent: string, percent: string): Expectation {
  const b = BURNS[burn];
  return {
    labels: { severity: b.severity, agent, slo, long_window: b.long, short_window: b.short },
    description:
      `${agent}: ${percent}% of ${SLO_TEXT[slo].what} over the last ${b.long} (and over ${b.short}), ` +
      `against an SLO budget of ${SLO_TEXT[slo].budget}% over 30d: the error budget burns at ${b.rate}x or faster.`,
  };
}

/** Series where `badShare` of 100 events per step are bad for `slo`, for `agent`. */
function sloSeries(slo: SloName, agent: string, badShare: number, steps: number): Record<string, string> {
  const bad = 100 * badShare;
  if (slo === "availability") {
    return {
      [`gen_ai_invoke_agent_duration_seconds_count{${genAi(agent)}}`]: counter([[100 - bad, steps]]),
      [`gen_ai_invoke_agent_duration_seconds_count{${genAi(agent, ',error_type="500"')}}`]: counter([[bad, steps]]),
    };
  }
  if (slo === "latency") {
    return histogram("gen_ai_invoke_agent_duration_seconds", genAi(agent), [
      { steps, perStep: { "3.2": 100 - bad, "6.4": 100 - bad, "12.8": 100, "+Inf": 100 } },
    ]);
  }
  return histogram("gen_ai_client_operation_time_to_first_chunk_seconds", chatLabels(agent), [
    { steps, perStep: { "1.28": 100 - bad, "2.56": 100 - bad, "5.12": 100, "+Inf": 100 } },
  ]);
}

/** Fast burn: 20 % (or 10 % for availability) bad pages on every window; just under the 14.4x rate only the 6x page and the ticket fire. */
function fastBurnGroup(slo: SloName): RuleTestGroup {
  const [loud, calm] = slo === "availability" ? [0.1, 0.07] : [0.2, 0.14];
  const pct = (x: number) => num(x * 100);
  return {
    name: `${SLO_ALERT[slo]}: a fast burn pages on the 1h/5m windows; just under 14.4x it does not`,
    interval: "1m",
    series: { ...sloSeries(slo, "loud", loud, 90), ...sloSeries(slo, "calm", calm, 90) },
    alerts: [
      { at: "1m", alert: SLO_ALERT[slo], fires: [], quiet: "nothing fires before the `for` of any window has passed" },
      {
        at: "80m",
        alert: SLO_ALERT[slo],
        fires: [
          burnExpectation(slo, "fast", "loud", pct(loud)),
          burnExpectation(slo, "medium", "loud", pct(loud)),
          burnExpectation(slo, "slow", "loud", pct(loud)),
          burnExpectation(slo, "medium", "calm", pct(calm)),
          burnExpectation(slo, "slow", "calm", pct(calm)),
        ],
        quiet: `calm (${pct(calm)}% bad) stays under the 14.4x page`,
      },
    ],
  };
}

/** Slow burns over 4 days: a leak tickets (3d/6h), a medium burn also pages (6h/30m), a rate inside the budget is quiet. */
function slowBurnGroup(slo: SloName): RuleTestGroup {
  const [leak, medium, fine] = slo === "availability" ? [0.0075, 0.04, 0.004] : [0.015, 0.08, 0.008];
  const steps = 4 * 96; // 4 days of 15-minute samples
  const pct = (x: number) => num(x * 100);
  return {
    name: `${SLO_ALERT[slo]}: 3-day and 6-hour windows (ticket), 6-hour and 30-minute windows (page)`,
    interval: "15m",
    series: { ...sloSeries(slo, "leak", leak, steps), ...sloSeries(slo, "medium", medium, steps), ...sloSeries(slo, "fine", fine, steps) },
    alerts: [
      {
        at: "96h",
        alert: SLO_ALERT[slo],
        fires: [
          burnExpectation(slo, "slow", "leak", pct(leak)),
          burnExpectation(slo, "medium", "medium", pct(medium)),
          burnExpectation(slo, "slow", "medium", pct(medium)),
        ],
        quiet: `fine (${pct(fine)}% bad) spends less than its budget; leak is under the 6x page; medium is under the 14.4x page`,
      },
    ],
  };
}

// ------------------------------------------------------------------ the files

const short: RuleTestGroup[] = [
  fastBurnGroup("availability"),
  fastBurnGroup("latency"),
  fastBurnGroup("ttft"),
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
    name: "AgentRunawaySpend: more than 5 USD in 10 minutes",
    interval: "1m",
    series: {
      'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': counter([[0.6, 30]]),
      'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="orders"}': counter([[0.45, 30]]),
    },
    alerts: [
      {
        at: "20m",
        alert: "AgentRunawaySpend",
        fires: [{ labels: { severity: "critical", agent: "loud" }, description: "loud spent 6.00 USD in the last 10m (limit 5 USD)." }],
        quiet: "calm spent 4.5 USD in 10 minutes",
      },
    ],
  },
  {
    name: "AgentUnpricedModel: calls of models with no price, including a model first seen inside the window",
    interval: "1m",
    series: {
      'agentwatch_unpriced_calls_total{provider="acme",model="mystery-1"}': counter([[1, 90]]),
      'agentwatch_unpriced_calls_total{provider="acme",model="brand-new"}': after(61, constant(3, 29)),
      'agentwatch_unpriced_calls_total{provider="acme",model="old-1"}': constant(5, 90),
    },
    alerts: [
      {
        at: "90m",
        alert: "AgentUnpricedModel",
        fires: [
          {
            labels: { severity: "warning", provider: "acme", model: "brand-new" },
            description: "acme/brand-new: 3 calls in the last 1h had no price; add the model to the handler's prices.",
          },
          {
            labels: { severity: "warning", provider: "acme", model: "mystery-1" },
            description: "acme/mystery-1: 60 calls in the last 1h had no price; add the model to the handler's prices.",
          },
        ],
        quiet: "old-1 had unpriced calls more than an hour ago and none since",
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
    name: "AgentWatchHandlerErrors: errors in agentwatch callbacks, including a counter that just appeared",
    interval: "1m",
    series: {
      'agentwatch_handler_errors_total{job="agentwatch",instance="a:3000",callback="handleLLMEnd"}': after(5, counter([[1, 25]], 1)),
      'agentwatch_handler_errors_total{job="agentwatch",instance="a:3000",callback="handleToolEnd"}': constant(2, 30),
      'agentwatch_handler_errors_total{job="agentwatch",instance="b:3000",callback="handleChainEnd"}': after(15, constant(2, 15)),
    },
    alerts: [
      {
        at: "20m",
        alert: "AgentWatchHandlerErrors",
        fires: [
          {
            labels: { severity: "warning", job: "agentwatch", instance: "a:3000", callback: "handleLLMEnd" },
            description: "a:3000: 10 errors in agentwatch callback handleLLMEnd in the last 10m.",
          },
          {
            labels: { severity: "warning", job: "agentwatch", instance: "b:3000", callback: "handleChainEnd" },
            description: "b:3000: 2 errors in agentwatch callback handleChainEnd in the last 10m.",
          },
        ],
        quiet: "handleToolEnd's errors are older than 10 minutes",
      },
    ],
  },
  {
    name: "AgentWatchRunsEvicted: runs evicted in the last 30 minutes",
    interval: "1m",
    series: {
      'agentwatch_runs_evicted_total{job="agentwatch",instance="a:3000"}': counter([
        [0, 10],
        [1, 30],
      ]),
      'agentwatch_runs_evicted_total{job="agentwatch",instance="b:3000"}': constant(0, 40),
    },
    alerts: [
      {
        at: "40m",
        alert: "AgentWatchRunsEvicted",
        fires: [
          {
            labels: { severity: "warning", job: "agentwatch", instance: "a:3000" },
            description: "a:3000: 30 runs were evicted in the last 30m (never ended within the run TTL, or over the open-run cap).",
          },
        ],
        quiet: "b evicted nothing",
      },
    ],
  },
  {
    name: "AgentWatchLabelOverflow: label values collapsed into other",
    interval: "1m",
    series: {
      'agentwatch_label_values_overflow_total{job="agentwatch",instance="a:3000",metric="agentwatch_cost_usd_total",label="feature"}':
        counter([[2, 40]]),
      'agentwatch_label_values_overflow_total{job="agentwatch",instance="a:3000",metric="agentwatch_node_duration_seconds",label="node"}':
        constant(7, 40),
    },
    alerts: [
      {
        at: "40m",
        alert: "AgentWatchLabelOverflow",
        fires: [
          {
            labels: { severity: "info", job: "agentwatch", instance: "a:3000", metric: "agentwatch_cost_usd_total", label: "feature" },
            description: 'a:3000: 60 values of label feature on agentwatch_cost_usd_total collapsed into "other" in the last 30m.',
          },
        ],
        quiet: "node overflowed more than 30 minutes ago",
      },
    ],
  },
  {
    name: "AgentWatchTargetDown: the agent's /metrics unreachable for 5 minutes",
    interval: "1m",
    series: {
      'up{job="agentwatch",instance="a:3000"}': `${constant(1, 5)} ${constant(0, 19)}`,
      'up{job="agentwatch",instance="b:3000"}': `${constant(1, 5)} ${constant(0, 2)} ${constant(1, 16)}`,
      'up{job="prometheus",instance="localhost:9090"}': constant(0, 25),
    },
    alerts: [
      {
        at: "25m",
        alert: "AgentWatchTargetDown",
        fires: [
          {
            labels: { severity: "critical", job: "agentwatch", instance: "a:3000" },
            description: "a:3000 (job agentwatch) has not answered Prometheus's scrapes for 5m: the agent is down or its /metrics fails.",
          },
        ],
        quiet: "b was down for 3 minutes; the prometheus job is not an agent",
      },
    ],
  },
  {
    name: "AgentWatchSpansDropped: spans dropped by a full span processor for 10 minutes; a short burst stays quiet",
    interval: "1m",
    series: {
      'agentwatch_spans_dropped_total{job="agentwatch",instance="a:3000"}': counter([
        [0, 10],
        [20, 30],
      ]),
      'agentwatch_spans_dropped_total{job="agentwatch",instance="b:3000"}': counter([
        [0, 10],
        [50, 3],
        [0, 27],
      ]),
      'agentwatch_spans_dropped_total{job="agentwatch",instance="c:3000"}': constant(0, 40),
    },
    alerts: [
      { at: "19m", alert: "AgentWatchSpansDropped", fires: [], quiet: "pending: a drops since 11m, for 8 of the 10 minutes" },
      {
        at: "40m",
        alert: "AgentWatchSpansDropped",
        fires: [
          {
            labels: { severity: "warning", job: "agentwatch", instance: "a:3000" },
            description:
              "a:3000: 100 spans dropped in the last 5m, and spans dropped in every 5m for 10m: queued and in-flight spans reached maxQueueSize (the exporter is slower than spans are made, or failing).",
          },
        ],
        quiet: "b dropped 150 spans in a 3-minute burst, long ago; c dropped none",
      },
    ],
  },
  {
    name: "AgentWatchSpanExportFailing (failing): most spans fail to export for 10 minutes, with the top reason",
    interval: "1m",
    series: {
      'agentwatch_spans_exported_total{job="agentwatch",instance="a:3000"}': counter([
        [100, 10],
        [10, 30],
      ]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="connection_refused"}': counter([
        [0, 10],
        [60, 30],
      ]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="timeout"}': counter([
        [0, 10],
        [30, 30],
      ]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="http_5xx"}': constant(0, 40),
      // b: 40 % of its spans fail, under the threshold.
      'agentwatch_spans_exported_total{job="agentwatch",instance="b:3000"}': counter([[60, 40]]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="http_5xx"}': counter([[40, 40]]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="timeout"}': constant(0, 40),
      // c: every export failed for 4 minutes (a collector restart), then recovered.
      'agentwatch_spans_exported_total{job="agentwatch",instance="c:3000"}': counter([
        [100, 30],
        [0, 4],
        [100, 6],
      ]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="c:3000",reason="connection_refused"}': counter([
        [0, 30],
        [100, 4],
        [0, 6],
      ]),
    },
    alerts: [
      {
        at: "19m",
        alert: "AgentWatchSpanExportFailing",
        fires: [],
        quiet: "pending: most of a's spans fail since 13m, for 6 of the 10 minutes",
      },
      {
        at: "40m",
        alert: "AgentWatchSpanExportFailing",
        fires: [
          {
            labels: { severity: "warning", symptom: "failing", job: "agentwatch", instance: "a:3000" },
            description:
              "a:3000: 90% of spans failed to export over the last 5m (threshold 50%), most of them as connection_refused: those traces are lost.",
          },
        ],
        quiet: "b fails 40% of its spans; c failed every export for 4 minutes only (a collector restart)",
      },
    ],
  },
  {
    name: "AgentWatchSpanExportFailing (stalled): spans wait on an exporter that never reports back",
    interval: "1m",
    series: {
      // a: exports stop finishing at 5m; 512 spans stay handed to the exporter.
      'agentwatch_spans_export_pending{job="agentwatch",instance="a:3000"}': `${constant(0, 4)} ${constant(512, 35)}`,
      'agentwatch_spans_exported_total{job="agentwatch",instance="a:3000"}': `${counter([[100, 5]])} ${constant(500, 34)}`,
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="timeout"}': constant(0, 40),
      // b: a slow exporter, always busy, but its exports finish.
      'agentwatch_spans_export_pending{job="agentwatch",instance="b:3000"}': constant(512, 40),
      'agentwatch_spans_exported_total{job="agentwatch",instance="b:3000"}': counter([[50, 40]]),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="timeout"}': constant(0, 40),
      // c: idle, nothing to export.
      'agentwatch_spans_export_pending{job="agentwatch",instance="c:3000"}': constant(0, 40),
      'agentwatch_spans_exported_total{job="agentwatch",instance="c:3000"}': constant(900, 40),
      'agentwatch_spans_export_failed_total{job="agentwatch",instance="c:3000",reason="timeout"}': constant(3, 40),
    },
    alerts: [
      {
        at: "18m",
        alert: "AgentWatchSpanExportFailing",
        fires: [],
        quiet: "pending: no export of a finished since 5m, and spans waited all of the last 10 minutes since 15m",
      },
      {
        at: "30m",
        alert: "AgentWatchSpanExportFailing",
        fires: [
          {
            labels: { severity: "warning", symptom: "stalled", job: "agentwatch", instance: "a:3000" },
            description:
              "a:3000: no span export finished (none exported, none failed) in the last 10m while at least 512 spans waited on the exporter: it never reports back.",
          },
        ],
        quiet: "b's exports are slow but finish; c is idle",
      },
    ],
  },
];

const budgetSeries = (): Record<string, string> => {
  const steps = 2 * 96; // two days of 15-minute samples
  const perDay = (usd: number) => counter([[usd / 96, steps]]);
  return {
    'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': perDay(11),
    'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="search"}': perDay(39),
    'agentwatch_budget_usd{scope="global",name="global"}': constant(80, steps),
    'agentwatch_budget_usd{scope="agent",name="loud"}': constant(10, steps),
    'agentwatch_budget_usd{scope="agent",name="calm"}': constant(50, steps),
    'agentwatch_budget_usd{scope="agent",name="unused"}': constant(5, steps),
    'agentwatch_budget_usd{scope="feature",name="orders"}': constant(20, steps),
    'agentwatch_budget_usd{scope="feature",name="search"}': constant(50, steps),
  };
};

const budgetAlert = (
  severity: Severity,
  threshold: string,
  scope: string,
  budget: string,
  percent: string,
  extra: Record<string, string> = {},
) => ({
  labels: { severity, threshold: `${threshold}%`, scope, budget, ...extra },
  description: `${scope} budget ${budget}: ${percent}% of the daily budget spent in the last 1d (alert at ${threshold}%).`,
});

/** A week of `base` per 15 minutes, then 2 hours of `after`: a counter series for the 7-day baseline alerts. */
const weekThen = (base: number, then: number) =>
  counter([
    [base, WEEK_15M],
    [then, 8],
  ]);

const long: RuleTestGroup[] = [
  slowBurnGroup("availability"),
  slowBurnGroup("latency"),
  slowBurnGroup("ttft"),
  {
    name: "AgentDailyBudget: 50/80/100% of the global, agent and feature budgets over the last day",
    interval: "15m",
    series: budgetSeries(),
    alerts: [
      {
        at: "48h",
        alert: "AgentDailyBudget",
        fires: [
          budgetAlert("info", "50", "global", "global", "62.5"),
          budgetAlert("info", "50", "agent", "calm", "78", { agent: "calm" }),
          budgetAlert("info", "50", "agent", "loud", "110", { agent: "loud" }),
          budgetAlert("info", "50", "feature", "orders", "55", { feature: "orders" }),
          budgetAlert("info", "50", "feature", "search", "78", { feature: "search" }),
          budgetAlert("warning", "80", "agent", "loud", "110", { agent: "loud" }),
          budgetAlert("critical", "100", "agent", "loud", "110", { agent: "loud" }),
        ],
        quiet: "calm's 78% is under the 80% warning; the unused agent's budget has no spend",
      },
    ],
  },
  {
    name: "AgentCostPerHourHigh: USD per hour more than 3x the 7-day average, and above 1 USD/h",
    interval: "15m",
    series: {
      'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.25, 1),
      'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.25, 0.625),
      'agentwatch_cost_usd_total{agent="tiny",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.025, 0.125),
    },
    alerts: [
      { at: "168h", alert: "AgentCostPerHourHigh", fires: [], quiet: "a week of steady spend" },
      {
        at: "170h",
        alert: "AgentCostPerHourHigh",
        fires: [
          {
            labels: { severity: "warning", agent: "loud" },
            description: "loud spends 4.00 USD per hour (over the last 1h), more than 3x its average of the 7d before.",
          },
        ],
        quiet: "calm rose 2.5x; tiny rose 5x but spends 0.5 USD/h, under the floor",
      },
    ],
  },
  {
    name: "AgentPromptCacheHitRatioLow: cache reads fall under 5% of input tokens where they used to be 10% or more",
    interval: "15m",
    series: {
      [`gen_ai_client_token_usage_sum{${chatLabels("loud")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
      [`gen_ai_client_token_usage_sum{${chatLabels("loud")},gen_ai_token_type="cache_read"}`]: weekThen(300, 20),
      [`gen_ai_client_token_usage_sum{${chatLabels("calm")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
      [`gen_ai_client_token_usage_sum{${chatLabels("calm")},gen_ai_token_type="cache_read"}`]: weekThen(300, 60),
      [`gen_ai_client_token_usage_sum{${chatLabels("nocache", "llama3")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
    },
    alerts: [
      {
        at: "170h",
        alert: "AgentPromptCacheHitRatioLow",
        fires: [
          {
            labels: { severity: "info", agent: "loud", provider: "openai", model: "gpt-4o" },
            description:
              "loud on openai/gpt-4o: only 2% of input tokens were cache reads over the last 1h (below 5%; it was at least 10% before).",
          },
        ],
        quiet: "calm still reads 6% from cache; llama3 never had cache reads",
      },
    ],
  },
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
        ],
        quiet: "calm dropped 7.5%; sparse dropped 37.5% on 2 evaluations an hour",
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
];

/** The promtool test files, by name. */
export const RULE_TEST_FILES: readonly RuleTestFile[] = [
  { file: "alerts-short.test.yml", evaluationInterval: "1m", groups: short },
  { file: "alerts-long.test.yml", evaluationInterval: "1h", groups: long },
];

// ------------------------------------------------------------------ rendering

/** The rule an expectation is about: same name, and every label of the rule present in the expectation with the same value. */
export function ruleFor(rules: Rules, alert: string, labels: Record<string, string>): AlertRule {
  const candidates = rules.alerting.flatMap((g) => g.rules).filter((r) => r.alert === alert);
  const match = candidates.filter((r) => Object.entries(r.labels).every(([k, v]) => labels[k] === v));
  if (match.length !== 1) {
    throw new Error(
      `expected exactly one rule ${alert} with labels ${JSON.stringify(labels)}, found ${match.length} (rules: ${candidates.map((r) => JSON.stringify(r.labels)).join(", ")})`,
    );
  }
  return match[0] as AlertRule;
}

/** Replaces `{{ $labels.name }}` by the label's value (the only template in static annotations). */
export function renderLabels(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, name: string) => labels[name] ?? "");
}

/** A promtool test file (as a plain object for YAML) for `file`, against the rule files in `ruleFiles`. */
export function promtoolTestFile(rules: Rules, file: RuleTestFile, ruleFiles: readonly string[]): Record<string, unknown> {
  return {
    rule_files: [...ruleFiles],
    evaluation_interval: file.evaluationInterval,
    // Recording rules first at each evaluation time: with an hourly evaluation the alerts would
    // otherwise read recorded samples an hour old, past the 5-minute lookback.
    group_eval_order: [...rules.recording, ...rules.alerting].map((g) => g.name),
    tests: file.groups.map((g) => ({
      name: g.name,
      interval: g.interval,
      input_series: Object.entries(g.series).map(([series, values]) => ({ series, values })),
      ...(g.alerts.length > 0
        ? {
            alert_rule_test: g.alerts.map((check) => ({
              eval_time: check.at,
              alertname: check.alert,
              exp_alerts: check.fires.map((e) => {
                const rule = ruleFor(rules, check.alert, e.labels);
                return {
                  exp_labels: e.labels,
                  exp_annotations: {
                    summary: rule.annotations.summary,
                    description: e.description,
                    runbook_url: rule.annotations.runbook_url,
                    ...(rule.annotations.dashboard_url !== undefined
                      ? { dashboard_url: renderLabels(rule.annotations.dashboard_url, e.labels) }
                      : {}),
                  },
                };
              }),
            })),
          }
        : {}),
      ...(g.exprs && g.exprs.length > 0
        ? {
            promql_expr_test: g.exprs.map((x) => ({
              expr: x.expr,
              eval_time: x.at,
              exp_samples: x.samples.map((s) => ({ labels: s.labels, value: s.value })),
            })),
          }
        : {}),
    })),
  };
}
