/** Agent runs: run, error, cancellation and latency rates by agent (the overview dashboard and the symptom alerts read them). */
import { DASHBOARD_WINDOW } from "../config.js";
import { num, ratio, shortLabels, sumBy } from "../promql.js";
import { AGENT, type RuleContext, RUNS } from "./context.js";
import type { RecordingRule, RuleGroup } from "./types.js";

/** Ours: invocations the caller cancelled. They are in no duration histogram, so never an error nor a slow run. */
export const CANCELLATIONS = "agentwatch_cancellations_total";

/** The `agentwatch-runs` recording rules. */
export function runsRules(c: RuleContext): RuleGroup<RecordingRule> {
  const { d, w, runs } = c;
  const dash = DASHBOARD_WINDOW;
  // Cancelled agent runs per second, and their share of the runs started: completed (the
  // histogram's count) + cancelled, which never overlap; an agent with only one of them still counts.
  const cancelled = sumBy(["agent"], shortLabels(`rate(${CANCELLATIONS}{gen_ai_operation_name="invoke_agent"}[${d(dash)}])`, AGENT));
  const started = `(${runs(dash)} + (${cancelled} or ${runs(dash)} * 0) or ${cancelled})`;
  const runsRecording: RecordingRule[] = [
    { record: `agent:gen_ai_invoke_agent_runs:rate${w(dash)}`, expr: runs(dash) },
    { record: `agent:gen_ai_invoke_agent_errors:rate${w(dash)}`, expr: runs(dash, `{error_type!=""}`) },
    { record: `agent:gen_ai_invoke_agent_errors_per_runs:ratio_rate${w(dash)}`, expr: ratio(runs(dash, `{error_type!=""}`), runs(dash)) },
    { record: `agent:agentwatch_cancellations:rate${w(dash)}`, expr: cancelled },
    { record: `agent:agentwatch_cancellations_per_runs:ratio_rate${w(dash)}`, expr: ratio(cancelled, started) },
    ...[0.5, 0.95, 0.99].map((q) => ({
      record: `agent:${RUNS}:p${Math.round(q * 100)}_rate${w(dash)}`,
      expr: `histogram_quantile(${num(q)}, ${sumBy(["agent", "le"], shortLabels(`rate(${RUNS}_bucket{error_type=""}[${d(dash)}])`, AGENT))})`,
    })),
  ];
  return { name: "agentwatch-runs", rules: runsRecording };
}
