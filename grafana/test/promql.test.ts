/**
 * Every PromQL query of every dashboard (panel targets, annotations, `label_values()` variables)
 * and of the Tempo datasource's traces-to-metrics links, with Grafana's variables substituted, runs
 * against a real Prometheus (Debian's `prometheus`, see test-support/prometheus.ts) that loaded the
 * recording and alerting rules of prometheus/rules/ and scraped:
 *
 * - the demo agent (createApp with a fast scripted model, the demo's handler with budgets, guards
 *   and online evaluation of every run) under normal traffic, user feedback and every incident of
 *   the admin API in turn, plus feature-attributed runs, a human-in-the-loop interrupt, a
 *   supervisor's handoffs and a cancelled run, and its canaries (the demo's known-answer cases,
 *   passing in normal traffic and failing under silent-model-update);
 * - a "canary" handler configured to exercise the health metrics (a redact hook that throws, one
 *   label value per label, two open runs at most, a model without a price or usage), its spans
 *   exported through a monitoredBatchSpanProcessor to an endpoint that refuses every export;
 * - a real Pushgateway (Debian's `prometheus-pushgateway`) holding the offline evaluation results
 *   of prompt versions v1 and v2, pushed by @agentwatch/eval's `pushResults` as CI pushes them.
 *
 * Each query must evaluate without an error and return at least one finite sample, except the few
 * listed in ALLOWED_EMPTY with the reason. Queries that ask for exemplars must find trace ids.
 */
import { readFileSync } from "node:fs";
import { type AddressInfo } from "node:net";
import { join } from "node:path";

