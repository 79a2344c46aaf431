/**
 * Other products' GenAI dashboards, run against a real Prometheus (Debian's `prometheus`) scraping
 * the demo agent: do they read agentwatch's metrics right? Each query is quoted from its source
 * (named next to it) with the product's own variables filled in; its answer is compared with the
 * truth counted from the spans the same requests produced, never with our own metrics.
 *
 * Counters are compared through ratios over one window (error ratio, tokens per operation, input
 * share): every series of a target is scraped at the same instants, so `increase()`'s
 * extrapolation scales numerator and denominator alike, once every series holds about as much before
 * the window as the window adds (see the warm-up) and no series is born inside it (checked). Every
 * query is evaluated at one instant after the window. Counting cache parts twice is +18 % here, a
 * missing error series -100 %. Raw totals are compared exactly, with instant queries of the
 * counters themselves.
 */
import { type AddressInfo } from "node:net";

import { createDemoHandler, IncidentController, SUPPORT_QUESTIONS } from "@agentwatch/demo-agent";
import { ATTR, BUCKETS } from "@agentwatch/middleware";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { createApp } from "../../packages/demo-agent/src/server.js";
import { type Prometheus, startPrometheus } from "../../test-support/prometheus.js";

/**
 * Grafana Sigil, Grafana's GenAI observability app: the dashboard's PromQL, from
 * github.com/grafana/sigil apps/plugin/src/dashboard/queries.ts (commit 684172cc), with no filters
 * selected (`sel(filters)` is empty) and `rangeDuration` the test's window.
 */
const sigil = {
  totalOps: (range: string) => `sum(increase(gen_ai_client_operation_duration_seconds_count[${range}]))`,
  totalTokens: (range: string) => `sum(increase(gen_ai_client_token_usage_sum[${range}]))`,
  errorRate: (range: string) =>
    `(sum(increase(gen_ai_client_operation_duration_seconds_count{error_type!=""}[${range}])) / sum(increase(gen_ai_client_operation_duration_seconds_count[${range}]))) * 100`,
  tokenUsageOverTime: (interval: string) => `sum by (gen_ai_token_type) (rate(gen_ai_client_token_usage_sum[${interval}]))`,
  callsByProvider: (range: string) => `sum by (gen_ai_provider_name) (increase(gen_ai_client_operation_duration_seconds_count[${range}]))`,
  topModels: (range: string) =>
    `topk(10, sum by (gen_ai_provider_name, gen_ai_request_model) (increase(gen_ai_client_operation_duration_seconds_count[${range}])))`,
  tokensByModelAndType: (range: string) =>
    `sum by (gen_ai_request_model, gen_ai_token_type) (increase(gen_ai_client_token_usage_sum[${range}]))`,
  latencyP95: (interval: string) =>
    `histogram_quantile(0.95, sum by (le) (rate(gen_ai_client_operation_duration_seconds_bucket[${interval}])))`,
  /** Sigil's own name: v1.41.1 calls it gen_ai.client.operation.time_to_first_chunk. */
  ttftP95: (interval: string) =>
    `histogram_quantile(0.95, sum by (le) (rate(gen_ai_client_time_to_first_token_seconds_bucket[${interval}])))`,
};

/**
 * OpenLIT's dashboards (also Grafana Cloud's AI Observability, built on OpenLIT:
 * grafana.com/docs/grafana-cloud/monitor-applications/ai-observability/genai/observability/) read
 * OpenLIT's own metric names, which no conventions release defines: they cannot work with any
 * instrumentation that follows the conventions, ours included.
 */
const OPENLIT_OWN_NAMES = [
  "sum(increase(gen_ai_total_requests[1h]))",
  "sum(increase(gen_ai_usage_input_tokens_total[1h]))",
  "sum(increase(gen_ai_usage_output_tokens_total[1h]))",
  "sum(increase(gen_ai_usage_cost_USD_sum[1h]))",
];

/** Operations agentwatch records in gen_ai.client.operation.duration and token usage. */
const CLIENT_OPERATIONS = new Set(["chat", "text_completion", "embeddings", "retrieval"]);

interface Truth {
  operations: number;
  errors: number;
  input: number;
  output: number;
  providers: Set<string>;
  models: Map<string, { input: number; output: number }>;
  /** Seconds each operation took. */
  durations: number[];
}

