/**
 * The service level objectives and trace thresholds the dashboards show: the one module that holds
 * them. Change a number here, run `npm run generate:dashboards`, and commit the JSON it writes.
 */

/**
 * - latency: 99 % of successful agent runs (`gen_ai_invoke_agent_duration_seconds`, `error_type=""`)
 *   finish within 6.4 s (the alert rules' SLO in prometheus/src/config.ts; a test keeps the two equal). The threshold is a bucket bound of that histogram (0.1 × 2^k s), so
 *   "within the threshold" is an exact `le` bucket count, never an interpolation.
 * - availability: 99.5 % of agent runs end without an error (a human-in-the-loop interrupt is not one).
 * Both are measured over `periodDays` days.
 */
export const SLO = {
  latency: { target: 0.99, thresholdSeconds: 6.4 },
  availability: { target: 0.995 },
  periodDays: 30,
} as const;

/**
 * Time between streamed tokens (`gen_ai_client_operation_time_per_output_chunk_seconds`): the
 * threshold AgentTimeBetweenTokensHigh fires at for the p99 (prometheus/src/config.ts
 * `THRESHOLDS.timeBetweenTokensP99`; a test keeps the two equal). Drawn as a threshold line.
 */
export const TIME_BETWEEN_TOKENS = { quantile: 0.99, thresholdSeconds: 1.28 } as const;

/** The SLO period as a PromQL range. */
export const SLO_PERIOD = `${SLO.periodDays}d`;

/** Windows the burn-rate panels plot (the multiwindow, multi-burn-rate alerting windows). */
export const BURN_RATE_WINDOWS = ["5m", "30m", "1h", "6h"] as const;

/**
 * Burn rates that page (Google SRE Workbook, "Alerting on SLOs"): 14.4 × over 1 h spends 2 % of a
 * 30-day budget in an hour, 6 × over 6 h spends 5 % in six hours. Drawn as threshold lines.
 */
export const PAGING_BURN_RATES = [14.4, 6] as const;

/** Agent runs the trace-search panels list, and the traces a tail-sampling tier keeps (README.md, Scaling out). */
export const TRACE_THRESHOLDS = {
  /** A run slower than the latency SLO threshold. */
  slowRunSeconds: SLO.latency.thresholdSeconds,
  /** A run that cost more than this many USD (`agentwatch.cost.usd` on the root span). */
  expensiveRunUsd: 0.05,
} as const;

/** The PromQL `le` label value of a bucket bound, as prom-client writes it ("12.8", "1", "0.5"). */
export function leLabel(bound: number): string {
  return String(bound);
}
