/** SLO burn-rate alerts: a fast burn (1 h and 5 m windows) in the short file, slow burns over days in the long one. */
import { SEVERITY } from "../config.js";
import { num } from "../promql.js";
import { chatLabels, counter, genAi, histogram } from "./series.js";
import type { AreaTests, Expectation, RuleTestGroup } from "./types.js";

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

export const sloTests: AreaTests = {
  short: [fastBurnGroup("availability"), fastBurnGroup("latency"), fastBurnGroup("ttft")],
  long: [slowBurnGroup("availability"), slowBurnGroup("latency"), slowBurnGroup("ttft")],
};
