/** Model calls: operation rates, errors, latency, time to first token, time between tokens and token usage by agent and model. */
import { DASHBOARD_WINDOW, THRESHOLDS as T } from "../config.js";
import { num, ratio, shortLabels, sumBy } from "../promql.js";
import { AGENT_MODEL, OPS, type RuleContext, TBT, TOKEN_PARTS, TOKENS, TTFT } from "./context.js";
import type { RecordingRule, RuleGroup } from "./types.js";

/** The `agentwatch-model-calls` recording rules. */
export function modelCallRules(c: RuleContext): RuleGroup<RecordingRule> {
  const { d, w } = c;
  const dash = DASHBOARD_WINDOW;
  const byOp = (expr: string) =>
    sumBy(["agent", "provider", "model", "operation"], shortLabels(expr, [...AGENT_MODEL, "gen_ai_operation_name"]));
  const modelRecording: RecordingRule[] = [
    { record: `agent_model:gen_ai_client_operations:rate${w(dash)}`, expr: byOp(`rate(${OPS}_count[${d(dash)}])`) },
    {
      record: `agent_model:gen_ai_client_operation_errors_per_operations:ratio_rate${w(dash)}`,
      expr: ratio(byOp(`rate(${OPS}_count{error_type!=""}[${d(dash)}])`), byOp(`rate(${OPS}_count[${d(dash)}])`)),
    },
    {
      record: `agent_model:${OPS}:p95_rate${w(dash)}`,
      expr: `histogram_quantile(0.95, ${sumBy(["agent", "provider", "model", "operation", "le"], shortLabels(`rate(${OPS}_bucket{error_type=""}[${d(dash)}])`, [...AGENT_MODEL, "gen_ai_operation_name"]))})`,
    },
    ...[0.5, 0.95, 0.99].map((q) => ({
      record: `agent_model:${TTFT}:p${Math.round(q * 100)}_rate${w(dash)}`,
      expr: `histogram_quantile(${num(q)}, ${sumBy(["agent", "provider", "model", "le"], shortLabels(`rate(${TTFT}_bucket[${d(dash)}])`, AGENT_MODEL))})`,
    })),
    // Time between tokens: the median, and the p99 AgentTimeBetweenTokensHigh watches (its window).
    ...[0.5, T.timeBetweenTokensP99.quantile].map((q) => ({
      record: `agent_model:${TBT}:p${Math.round(q * 100)}_rate${w(T.timeBetweenTokensP99.window)}`,
      expr: `histogram_quantile(${num(q)}, ${sumBy(["agent", "provider", "model", "le"], shortLabels(`rate(${TBT}_bucket[${d(T.timeBetweenTokensP99.window)}])`, AGENT_MODEL))})`,
    })),
    {
      record: `agent_model_token_type:${TOKENS}:rate${w(dash)}`,
      expr: sumBy(
        ["agent", "provider", "model", "token_type"],
        shortLabels(`rate(${TOKENS}_sum[${d(dash)}])`, [...AGENT_MODEL, "gen_ai_token_type"]),
      ),
    },
    // The parts (cache_read, cache_write, reasoning) of the input / output tokens above: never add the two.
    {
      record: `agent_model_part:${TOKEN_PARTS.replace(/_total$/, "")}:rate${w(dash)}`,
      expr: sumBy(["agent", "provider", "model", "part"], shortLabels(`rate(${TOKEN_PARTS}[${d(dash)}])`, AGENT_MODEL)),
    },
    {
      // The name is kept from when cache_read was a gen_ai_token_type: the share of input tokens read from the cache.
      record: `agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)}`,
      expr: ratio(
        sumBy(["agent", "provider", "model"], shortLabels(`rate(${TOKEN_PARTS}{part="cache_read"}[${d(T.cacheHit.window)}])`, AGENT_MODEL)),
        sumBy(
          ["agent", "provider", "model"],
          shortLabels(`rate(${TOKENS}_sum{gen_ai_token_type="input"}[${d(T.cacheHit.window)}])`, AGENT_MODEL),
        ),
      ),
    },
  ];
  return { name: "agentwatch-model-calls", rules: modelRecording };
}
