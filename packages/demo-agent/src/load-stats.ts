import { formatDuration } from "./load-cli.js";
import { type MetricSample, sumSamples } from "./metrics-text.js";

/** One request of a load run, as the client saw it. */
export interface RequestResult {
  /** HTTP 200 and a `done` event. */
  ok: boolean;
  /** HTTP status (0 when the request never got one: refused, timed out). */
  status: number;
  /** For failures: "HTTP 502", "provider 429", "agent_step_limit", "no response", … */
  errorKind?: string;
  /** Time to the `done` / `error` event or the failure, ms. */
  latencyMs: number;
  /** Time to the first `token` event, ms. */
  ttftMs?: number;
  /** `token` events received. */
  tokens: number;
  /** The answer came from a guardrail. */
  blocked: boolean;
  /** What went wrong, for failed requests. */
  error?: string;
}

/** Nearest-rank percentile (`p` in 0..100) of `values`; undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** p50 / p95 / p99 of some values (ms). */
export interface Percentiles {
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
}

function percentiles(values: readonly number[]): Percentiles {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

/** Token and cost totals read from `/metrics` (after minus before). */
export interface ServerTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  costUsd: number;
}

/** The server-side totals of one `/metrics` scrape (the demo agent's own traffic, not evaluators'). */
export function serverTotals(samples: readonly MetricSample[]): ServerTotals {
  const demo = /(?!agentwatch-evaluator$).*/;
  const tokens = (type: string) =>
    sumSamples(samples, "gen_ai_client_token_usage_sum", { gen_ai_token_type: type, gen_ai_agent_name: demo });
  return {
    inputTokens: tokens("input"),
    outputTokens: tokens("output"),
    // A part of the input tokens, in its own metric.
    cacheReadTokens: sumSamples(samples, "agentwatch_token_usage_parts_total", { part: "cache_read", gen_ai_agent_name: demo }),
    costUsd: sumSamples(samples, "agentwatch_cost_usd_total", { agent: /(?!agentwatch-evaluator$).*/ }),
  };
}

/** Everything the final summary says. */
export interface LoadSummary {
  durationMs: number;
  sent: number;
  ok: number;
  errors: number;
  /** Arrivals not sent because `maxInFlight` requests were already in flight. */
  skipped: number;
  blocked: number;
  /** Failures by kind ("HTTP 502", "provider 429", "agent_step_limit", "no response", …). */
  errorsByKind: Record<string, number>;
  latencyMs: Percentiles;
  ttftMs: Percentiles;
  /** Streamed `token` events received. */
  streamedTokens: number;
  feedback: { up: number; down: number; failed: number };
  /** Server totals during the run, from `/metrics`; undefined when it could not be scraped. */
  server: ServerTotals | undefined;
}

/** Builds the summary of a run. */
export function summarize(input: {
  results: readonly RequestResult[];
  durationMs: number;
  skipped: number;
  feedback: { up: number; down: number; failed: number };
  before: readonly MetricSample[] | undefined;
  after: readonly MetricSample[] | undefined;
}): LoadSummary {
  const { results } = input;
  const errorsByKind: Record<string, number> = {};
  for (const r of results) {
    if (r.ok) continue;
    const kind = r.errorKind ?? (r.status === 0 ? "no response" : `HTTP ${r.status}`);
    errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1;
  }
  let server: ServerTotals | undefined;
  if (input.before !== undefined && input.after !== undefined) {
    const b = serverTotals(input.before);
    const a = serverTotals(input.after);
    server = {
      inputTokens: a.inputTokens - b.inputTokens,
      outputTokens: a.outputTokens - b.outputTokens,
      cacheReadTokens: a.cacheReadTokens - b.cacheReadTokens,
      costUsd: a.costUsd - b.costUsd,
    };
  }
  const ok = results.filter((r) => r.ok);
  return {
    durationMs: input.durationMs,
    sent: results.length,
    ok: ok.length,
    errors: results.length - ok.length,
    skipped: input.skipped,
    blocked: results.filter((r) => r.blocked).length,
    errorsByKind,
    latencyMs: percentiles(results.map((r) => r.latencyMs)),
    ttftMs: percentiles(ok.flatMap((r) => (r.ttftMs === undefined ? [] : [r.ttftMs]))),
    streamedTokens: results.reduce((sum, r) => sum + r.tokens, 0),
    feedback: { ...input.feedback },
    server,
  };
}

function ms(value: number | undefined): string {
  if (value === undefined) return "-";
  return value < 1000 ? `${Math.round(value)}ms` : `${(value / 1000).toFixed(2)}s`;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${((part / whole) * 100).toFixed(1)}%`;
}

/** The final summary as text. */
export function formatSummary(s: LoadSummary, context: { url: string; rps: number; incidents: readonly string[] }): string {
  const statuses = Object.entries(s.errorsByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind}: ${n}`)
    .join(", ");
  const rated = s.feedback.up + s.feedback.down;
  const lines = [
    `load summary: ${context.url}, ${context.rps} rps for ${formatDuration(s.durationMs)}, incidents: ${context.incidents.length > 0 ? context.incidents.join(", ") : "none"}`,
    `  requests  ${s.sent} sent, ${s.ok} ok, ${s.errors} errors (${pct(s.errors, s.sent)})${statuses ? ` [${statuses}]` : ""}, ${s.skipped} skipped, ${s.blocked} answered by a guardrail`,
    `  latency   p50 ${ms(s.latencyMs.p50)}  p95 ${ms(s.latencyMs.p95)}  p99 ${ms(s.latencyMs.p99)}`,
    `  TTFT      p50 ${ms(s.ttftMs.p50)}  p95 ${ms(s.ttftMs.p95)}  p99 ${ms(s.ttftMs.p99)}  (first streamed token)`,
    s.server === undefined
      ? `  tokens    ${s.streamedTokens} streamed (server totals unavailable: /metrics could not be read)`
      : `  tokens    input ${Math.round(s.server.inputTokens)} (cache read ${Math.round(s.server.cacheReadTokens)}), output ${Math.round(s.server.outputTokens)}; ${s.streamedTokens} streamed`,
    s.server === undefined ? "  cost      unavailable" : `  cost      $${s.server.costUsd.toFixed(6)} (from /metrics)`,
    `  feedback  ${rated} sent: ${s.feedback.up} up, ${s.feedback.down} down (${pct(s.feedback.up, rated)} positive)${s.feedback.failed > 0 ? `, ${s.feedback.failed} not accepted` : ""}`,
  ];
  return lines.join("\n");
}

/** One progress line: a bar, time, counts, latency. */
export function formatProgress(p: {
  elapsedMs: number;
  durationMs: number;
  sent: number;
  ok: number;
  errors: number;
  inFlight: number;
  latencyP95: number | undefined;
}): string {
  const share = Math.min(1, p.elapsedMs / p.durationMs);
  const width = 20;
  const filled = Math.round(share * width);
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  return `[${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${formatDuration(p.elapsedMs)}/${formatDuration(p.durationMs)} | ${p.sent} sent, ${p.ok} ok, ${p.errors} err, ${p.inFlight} in flight | p95 ${ms(p.latencyP95)}`;
}
