/**
 * Provider health: how often a provider rate-limits an agent's calls (error_type 429 on the
 * operation-duration histogram), and the retries and fallbacks the middleware counts
 * (`agentwatch_model_retries_total`, `agentwatch_model_fallbacks_total`: calls that failed and were
 * replaced, which no run-level metric shows when the replacement succeeds).
 */
import { DASHBOARD, DASHBOARD_WINDOW, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, ratio, shortLabels, sumBy } from "../promql.js";
import { OPS, type RuleContext } from "./context.js";
import type { AreaRules } from "./types.js";

export const MODEL_RETRIES = "agentwatch_model_retries_total";
export const MODEL_FALLBACKS = "agentwatch_model_fallbacks_total";

/** The `agentwatch-provider-health` recording rules and the `agentwatch-provider-alerts`. */
export function providerRules(c: RuleContext): AreaRules {
  const { d, w, alert } = c;
  const t = T.providerThrottled;
  const byProvider = (expr: string) => sumBy(["agent", "provider"], shortLabels(expr, ["gen_ai_agent_name", "gen_ai_provider_name"]));
  const throttled = `agent_provider:gen_ai_client_operations_throttled_per_operations:ratio_rate${w(t.window)}`;
  const dash = DASHBOARD_WINDOW;
  return {
    recording: {
      name: "agentwatch-provider-health",
      rules: [
        {
          // Share of an agent's calls to a provider that were rate limited (HTTP 429), retried or not.
          record: throttled,
          expr: ratio(byProvider(`rate(${OPS}_count{error_type="429"}[${d(t.window)}])`), byProvider(`rate(${OPS}_count[${d(t.window)}])`)),
        },
        {
          record: `agent_provider:gen_ai_client_operations:increase${w(t.window)}`,
          expr: byProvider(`increase(${OPS}_count[${d(t.window)}])`),
        },
        {
          // Failed model calls that were retried, per second, by the failed call's error type.
          record: `agent_provider:${MODEL_RETRIES.replace(/_total$/, "")}:rate${w(dash)}`,
          expr: sumBy(["agent", "provider", "error_type"], `rate(${MODEL_RETRIES}[${d(dash)}])`),
        },
        {
          // Retries per model call (chat and text completion) of the agent and provider.
          record: `agent_provider:${MODEL_RETRIES.replace(/_total$/, "")}_per_operations:ratio_rate${w(dash)}`,
          expr: ratio(
            sumBy(["agent", "provider"], `rate(${MODEL_RETRIES}[${d(dash)}])`),
            byProvider(`rate(${OPS}_count{gen_ai_operation_name=~"chat|text_completion"}[${d(dash)}])`),
          ),
        },
        {
          record: `agent:${MODEL_FALLBACKS.replace(/_total$/, "")}:rate${w(dash)}`,
          expr: sumBy(["agent", "from_model", "to_model", "error_type"], `rate(${MODEL_FALLBACKS}[${d(dash)}])`),
        },
      ],
    },
    alerting: {
      name: "agentwatch-provider-alerts",
      rules: [
        alert({
          alert: "AgentProviderThrottled",
          expr: `${throttled} > ${num(t.ratio)}\nand on (agent, provider)\nagent_provider:gen_ai_client_operations:increase${w(t.window)} >= ${num(t.minCalls)}`,
          for: t.for,
          severity: SEVERITY.warning,
          summary: "The provider rate-limits more than 10% of the agent's calls",
          description: `{{ $labels.agent }} on {{ $labels.provider }}: {{ $value | humanizePercentage }} of calls were rate limited (HTTP 429) over the last ${d(t.window)} (threshold ${num(t.ratio * 100)}%, at least ${num(t.minCalls)} calls). Retries hide it from the run error rate: see agentwatch_model_retries_total.`,
          dashboard: DASHBOARD.internals,
        }),
      ],
    },
  };
}