import {
  createDemoHandler,
  createInterruptingGraph,
  createSupportGraph,
  INCIDENT_NAMES,
  IncidentController,
  JAILBREAKS,
  NEW_PRODUCT_QUESTIONS,
  PII_MESSAGES,
  ScriptedChatModel,
  SUPPORT_QUESTIONS,
  SupportRuntime,
} from "@agentwatch/demo-agent";
import type { CanaryProber } from "@agentwatch/eval";
import { createHandoffGraph } from "@agentwatch/fixtures";
import { AgentWatchHandler, createOpenMetricsRegistry, monitoredBatchSpanProcessor } from "@agentwatch/middleware";
import { HumanMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { loadDemoCanaries } from "../../packages/demo-agent/src/demo-canaries.js";
import { createApp } from "../../packages/demo-agent/src/server.js";
import { compare, type EvalReport, pushResults } from "../../packages/eval/src/index.js";
import { type Prometheus, startMetricsServer, startPrometheus } from "../../test-support/prometheus.js";
import { Pushgateway } from "../../test-support/pushgateway.js";
import { committedDashboards, type FoundQuery, queriesOf, REPO_DIR, substitute } from "./support/dashboards.js";

/** Scripted-model delays are divided by this: a normal run takes a few tens of milliseconds. */
const SPEED = 100;

/**
 * Queries allowed to return no data here, by `dashboard uid / panel or annotation / refId`, with why.
 * Everything else must return data.
 */
const ALLOWED_EMPTY: Readonly<Record<string, string>> = {
  "tempo datasource / tracesToMetrics / Span latency p95 (Tempo span metrics)":
    "traces_spanmetrics_* come from Tempo's metrics generator (remote write), and Tempo cannot run on this machine",
  "agentwatch-internals / Model retries and fallbacks per second / B":
    "the demo agent has no fallback model (its retries are query A); the middleware's model-retries test counts fallbacks",
};

/**
 * Panels an incident (or the canary) must visibly move: the largest value of the query is at least
 * this. They show the dashboards answer "what is going on" and not only "is there data".
 */
const MOVED_BY_TRAFFIC: Readonly<Record<string, number>> = {
  "agentwatch-overview / Error ratio / A": 0.01, // error-burst
  "agentwatch-overview / Error ratio by agent / A": 0.01,
  "agentwatch-overview / Availability burn rate / A": 1, // 5 m window
  "agentwatch-overview / Failed model calls by type / A": 0.001,
  "agentwatch-internals / Model and retrieval calls: error ratio / A": 0.01,
  "agentwatch-internals / Throttled calls (HTTP 429) by provider / A": 0.01, // error-burst: about 19 % of its chat calls get a 429
  "agentwatch-internals / Model retries and fallbacks per second / A": 0.001, // error-burst: the agent retries each first 429
  "agentwatch-internals / Repeated tool calls (loops) / A": 1, // tool-loop
  "agentwatch-internals / Guard trips / A": 1, // tool-loop trips maxRepeatedToolCalls
  "agentwatch-internals / Human-in-the-loop interrupts / A": 1,
  "agentwatch-internals / Handoffs / A": 1,
  "agentwatch-overview / Agent runs by outcome / B": 0.001, // the cancelled run
  "agentwatch-internals / Best document score / A": 0.1,
  "agentwatch-cost / Unpriced model calls / A": 1, // the canary's models have no price
  "agentwatch-cost / Unpriced and estimated-usage calls / A": 1,
  "agentwatch-cost / Unpriced and estimated-usage calls / B": 1, // FakeListChatModel reports no usage
  "agentwatch-cost / Daily budget spent by feature / A": 1e-6,
  "agentwatch-cost / USD per hour by model / A": 1e-6, // cost-runaway's gpt-4.1 among them
  "agentwatch-health / Handler errors in the time range / A": 1, // the canary's redact hook throws
  "agentwatch-health / Handler errors by callback / A": 0.01,
  "agentwatch-health / Runs evicted in the time range / A": 1, // the canary keeps 2 open runs at most
  "agentwatch-health / Label values collapsed in the time range / A": 1, // and 1 value per label
  "agentwatch-health / Spans exported, failed and dropped / B": 0.01, // the canary's exports are refused
  "agentwatch-health / Span export failure ratio / A": 0.5,
  "agentwatch-quality / Template hashes per prompt version / A": 2, // prompt-drift
  "agentwatch-quality / Guardrail block and flag ratio / A": 0.05, // jailbreaks
  "agentwatch-quality / Response models and fingerprints in the time range / A": 1,
  "agentwatch-quality / Canary consecutive failures / A": 1, // silent-model-update, after the round's passing check
};
const finite = (values: number[]) => values.some((v) => Number.isFinite(v));

/** One global tracer set-up as the demo's main does it, so answers carry trace ids and exemplars link to them. */
function globalTracing(): BasicTracerProvider {
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new BasicTracerProvider();
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/** An offline evaluation report of the demo's prompt `version` (two cases, as the eval CLI would make it). */
function offlineReport(version: string, facts: number): EvalReport {
  const interval = (mean: number) => ({ mean, low: mean, high: mean, n: 2 });
  return {
    dataset: "acme-support",
    prompt: { name: "acme-support-system", version },
    startedAt: new Date().toISOString(),
    durationMs: 1000,
    samples: 1,
    confidence: 0.95,
    cases: [],
    byEvaluator: { facts: interval(facts), tool_trajectory: interval(1) },
    byTag: {},
    totals: { costUsd: 0.01, latencyP50Ms: 100, latencyP95Ms: 200, errors: 0 },
  };
}

interface Setup {
  prom: Prometheus;
  evalTime: number;
  startedAt: number;
  queries: { q: FoundQuery; expr: string }[];
  traffic: { requests: number; failed: number; ms: number };
}

describe("dashboard PromQL against a real Prometheus that scraped the demo agent", { timeout: 90_000 }, () => {
  const tracerProvider = globalTracing();
  const handler = createDemoHandler({
    tracerProvider,
    evaluationSampleRate: 1,
    budgets: { global: 2, agents: { "acme-support": 1 }, features: { "order-status": 0.5 } },
    guards: { maxRepeatedToolCalls: 2, maxToolCalls: 8, action: "record" },
  });
  // The canary's spans go to an OTLP endpoint nobody listens on, as the exporter reports it.
  const refused: SpanExporter = {
    export: (_spans, done) => {
      const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4318"), { code: "ECONNREFUSED" });
      setTimeout(() => done({ code: ExportResultCode.FAILED, error }), 1);
    },
    shutdown: () => Promise.resolve(),
  };
  const canaryRegistry = createOpenMetricsRegistry();
  const canaryTracing = new BasicTracerProvider({
    spanProcessors: [monitoredBatchSpanProcessor(refused, { registry: canaryRegistry, scheduledDelayMillis: 10 })],
  });
  const canary = new AgentWatchHandler({
    tracerProvider: canaryTracing,
    registry: canaryRegistry,
    agentName: "canary",
    captureContent: true,
    redact: () => {
      throw new Error("the canary's redact hook always fails");
    },
    maxLabelValues: 1,
    maxOpenRuns: 2,
  });
  const incidents = new IncidentController();
  const closers: (() => Promise<void>)[] = [];
  let prometheus: Prometheus | undefined;
  /** Largest finite value of each dashboard query, by `dashboard / panel / refId`. */
  const maxima = new Map<string, number>();

  /** Set up once, inside the first test that needs it (a failing beforeAll would only mark the tests skipped). */
  let setup: Promise<Setup> | undefined;
  const ready = () => (setup ??= start());

  async function start(): Promise<Setup> {
    const startedAt = Date.now() / 1000;
    // The demo's canaries, one round when the test asks for it (runOnce) and none on their own schedule.
    const canaryCases = await loadDemoCanaries();
    const app = createApp({
      handler,
      incidents,
      speed: SPEED,
      seed: 7,
      adminToken: undefined,
      canaries: { cases: canaryCases, intervalMs: 60_000, firstDelayMs: 3_600_000 },
    });
    const canaries = app.locals.canaries as CanaryProber;
    closers.push(() => canaries.stop());
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
    const canaryServer = await startMetricsServer((req, res) => canary.metricsHandler()(req, res));
    closers.push(() => canaryServer.close());

    const pushgateway = await Pushgateway.start();
    closers.push(() => pushgateway.stop());
    for (const [version, facts] of [
      ["v1", 0.92],
      ["v2", 0.71],
    ] as const) {
      const report = offlineReport(version, facts);
      await pushResults(pushgateway.url, report, compare(report, undefined, { minimum: { facts: 0.8 } }));
    }

    const rules = ["recording.yml", "alerts.yml"].map((f) => readFileSync(join(REPO_DIR, "prometheus/rules", f), "utf8"));
    const targets = [`127.0.0.1:${new URL(base).port}`, `127.0.0.1:${canaryServer.port}`, new URL(pushgateway.url).host];
    prometheus = await startPrometheus({ targets, rules });
    const prom = prometheus;
    // Prometheus's target discovery sends its first targets after about 5 s: traffic before the first
    // scrape would be one flat sample, so wait for every target to be up.
    await prom.waitFor("up == 1", (s) => s.length === targets.length, 20_000);

    const traffic = { requests: 0, failed: 0, ms: 0 };
    const t0 = Date.now();
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    /** One question; half of them as Server-Sent Events (streamed answers). Feedback for JSON answers. */
    const ask = async (message: string, i: number, rating?: "up" | "down") => {
      traffic.requests++;
      if (i % 2 === 1) {
        const res = await fetch(`${base}/chat?stream=1`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ message, user_id: "u-test" }),
        });
        const text = await res.text();
        if (text.includes("event: error")) traffic.failed++;
        return;
      }
      const res = await post("/chat", { message, user_id: "u-test" });
      const body = (await res.json()) as { trace_id?: string };
      if (!res.ok) traffic.failed++;
      if (rating !== undefined && res.ok && body.trace_id !== undefined) await post("/feedback", { trace_id: body.trace_id, rating });
      // Conversation outcomes for the Business row: most answers resolve, some convert, the rest are left.
      if (res.ok && body.trace_id !== undefined && i % 3 !== 2)
        await post("/outcome", { trace_id: body.trace_id, outcome: i % 6 === 0 ? "converted" : "resolved" });
    };
    /** Questions four at a time. */
    const wave = async (messages: string[], rating?: (i: number) => "up" | "down" | undefined) => {
      for (let i = 0; i < messages.length; i += 4) {
        await Promise.all(messages.slice(i, i + 4).map((m, j) => ask(m, i + j, rating?.(i + j))));
      }
    };
    const support = SUPPORT_QUESTIONS.map((q) => q.text);
    const orders = support.slice(0, 4);

    // Every incident, started and stopped through the admin API, with feedback in several of them.
    const plan: Record<string, { messages: string[]; rating?: "up" | "down" }> = {
      "latency-spike": { messages: support.slice(4, 7), rating: "up" },
      "stream-stall": { messages: support.slice(1, 4) }, // half of them streamed over SSE, as every wave asks
      "error-burst": { messages: support }, // 30 % of model calls fail: enough runs that some surely do
      "tool-loop": { messages: orders.slice(0, 3) },
      "cost-runaway": { messages: support.slice(5, 8) },
      "prompt-regression": { messages: support.slice(8, 12), rating: "down" },
      "prompt-drift": { messages: support.slice(12, 15), rating: "down" },
      "silent-model-update": { messages: support.slice(2, 5), rating: "up" },
      "guardrail-storm": { messages: [...JAILBREAKS.map((q) => q.text), ...PII_MESSAGES.slice(2).map((q) => q.text)] },
      "topic-shift": { messages: NEW_PRODUCT_QUESTIONS.slice(0, 3).map((q) => q.text) },
      "retrieval-degradation": { messages: support.slice(9, 12) },
      // The two-factor question quotes the attacker's article: an output-stage harmful_content block.
      "poisoned-document": { messages: support.slice(13, 15) },
      "cache-miss": { messages: support.slice(6, 9), rating: "up" },
    };
    const runtime = new SupportRuntime({ handler, speed: SPEED });
    /**
     * One round of everything. rate() and increase() count only what happens between two samples of
     * a series, so a short priming round creates the series (one scrape sees them) before the full round.
     */
    const round = async (full: boolean) => {
      const take = (messages: string[], n: number) => (full ? messages : messages.slice(0, n));
      // Normal traffic: support questions, a few jailbreaks and PII messages, mostly positive feedback.
      await wave(
        [
          ...take(support, 4),
          ...JAILBREAKS.slice(0, full ? 2 : 1).map((q) => q.text),
          ...PII_MESSAGES.slice(0, full ? 2 : 1).map((q) => q.text),
        ],
        (i) => (i % 6 === 4 ? "down" : "up"),
      );
      // Canaries pass on the normal model (agentwatch_canary_last_success_timestamp_seconds exists).
      await canaries.runOnce();
      for (const name of INCIDENT_NAMES) {
        const step = plan[name];
        if (step === undefined) throw new Error(`no traffic planned for incident ${name}`);
        const started = await post(`/admin/incidents/${name}`, {});
        if (!started.ok) throw new Error(`POST /admin/incidents/${name} answered ${started.status}: ${await started.text()}`);
        await wave(take(step.messages, name === "error-burst" ? 6 : 2), () => step.rating);
        // The new snapshot answers in ten words: the canaries' later facts are missing, they fail.
        if (name === "silent-model-update") await canaries.runOnce();
        // The last incident stays on at the end (the incident annotation).
        if (!full || name !== INCIDENT_NAMES.at(-1)) await fetch(`${base}/admin/incidents/${name}`, { method: "DELETE" });
      }
      // Runs that name a feature (the demo's HTTP API sets none), and a human-in-the-loop interrupt.
      await runtime
        .current()
        .graph.invoke({ messages: [new HumanMessage(orders[0] ?? "")] }, { callbacks: [handler], metadata: { feature: "order-status" } });
      await createInterruptingGraph().invoke(
        { request: "refund order AB-1234" },
        { callbacks: [handler], configurable: { thread_id: `refund-${full}` } },
      );
      // A supervisor handing off to its experts and back.
      await createHandoffGraph().invoke({ task: "summarise the refund policy" }, { callbacks: [handler] });
      // A run its caller cancels (aborts the signal while the model answers): cancelled, not an error.
      const leaving = new AbortController();
      setTimeout(() => leaving.abort(), 50);
      await createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 500 }) })
        .invoke({ messages: [new HumanMessage(orders[1] ?? "")] }, { callbacks: [handler], signal: leaving.signal })
        .catch(() => undefined);
      // The canary: handler errors (redact throws), label overflow (1 value per label), evictions (2 open runs), unpriced and estimated usage.
      await createSupportGraph({ model: new ScriptedChatModel({ speed: 1000 }) }).invoke(
        { messages: [new HumanMessage("Where is my order AB-1234?")] },
        { callbacks: [canary] },
      );
      await new FakeListChatModel({ responses: ["fine, thanks"] }).invoke("hello", { callbacks: [canary] });
      // Its spans' exports fail (a failed flush rejects).
      await canaryTracing.forceFlush().catch(() => undefined);
      await handler.evaluationsIdle();
    };
    await round(false);
    const primed = Date.now() / 1000;
    await prom.waitFor(`min(timestamp(up)) > ${primed + 0.05}`, (x) => x.length === 1, 10_000);
    await round(true);
    await handler.evaluationsIdle();
    traffic.ms = Date.now() - t0;

    // Two scrapes of every target after the last run (rate() and increase() need two samples of each series),
    // then the rules' evaluation of them.
    const trafficEnd = Date.now() / 1000;
    await prom.waitFor(`min(timestamp(up)) > ${trafficEnd + 1.05}`, (s) => s.length === 1, 15_000);
    await prom.waitFor('scope:agentwatch_budget_spent:ratio_increase1d{scope="feature"}', (s) => s.length > 0, 10_000);
    await prom.waitFor('ALERTS{alertstate="firing"}', (s) => s.length > 0, 10_000);

    const queries = committedDashboards().flatMap(({ json }) =>
      queriesOf(json).map((q) => ({ q, expr: q.kind === "traceql" ? "" : substitute(q.raw, json) })),
    );
    return { prom, evalTime: Date.now() / 1000, startedAt, queries, traffic };
  }

  afterAll(async () => {
    await prometheus?.stop();
    for (const close of closers) await close();
    handler.shutdown();
    canary.shutdown();
    await canaryTracing.shutdown().catch(() => undefined);
  }, 20_000);

  it("drove the demo: normal traffic and every incident, some requests failing", async () => {
    const { prom, traffic } = await ready();
    expect(await prom.targetsUp(), JSON.stringify(await prom.targets())).toBe(true);
    expect(traffic.requests).toBeGreaterThan(50);
    expect(traffic.failed, "error-burst and tool-loop fail some runs").toBeGreaterThan(0);
    expect(traffic.ms, "traffic took too long for a fast test").toBeLessThan(30_000);
  });

  it("evaluates every dashboard query without an error, and each returns data (ALLOWED_EMPTY aside)", async () => {
    const { prom, queries, evalTime } = await ready();
    const failures: string[] = [];
    const empty: string[] = [];
    maxima.clear();
    let evaluated = 0;
    for (const { q, expr } of queries) {
      if (q.kind !== "promql") continue;
      evaluated++;
      const key = `${q.dashboard} / ${q.where} / ${q.refId}`;
      try {
        const { samples } = await prom.query(expr, evalTime);
        maxima.set(key, Math.max(-Infinity, ...samples.map((x) => x.value).filter((v) => Number.isFinite(v))));
        if (!finite(samples.map((s) => s.value)) && ALLOWED_EMPTY[key] === undefined)
          empty.push(`${key}\n    ${expr}\n    -> ${JSON.stringify(samples.slice(0, 3))}`);
      } catch (error) {
        failures.push(`${key}\n    ${expr}\n    -> ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(evaluated).toBeGreaterThan(100);
    expect(failures, `queries Prometheus rejected:\n${failures.join("\n")}`).toEqual([]);
    expect(empty, `queries without data:\n${empty.join("\n")}\nprometheus log:\n${prom.logTail(10)}`).toEqual([]);
  });

  it("shows each incident on the panels it should move (MOVED_BY_TRAFFIC)", async () => {
    await ready();
    if (maxima.size === 0) throw new Error("run together with the query test above");
    const flat: string[] = [];
    for (const [key, least] of Object.entries(MOVED_BY_TRAFFIC)) {
      const max = maxima.get(key);
      if (max === undefined) flat.push(`${key}: no such query`);
      else if (!(max >= least)) flat.push(`${key}: largest value ${max}, expected at least ${least}`);
    }
    expect(flat, flat.join("\n")).toEqual([]);
  });

  it("finds exemplars with trace ids for every query that asks for them", async () => {
    const { prom, queries, startedAt } = await ready();
    const missing: string[] = [];
    const withExemplars = queries.filter(({ q }) => q.exemplar);
    expect(withExemplars.length).toBeGreaterThanOrEqual(7);
    for (const { q, expr } of withExemplars) {
      const series = await prom.exemplars(expr, startedAt - 60, Date.now() / 1000 + 60);
      const ids = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id)).filter((id) => id !== undefined);
      if (ids.length === 0 || !ids.every((id) => /^[0-9a-f]{32}$/.test(id)))
        missing.push(`${q.dashboard} / ${q.where} / ${q.refId}: ${expr}`);
    }
    expect(missing, missing.join("\n")).toEqual([]);
  });

  it("gives every label_values() variable values", async () => {
    const { prom, queries, startedAt } = await ready();
    const problems: string[] = [];
    for (const { q, expr } of queries.filter(({ q }) => q.kind === "label_values")) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(expr);
      if (m === null) {
        problems.push(`${q.dashboard} / ${q.where}: not label_values(series, label): ${expr}`);
        continue;
      }
      const params = new URLSearchParams({ "match[]": m[1] ?? "", start: String(startedAt - 60), end: String(Date.now() / 1000) });
      const res = await fetch(`${prom.url}/api/v1/label/${m[2] ?? ""}/values?${params}`);
      const body = (await res.json()) as { status: string; data?: string[]; error?: string };
      if (body.status !== "success" || (body.data ?? []).length === 0)
        problems.push(`${q.dashboard} / ${q.where}: ${expr} -> ${JSON.stringify(body)}`);
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("runs the Tempo datasource's traces-to-metrics queries for a span of the demo agent", async () => {
    const { prom, evalTime } = await ready();
    const provisioning = parse(readFileSync(join(REPO_DIR, "grafana/provisioning/datasources/datasources.yaml"), "utf8")) as {
      datasources: { uid: string; jsonData?: { tracesToMetrics?: { queries: { name: string; query: string }[] } } }[];
    };
    const links = provisioning.datasources.find((d) => d.uid === "tempo")?.jsonData?.tracesToMetrics?.queries ?? [];
    expect(links.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { name, query } of links) {
      // Grafana's provisioning turns $$ into $; the span's gen_ai.agent.name tag becomes the label matcher.
      const expr = query.replaceAll("$$", "$").replaceAll("$__tags", 'gen_ai_agent_name="acme-support"');
      const key = `tempo datasource / tracesToMetrics / ${name}`;
      try {
        const { samples } = await prom.query(expr, evalTime);
        maxima.set(key, Math.max(-Infinity, ...samples.map((x) => x.value).filter((v) => Number.isFinite(v))));
        if (!finite(samples.map((s) => s.value)) && ALLOWED_EMPTY[key] === undefined) problems.push(`${key}: no data from ${expr}`);
      } catch (error) {
        problems.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("lists no stale ALLOWED_EMPTY entry", async () => {
    const { queries } = await ready();
    const keys = new Set(queries.map(({ q }) => `${q.dashboard} / ${q.where} / ${q.refId}`));
    for (const key of Object.keys(ALLOWED_EMPTY)) {
      if (!key.startsWith("tempo datasource /")) expect(keys.has(key), key).toBe(true);
    }
  });
});