function truthOf(spans: readonly ReadableSpan[]): Truth {
  const truth: Truth = { operations: 0, errors: 0, input: 0, output: 0, providers: new Set(), models: new Map(), durations: [] };
  for (const span of spans) {
    if (!CLIENT_OPERATIONS.has(String(span.attributes[ATTR.operationName]))) continue;
    truth.operations++;
    truth.durations.push(span.duration[0] + span.duration[1] / 1e9);
    if (span.status.code === 2) truth.errors++;
    const input = Number(span.attributes[ATTR.usageInputTokens] ?? 0);
    const output = Number(span.attributes[ATTR.usageOutputTokens] ?? 0);
    truth.input += input;
    truth.output += output;
    const provider = span.attributes[ATTR.providerName];
    if (typeof provider === "string") truth.providers.add(provider);
    const model = span.attributes[ATTR.requestModel];
    if (typeof model === "string" && input + output > 0) {
      const m = truth.models.get(model) ?? { input: 0, output: 0 };
      m.input += input;
      m.output += output;
      truth.models.set(model, m);
    }
  }
  return truth;
}

/** `actual` within 1 % of `expected`. */
function expectNear(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual / expected - 1), `${what}: ${actual} vs ${expected}`).toBeLessThan(0.01);
}

/** The label sets of the operation-duration and token-usage counters Prometheus holds now. */
async function seriesOf(prom: Prometheus): Promise<Set<string>> {
  const { samples } = await prom.query("gen_ai_client_operation_duration_seconds_count or gen_ai_client_token_usage_sum");
  return new Set(samples.map((s) => JSON.stringify(Object.entries(s.metric).sort())));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("third-party GenAI dashboard queries against a real Prometheus scraping the demo", () => {
  const exporter = new InMemorySpanExporter();
  const handler = createDemoHandler({
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    evaluationSampleRate: 0,
  });
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await handler.shutdown();
  });

  interface Setup {
    prom: Prometheus;
    range: string;
    /** What the window's requests did, from their spans. */
    window: Truth;
    /** Everything since the demo started, from the spans. */
    all: Truth;
    /** The instant every query is evaluated at: after the window, with no traffic since. */
    at: Date;
  }
  let setup: Promise<Setup> | undefined;
  const ready = () => (setup ??= start());

  async function start(): Promise<Setup> {
    const incidents = new IncidentController();
    const app = createApp({ handler, incidents, speed: 100, seed: 3, adminToken: undefined });
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const prom = await startPrometheus({ targets: [`127.0.0.1:${new URL(base).port}`] });
    closers.push(() => prom.stop());
    await prom.waitFor("up == 1", (s) => s.length === 1, 20_000);
    const ask = (message: string, streamed: boolean) =>
      fetch(`${base}/chat${streamed ? "?stream=1" : ""}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, user_id: "u-third-party" }),
      }).then((res) => res.text());
    const questions = SUPPORT_QUESTIONS.map((q) => q.text);
    /** The window's traffic: every question, half streamed, then every question under error-burst. */
    const traffic = async () => {
      for (let i = 0; i < questions.length; i += 4) await Promise.all(questions.slice(i, i + 4).map((q, j) => ask(q, (i + j) % 2 === 1)));
      incidents.start("error-burst");
      for (let i = 0; i < questions.length; i += 4) await Promise.all(questions.slice(i, i + 4).map((q) => ask(q, false)));
      incidents.stop("error-burst");
    };
    // Warm-up: the window's traffic once before it opens, so every series exists and already holds
    // about what the window adds. increase() cannot count a series' first value, and it caps its
    // extrapolation at the instant a series would have been zero: a series that held 1 before the
    // window was cut short by 1-2 % against the others, enough to move a ratio past 1 %.
    // The error-burst incident fails 30 % of model calls with 429 or 500: on until both were seen.
    await traffic();
    incidents.start("error-burst");
    const errorTypes = () =>
      new Set(
        exporter
          .getFinishedSpans()
          .filter((s) => s.attributes[ATTR.operationName] === "chat" && s.status.code === 2)
          .map((s) => String(s.attributes[ATTR.errorType])),
      );
    for (let i = 0; i < 80 && errorTypes().size < 2; i++) await ask(questions[i % questions.length] ?? "", false);
    expect([...errorTypes()].sort()).toEqual(["429", "500"]);
    incidents.stop("error-burst");
    await sleep(3000);
    const before = truthOf(exporter.getFinishedSpans());
    const seriesBefore = await seriesOf(prom);
    const opened = Date.now();
    await traffic();
    await sleep(3000); // the last values scraped a few times
    // Queries are evaluated at this instant, not when each test runs: a range that ended later would
    // slide past the window's first requests (all without errors) and raise the error rate.
    const at = new Date();
    // increase() cannot count a series' first value: one born inside the window breaks every ratio.
    expect(
      [...(await seriesOf(prom))].filter((k) => !seriesBefore.has(k)),
      "series born inside the window",
    ).toEqual([]);
    const all = truthOf(exporter.getFinishedSpans());
    const models = new Map(
      [...all.models].map(([model, m]) => {
        const earlier = before.models.get(model) ?? { input: 0, output: 0 };
        return [model, { input: m.input - earlier.input, output: m.output - earlier.output }];
      }),
    );
    const window: Truth = {
      operations: all.operations - before.operations,
      errors: all.errors - before.errors,
      input: all.input - before.input,
      output: all.output - before.output,
      providers: all.providers,
      models,
      durations: all.durations.slice(before.durations.length),
    };
    const range = `${Math.ceil((at.getTime() - opened) / 1000) + 1}s`;
    return { prom, range, window, all, at };
  }

  const scalar = async (prom: Prometheus, promql: string, at: Date): Promise<number> => {
    const result = await prom.query(promql, at);
    expect(result.samples, promql).toHaveLength(1);
    return result.samples[0]?.value ?? NaN;
  };

  it("Sigil's error rate equals the share of failed operations", async () => {
    const { prom, range, window, at } = await ready();
    expect(window.errors).toBeGreaterThan(0);
    expectNear(await scalar(prom, sigil.errorRate(range), at), (window.errors / window.operations) * 100, "error rate");
  });

  it("Sigil's total tokens per operation equal input + output tokens per operation: no token counted twice", async () => {
    const { prom, range, window, at } = await ready();
    const tokens = await scalar(prom, sigil.totalTokens(range), at);
    const operations = await scalar(prom, sigil.totalOps(range), at);
    expectNear(tokens / operations, (window.input + window.output) / window.operations, "tokens per operation");
  });

  it("the raw token counter summed over every label equals input + output tokens", async () => {
    const { prom, all, at } = await ready();
    expect(await scalar(prom, "sum(gen_ai_client_token_usage_sum)", at)).toBe(all.input + all.output);
  });

  it("Sigil's token usage over time shows input and output only, in the right shares", async () => {
    const { prom, range, window, at } = await ready();
    const samples = (await prom.query(sigil.tokenUsageOverTime(range), at)).samples;
    const byType = Object.fromEntries(samples.map((s) => [s.metric.gen_ai_token_type ?? "", s.value]));
    expect(Object.keys(byType).sort()).toEqual(["input", "output"]);
    expectNear(
      (byType.input ?? 0) / ((byType.input ?? 0) + (byType.output ?? 0)),
      window.input / (window.input + window.output),
      "input share",
    );
  });

  it("Sigil's calls by provider and top models name a provider for every call", async () => {
    const { prom, range, all, at } = await ready();
    const providers = (await prom.query(sigil.callsByProvider(range), at)).samples.map((s) => s.metric.gen_ai_provider_name ?? "");
    expect(providers).not.toContain("");
    expect(new Set(providers)).toEqual(all.providers);
    const models = (await prom.query(sigil.topModels(range), at)).samples;
    expect(models.every((s) => (s.metric.gen_ai_provider_name ?? "") !== "")).toBe(true);
  });

  it("Sigil's tokens by model and type (its cost input) match each model's input and output", async () => {
    const { prom, range, window, at } = await ready();
    const samples = (await prom.query(sigil.tokensByModelAndType(range), at)).samples;
    expect(new Set(samples.map((s) => s.metric.gen_ai_token_type))).toEqual(new Set(["input", "output"]));
    for (const [model, truth] of window.models) {
      const of = (type: string) =>
        samples.find((s) => s.metric.gen_ai_request_model === model && s.metric.gen_ai_token_type === type)?.value ?? 0;
      if (truth.input + truth.output === 0) continue;
      expectNear(of("input") / (of("input") + of("output")), truth.input / (truth.input + truth.output), `${model} input share`);
    }
  });

  it("Sigil's latency p95 lands in the buckets of the true 90th to 99th percentile", async () => {
    const { prom, range, window, at } = await ready();
    const p95 = await scalar(prom, sigil.latencyP95(range), at);
    const sorted = [...window.durations].sort((a, b) => a - b);
    const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    const bounds = [0, ...BUCKETS.operationDuration, Infinity];
    const lower = bounds.filter((b) => b < quantile(0.9)).at(-1) ?? 0;
    const upper = bounds.find((b) => b >= quantile(0.99)) ?? Infinity;
    expect(p95).toBeGreaterThanOrEqual(lower);
    expect(p95).toBeLessThanOrEqual(upper);
  });

  it("Sigil's time to first token cannot work: it reads Sigil's own metric name, not the conventions' time_to_first_chunk", async () => {
    const { prom, range, at } = await ready();
    expect((await prom.query(sigil.ttftP95(range), at)).samples).toEqual([]);
    expect((await prom.query(`sum(rate(gen_ai_client_operation_time_to_first_chunk_seconds_count[${range}]))`, at)).samples).toHaveLength(
      1,
    );
  });

  it("OpenLIT's dashboards cannot work: they read OpenLIT's own metric names", async () => {
    const { prom, at } = await ready();
    for (const promql of OPENLIT_OWN_NAMES) expect((await prom.query(promql, at)).samples, promql).toEqual([]);
  });
});
