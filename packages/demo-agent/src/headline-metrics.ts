import { parseMetricsText } from "./metrics-text.js";
import { readableNumber } from "./readable-number.js";

/** The families `npm run demo` shows after its sample conversations. */
const HEADLINE =
  /^(gen_ai_invoke_agent_duration_seconds_count|gen_ai_client_token_usage_sum|gen_ai_execute_tool_duration_seconds_count|agentwatch_cost_usd_total)$/;

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/**
 * The headline samples of a `/metrics` exposition, one line each as `name{labels} value`, the
 * value readable ({@link readableNumber}); exemplars and timestamps left out.
 */
export function headlineMetrics(exposition: string): string[] {
  return parseMetricsText(exposition)
    .filter((s) => HEADLINE.test(s.name))
    .map((s) => {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      return `${s.name}${labels.length > 0 ? `{${labels.join(",")}}` : ""} ${readableNumber(s.value)}`;
    });
}
