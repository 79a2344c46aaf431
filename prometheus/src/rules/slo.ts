/**
 * SLOs: the error ratios of the availability, latency and time-to-first-token SLIs over every burn
 * window, and the multi-window burn-rate alerts on them (config.ts: SLO, BURN_WINDOWS).
 */
import { BURN_WINDOWS, type BurnWindow, DASHBOARD, type DashboardUid, SLO, SLO_PERIOD } from "../config.js";
import { parseDuration } from "../duration.js";
import { le, num, ratio, shortLabels, sumBy } from "../promql.js";
import { AGENT, type RuleContext, RUNS, TTFT } from "./context.js";
import type { AlertRule, AreaRules, RecordingRule } from "./types.js";

/** The `agentwatch-slo` recording rules and the `agentwatch-slo-alerts`. */
export function sloRules(c: RuleContext): AreaRules {
  const { d, w, runs, alert, latencyThreshold, ttftThreshold } = c;
  const sloWindows = [...new Set(BURN_WINDOWS.flatMap((b) => [b.short, b.long]))].sort((a, b) => parseDuration(a) - parseDuration(b));
  const sli = {
    availability: (window: string) => ratio(runs(window, `{error_type!=""}`), runs(window)),
    latency: (window: string) => {
      const total = runs(window, `{error_type=""}`);
      const good = sumBy(["agent"], shortLabels(`rate(${RUNS}_bucket{error_type="",le="${le(latencyThreshold)}"}[${d(window)}])`, AGENT));
      return `clamp_min((${total} - ${good}) / (${total} > 0), 0)`;
    },
    ttft: (window: string) => {
      const total = sumBy(["agent"], shortLabels(`rate(${TTFT}_count[${d(window)}])`, AGENT));
      const good = sumBy(["agent"], shortLabels(`rate(${TTFT}_bucket{le="${le(ttftThreshold)}"}[${d(window)}])`, AGENT));
      return `clamp_min((${total} - ${good}) / (${total} > 0), 0)`;
    },
  };
  const sloRecord = (slo: keyof typeof sli, window: string) => `agent:slo_${slo}_errors:ratio_rate${w(window)}`;
  const sloRecording: RecordingRule[] = (Object.keys(sli) as (keyof typeof sli)[]).flatMap((slo) =>
    sloWindows.map((window) => ({ record: sloRecord(slo, window), expr: sli[slo](window) })),
  );

  const budgetOf = (target: number) => num(Math.round((1 - target) * 1e6) / 1e4);
  const burn = (slo: keyof typeof sli, name: string, target: number, what: string, summary: string, dashboard: DashboardUid): AlertRule[] =>
    BURN_WINDOWS.map((b: BurnWindow) => {
      const limit = num(b.burnRate * (1 - target));
      return alert({
        alert: name,
        expr: `${sloRecord(slo, b.long)} > ${limit}\nand\n${sloRecord(slo, b.short)} > ${limit}`,
        for: b.for,
        severity: b.severity,
        labels: { slo, long_window: d(b.long), short_window: d(b.short) },
        summary,
        description:
          `{{ $labels.agent }}: {{ $value | humanizePercentage }} of ${what} over the last ${d(b.long)} (and over ${d(b.short)}), ` +
          `against an SLO budget of ${budgetOf(target)}% over ${SLO_PERIOD}: the error budget burns at ${num(b.burnRate)}x or faster.`,
        dashboard,
      });
    });

  const sloAlerts: AlertRule[] = [
    ...burn(
      "availability",
      "AgentAvailabilityBudgetBurn",
      SLO.availability.target,
      "agent runs failed",
      "Agent runs fail fast enough to exhaust the availability error budget",
      DASHBOARD.overview,
    ),
    ...burn(
      "latency",
      "AgentLatencyBudgetBurn",
      SLO.latency.target,
      `successful agent runs took longer than ${num(latencyThreshold)}s`,
      "Agent runs are slow often enough to exhaust the latency error budget",
      DASHBOARD.overview,
    ),
    ...burn(
      "ttft",
      "AgentTTFTBudgetBurn",
      SLO.ttft.target,
      `streamed model calls waited longer than ${num(ttftThreshold)}s for their first token`,
      "Time to first token is slow often enough to exhaust its error budget",
      DASHBOARD.overview,
    ),
  ];

  return {
    recording: { name: "agentwatch-slo", rules: sloRecording },
    alerting: { name: "agentwatch-slo-alerts", rules: sloAlerts },
  };
}
