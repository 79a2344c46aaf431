/**
 * The one place that holds every SLO target, threshold, window and link of agentwatch's alerts.
 * `npm run generate:rules` turns it (through rules/) into prometheus/rules/*.yml and the promtool
 * unit tests; the end-to-end test generates a time-compressed copy from the same definitions.
 *
 * Durations are Prometheus durations written as they apply in production ("5m", "7d"); a
 * time-compressed copy divides each of them by one factor (see duration.ts).
 */

/** Where runbooks live: `${RUNBOOK_BASE_URL}<AlertName>.md` (docs/runbooks/ of this repository). */
export const RUNBOOK_BASE_URL = "https://github.com/agentwatch/agentwatch/blob/main/docs/runbooks/";

/** Grafana of the full stack (docker compose publishes it on the host at this address). */
export const GRAFANA_URL = "http://localhost:3001";

/** Grafana dashboard uids (the dashboards live with the compose stack). */
export const DASHBOARD = {
  overview: "agentwatch-overview",
  cost: "agentwatch-cost",
  internals: "agentwatch-internals",
  quality: "agentwatch-quality",
  health: "agentwatch-health",
} as const;
export type DashboardUid = (typeof DASHBOARD)[keyof typeof DASHBOARD];

/** The Prometheus scrape job of the instrumented agents (prometheus.yml and the test harness both use it). */
export const AGENT_JOB = "agentwatch";

/** Severities, and where Alertmanager sends them (prometheus/alertmanager.yml). */
export const SEVERITY = {
  /** Pages the on-call engineer. */
  critical: "critical",
  /** Goes to the team's chat channel. */
  warning: "warning",
  /** Shown on dashboards only (Alertmanager's null receiver). */
  info: "info",
} as const;
export type Severity = (typeof SEVERITY)[keyof typeof SEVERITY];

/** One multi-window burn-rate alert: the burn rate must hold over both windows. */
export interface BurnWindow {
  /** Multiple of the error budget's steady spend rate (1 = the whole 30-day budget in 30 days). */
  burnRate: number;
  long: string;
  short: string;
  for: string;
  severity: Severity;
}

/**
 * Google SRE Workbook, "Alerting on SLOs", multiwindow multi-burn-rate: 14.4× over 1 h (and 5 m)
 * spends 2 % of a 30-day budget in an hour, 6× over 6 h (and 30 m) 5 % in six hours: both page;
 * 1× over 3 d (and 6 h) spends 10 % in three days: a ticket (chat).
 */
export const BURN_WINDOWS: readonly BurnWindow[] = [
  { burnRate: 14.4, long: "1h", short: "5m", for: "2m", severity: SEVERITY.critical },
  { burnRate: 6, long: "6h", short: "30m", for: "15m", severity: SEVERITY.critical },
  { burnRate: 1, long: "3d", short: "6h", for: "1h", severity: SEVERITY.warning },
];

/** The SLO period the targets are stated over (the burn rates are relative to it). */
export const SLO_PERIOD = "30d";

/**
 * The SLOs. Thresholds are bucket bounds of their histograms, so "faster than the threshold" is an
 * exact count (`le` bucket), never an interpolation:
 *
 * - latency: 99 % of successful agent runs (`gen_ai_invoke_agent_duration_seconds`, `error_type=""`)
 *   finish within 6.4 s. A support agent answers in one or two model calls plus tools; the demo's
 *   healthy runs take 1.5–3.5 s and its latency-spike incident 6–13 s. Runs that fail count
 *   against availability, not latency. Buckets: 0.1 × 2^k, so 6.4 s and 12.8 s are bounds.
 * - availability: 99.5 % of agent runs end without an error (`error_type=""`; human-in-the-loop
 *   interrupts are not errors).
 * - time to first token: 99 % of streamed model calls
 *   (`gen_ai_client_operation_time_to_first_chunk_seconds`) stream their first chunk within 2.56 s
 *   (buckets 0.01 × 2^k). Healthy: median 0.45 s, p99 about 1 s.
 */
export const SLO = {
  latency: { target: 0.99, thresholdSeconds: 6.4 },
  availability: { target: 0.995 },
  ttft: { target: 0.99, thresholdSeconds: 2.56 },
} as const;

/** Thresholds of the symptom and LLM alerts. */
export const THRESHOLDS = {
  /** AgentErrorRateHigh: share of failed runs over `window`, sustained `for`. */
  errorRate: { ratio: 0.05, window: "5m", for: "5m" },
  /** AgentLatencyP99High: p99 of successful runs above the latency SLO threshold. */
  latencyP99: { quantile: 0.99, window: "5m", for: "5m" },
  /** AgentTTFTP95High: p95 time to first chunk, per agent and model, above the TTFT SLO threshold. */
  ttftP95: { quantile: 0.95, window: "5m", for: "5m" },
  /**
   * AgentTimeBetweenTokensHigh: p99 time between two streamed chunks
   * (`gen_ai_client_operation_time_per_output_chunk_seconds`, after the first chunk), per agent and
   * model, above `thresholdSeconds` over `window` for `for`, with at least `minChunks` chunk gaps
   * in `window` (a p99 of fewer is one or two gaps: a quiet hour's single slow chunk cannot fire).
   * Healthy streams: median 25 ms a chunk, p99 about 50 ms; 1.28 s (a bucket bound, 0.01 × 2^7,
   * so "above" is an exact `le` count) is a pause a reader sees as the answer freezing, more than
   * 1 % of the gaps pausing that long is a stalled stream, not a slow model.
   *
   * Severity warning (chat), not a page: users are hurt now (answers freeze mid-sentence) but they
   * get the whole answer, as with a slow first token (AgentTTFTP95High) or slow runs
   * (AgentLatencyP99High), which are warnings too. When stalls make whole runs miss the latency
   * SLO, its burn-rate alert (AgentLatencyBudgetBurn) pages.
   */
  timeBetweenTokensP99: { quantile: 0.99, thresholdSeconds: 1.28, minChunks: 100, window: "5m", for: "5m" },
  /** AgentCostPerHourHigh: USD per hour (1 h rate) above `multiplier` × its 7-day average, and above a floor. */
  costPerHour: { multiplier: 3, floorUsdPerHour: 1, window: "1h", baseline: "7d", for: "15m" },
  /** AgentRunawaySpend: USD spent by one agent within `window`. */
  runawaySpend: { usd: 5, window: "10m", for: "1m" },
  /** AgentDailyBudget: share of a daily budget (`agentwatch_budget_usd`) spent over the last `window`. */
  budget: {
    window: "1d",
    levels: [
      { share: 0.5, severity: SEVERITY.info },
      { share: 0.8, severity: SEVERITY.warning },
      { share: 1, severity: SEVERITY.critical },
    ],
    for: "5m",
  },
  /** AgentToolLoop: tool calls repeating an earlier call of the same run (same tool, same arguments). */
  toolLoop: { repeats: 3, window: "10m", for: "0m" },
  /** AgentRunGuardTripped: run guards (cost, tokens, calls, repeats) tripped. */
  guardTrips: { window: "10m", for: "0m" },
  /**
   * AgentSpendLimitTripped: a user's or tenant's spend limit (across runs and replicas) stopped or
   * flagged runs within `window`. Its severity depends on the limit (`severities`): one user at their
   * hourly cap is the limit doing its job (info: the cost dashboard); a tenant at its daily cap is a
   * whole customer stopped, or over its day's money, until midnight (warning: chat).
   */
  limitTrips: {
    window: "10m",
    for: "0m",
    severities: [
      { limit: "user_usd_per_hour", severity: SEVERITY.info },
      { limit: "tenant_usd_per_day", severity: SEVERITY.warning },
    ],
  },
  /**
   * AgentUserSpendLimitPersistent: the per-user hourly limit (`user_usd_per_hour`) tripped in every
   * `window` for `for`. A person who reaches the cap stops or waits for the next hour; trips without
   * a 10-minute break for an hour mean something keeps spending at the cap hour after hour: a script,
   * a leaked key, a client retrying in a loop (or, with many users, that the cap is set too low for
   * them). The trips counter has no user label (user ids are unbounded), so the alert cannot tell one
   * user from many: the runbook finds them in the traces. A warning (chat), not a page: the limit
   * already holds each user to `perUserUsdPerHour`, and AgentRunawaySpend / AgentDailyBudget page
   * when the total money burns.
   */
  userLimitPersistent: { window: "10m", for: "1h" },
  /** AgentGuardrailBlockRatioHigh: block share per guardrail and stage above `multiplier` × baseline and above a floor. */
  guardrailBlock: { multiplier: 3, floorRatio: 0.15, window: "15m", baseline: "7d", for: "10m" },
  /**
   * AgentHarmfulOutputBlocked: any output-stage guardrail block (`stage="output"`, `outcome="block"`)
   * within `window`: an increase > 0, not a ratio. An output block means the model wrote an answer
   * the operator decided must never reach a user (harmful content, a leaked secret); in healthy
   * traffic there are none (the demo: 0 of 189 inputs, its golden dataset and bundled questions, under
   * normal traffic and under each incident but `poisoned-document`, which reproduces this alert),
   * so the first one is news, and the guardrail that caught it is a net with holes: the next such
   * answer may not match. A ratio would need a denominator of thousands of answers to resolve one
   * block, and with 0 in healthy traffic any threshold above 0 only delays the page. The storm
   * alert (AgentGuardrailBlockRatioHigh) is for many blocks; this is for one. A guardrail that
   * routinely stops answers on purpose should `flag` on output (recorded, not paged), or block at
   * the input stage. `window` is how long the alert stays up after the last block.
   */
  outputBlock: { window: "10m", for: "0m" },
  /** AgentEvalScoreDrop: mean evaluation score `drop` (share) below its 7-day average. */
  evalScore: { drop: 0.1, minEvaluations: 10, window: "1h", baseline: "7d", for: "1h" },
  /** AgentNegativeFeedbackHigh: share of negative feedback above `multiplier` × baseline and above a floor. */
  negativeFeedback: { multiplier: 2, floorRatio: 0.2, minFeedback: 10, window: "1h", baseline: "7d", for: "15m" },
  /**
   * AgentTaskCompletionLow: share of conversations that ended resolved or converted, `drop` (share)
   * below its 7-day average, with at least `minConversations` outcomes in `window`.
   */
  taskCompletion: { drop: 0.3, minConversations: 20, window: "1h", baseline: "7d", for: "15m" },
  /**
   * AgentProviderThrottled: more than `ratio` of one agent's calls to one provider (model,
   * embeddings and retrieval calls, `gen_ai_client_operation_duration_seconds`) were rate limited
   * (error_type 429) over `window`, with at least `minCalls` calls in it, sustained `for`.
   * Severity warning (chat), not a page: while retries absorb the 429s
   * (`agentwatch_model_retries_total`) users still get answers, only later, and the money does not
   * burn (a rate-limited request is not billed; the retry is the call that would have been made
   * anyway). Once retries stop absorbing them, runs fail and AgentErrorRateHigh and the
   * availability burn rate page. One call in ten throttled for ten minutes is a quota too small for
   * the traffic, not a blip: a single burst of 429s that a retry smooths over stays quiet.
   */
  providerThrottled: { ratio: 0.1, minCalls: 10, window: "10m", for: "10m" },
  /** AgentPromptVersionsLive: several versions of one prompt in use at once. */
  promptVersions: { for: "30m" },
  /** AgentPromptHashChanged: a template hash not seen before under a known version (`history`), or two hashes at once. */
  promptHash: { history: "1d", for: "0m" },
  /** AgentModelFingerprintChanged: a response model / fingerprint not seen before for a known requested model. */
  modelFingerprint: { history: "1d", for: "0m" },
  /** AgentResponseLengthShift: mean response length over `window` vs its 7-day average, by more than `factor` either way. */
  responseLength: { factor: 1.5, minResponses: 20, window: "1h", baseline: "7d", for: "30m" },
  /**
   * AgentInputDrift / AgentOutputDrift: the drift test's p-value (`agentwatch_drift_p_value`, the
   * largest over replicas: every replica must see it) under `pValue` for `for`.
   */
  drift: { pValue: 0.01, for: "15m" },
  /** AgentRetrievalNoDocuments: share of retrievals that returned no document. */
  retrievalEmpty: { ratio: 0.2, minRetrievals: 10, window: "15m", for: "10m" },
  /** AgentRetrievalLowScore: share of retrievals whose best document scored at most `score` (a bucket bound). */
  retrievalLowScore: { score: 0.2, ratio: 0.5, minRetrievals: 10, window: "15m", for: "10m" },
  /** AgentPromptCacheHitRatioLow: cache-read share of input tokens below `ratio`, where it used to be at least `baselineRatio`. */
  cacheHit: { ratio: 0.05, baselineRatio: 0.1, window: "1h", baseline: "7d", for: "30m" },
  /** AgentUnpricedModel: model calls with no known price. */
  unpriced: { window: "1h", for: "0m" },
  /**
   * AgentCanaryFailing: one canary case did not pass (a wrong answer, or no answer) `consecutive`
   * checks in a row. Twice, not once: a single miss can be a flaky provider call; the same
   * known-answer question wrong twice is the agent, and it pages.
   */
  canaryFailing: { consecutive: 2, for: "0m" },
  /**
   * AgentCanaryStale: a canary case has not passed for `intervals` times its expected gap between
   * checks (`agentwatch_canary_interval_seconds`) and is not failing either (its checks do not
   * finish), or no check of it finished within `window` (the prober is stuck or stopped). A ticket:
   * the agent may be fine, but nothing proves it.
   */
  canaryStale: { intervals: 3, window: "30m", for: "5m" },
  /** AgentWatchHandlerErrors: errors inside agentwatch's callbacks. */
  handlerErrors: { window: "10m", for: "0m" },
  /** AgentWatchRunsEvicted: runs that never ended. */
  runsEvicted: { window: "30m", for: "0m" },
  /** AgentWatchLabelOverflow: label values collapsed into "other". */
  labelOverflow: { window: "30m", for: "0m" },
  /** AgentWatchTargetDown: the agent's /metrics cannot be scraped. */
  targetDown: { for: "5m" },
  /**
   * AgentWatchSpansDropped: spans dropped because `monitoredBatchSpanProcessor` was full
   * (`agentwatch_spans_dropped_total`), in every `window` for `for`: drops recurring for 5 minutes
   * or more, without a 5-minute gap, fire 10 minutes after they started. A burst of drops shorter
   * than that (a traffic spike that filled `maxQueueSize` for a minute) stays quiet: it is on the
   * health dashboard, and the export alerts below catch a backend that stays away.
   */
  spansDropped: { window: "5m", for: "10m" },
  /**
   * AgentWatchSpanExportFailing{symptom="failing"}: more than `ratio` of the spans whose export
   * finished over `window` failed (`agentwatch_spans_export_failed_total` against it plus
   * `agentwatch_spans_exported_total`), sustained `for`. A failed span is already lost (the OTLP
   * exporter retries 429/502/503/504 itself until its timeout); a collector restart or a rolling
   * deploy fails exports for a minute or two, far under 10 minutes, while most of an instance's
   * traces missing for 10 minutes is an unreachable or broken backend.
   */
  spanExportFailing: { ratio: 0.5, window: "5m", for: "10m" },
  /**
   * AgentWatchSpanExportFailing{symptom="stalled"}: spans wait on the exporter
   * (`agentwatch_spans_export_pending` > 0) for all of `window` and no export finished in it, neither
   * exported nor failed, sustained `for`: no span reached the backend for 15 minutes while spans are
   * produced. The OTLP exporters report every export within their timeout (10 s by default), so
   * this is an exporter that never reports back; `for` keeps a process that just started (a window
   * of two samples) from firing.
   */
  spanExportStalled: { window: "10m", for: "5m" },
} as const;

/**
 * Baselines ("its 7-day average") leave out the most recent `BASELINE_OFFSET`, so an incident does
 * not raise its own baseline while it runs.
 */
export const BASELINE_OFFSET = "1h";

/** Recording rule windows that dashboards share with the alerts. */
export const DASHBOARD_WINDOW = "5m";
