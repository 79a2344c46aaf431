/**
 * `/metrics` is written by our own renderer (metrics/exposition.ts), not by prom-client's
 * `registry.metrics()`: its output must stay byte for byte what prom-client gives (OpenMetrics
 * from an OpenMetrics registry, the text format from a text registry) and what
 * `renderPrometheusText` is defined as (the text format written from `getMetricsAsJSON()`).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { Counter, Gauge, Histogram, Registry, Summary } from "prom-client";
import { describe, expect, it } from "vitest";

import {
  AgentWatchHandler,
  createOpenMetricsRegistry,
  metricsHandler,
  type MetricsRegistry,
  renderMetrics,
  renderPrometheusText,
} from "../src/index.js";

const OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0";
const TEXT_ACCEPT = "text/plain;version=0.0.4";

type JsonSample = { labels: Record<string, unknown>; value: number; metricName?: string };

/** The text format as `renderPrometheusText` defines it, written plainly from `getMetricsAsJSON()`. */
async function textFromJson(registry: MetricsRegistry): Promise<string> {
  const escape = (s: string, quotes: boolean) => {
    const out = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
    return quotes ? out.replace(/"/g, '\\"') : out;
  };
  const value = (v: number) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : String(v));
  const families: string[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    const name = type === "counter" ? `${metric.name.replace(/_total$/, "")}_total` : metric.name;
    const lines = [`# HELP ${name} ${escape(metric.help, false)}`, `# TYPE ${name} ${type}`];
    for (const sample of metric.values as JsonSample[]) {
      const pairs = Object.entries(sample.labels)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}="${escape(String(v), true)}"`);
      const labels = pairs.length > 0 ? `{${pairs.join(",")}}` : "";
      lines.push(`${type === "counter" ? name : (sample.metricName ?? name)}${labels} ${value(sample.value)}`);
    }
    families.push(lines.join("\n"));
  }
  return families.length > 0 ? `${families.join("\n\n")}\n` : "";
}

/** A histogram whose `get()` is its own: the text format must be written from it, not from the series. */
class AuditedHistogram extends Histogram {
  override async get() {
    const data = await super.get();
    return { ...data, values: data.values.filter((v) => v.metricName?.endsWith("_sum") !== true) };
  }
}

/** Everything the renderer has a branch for, on `registry`. */
function populate(registry: MetricsRegistry, options: { exemplars: boolean }): void {
  const registers = [registry];
  const jobs = new Counter({ name: "jobs_total", help: "Jobs done.", labelNames: ["kind", "service"], registers });
  jobs.inc({ kind: 'quote"back\\slash\nnewline' }, 2);
  jobs.inc({ kind: "", service: "own" }); // an empty value, and a label the defaults also name
  jobs.inc({ kind: "plain" }, 0.1);
  jobs.inc({ kind: "blank", service: "" });
  new Counter({ name: "retries", help: "Retries, no _total.", registers }).inc();
  new Counter({ name: "never_total", help: "Never incremented.", labelNames: ["kind"], registers });
  const depth = new Gauge({ name: "queue_depth", help: 'Help with "quotes", a \\ and a\nnewline.', labelNames: ["q"], registers });
  depth.set({ q: "nan" }, Number.NaN);
  depth.set({ q: "inf" }, Number.POSITIVE_INFINITY);
  depth.set({ q: "-inf" }, Number.NEGATIVE_INFINITY);
  depth.set({ q: "1e21" }, 1e21);
  for (const q of ["only\nnewline", "only\\backslash", 'only"quote']) depth.set({ q }, 1);
  new Gauge({ name: "two_lines", help: "Help on\ntwo lines.", registers }).set(1);
  new Gauge({ name: "back_slash", help: "Help with a \\ only.", registers }).set(1);
  depth.set({ q: 7 as unknown as string }, -0.000001);
  new Gauge({ name: "empty_labels", help: "A gauge without labels.", registers }).set(3);
  new Gauge({
    name: "collected",
    help: "Set when scraped, asynchronously.",
    labelNames: ["source"],
    registers,
    async collect() {
      await Promise.resolve();
      this.set({ source: "collect" }, 42);
    },
  });
  const latency = new Histogram({
    name: "latency_seconds",
    help: "With exemplars when the registry serves OpenMetrics.",
    labelNames: ["route", "service"],
    buckets: [0.005, 0.1, 1, 2.5],
    registers,
    enableExemplars: options.exemplars,
  });
  const observe = (labels: Record<string, string>, value: number, traceId?: string) => {
    if (options.exemplars) {
      const exemplarLabels = traceId === undefined ? {} : { trace_id: traceId, span_id: "b".repeat(16) };
      // prom-client's types take exemplar labels to be the histogram's own label names; they are not.
      latency.observe({ labels, value, exemplarLabels } as never);
    } else latency.observe(labels, value);
  };
  observe({ route: "/a" }, 0.05, "a".repeat(32));
  observe({ route: "/a" }, 0.07);
  observe({ route: "/a" }, 3, "c".repeat(32)); // above every bound: the +Inf bucket's exemplar
  observe({ route: 'x"y\\z\nw', service: "own" }, 0.5);
  observe({ route: "" }, 0.001);
  const plain = new Histogram({ name: "size_bytes", help: "No labels.", buckets: [10, 100], registers });
  plain.observe(42);
  plain.observe(1000);
  new Histogram({ name: "unobserved", help: "Labels, no series.", labelNames: ["x"], buckets: [1], registers });
  new Histogram({
    name: "collected_seconds",
    help: "Observed when scraped, asynchronously.",
    labelNames: ["source"],
    buckets: [1],
    registers,
    async collect() {
      await Promise.resolve();
      this.reset();
      this.observe({ source: "collect" }, 0.5);
    },
  });
  const audited = new AuditedHistogram({ name: "audited_seconds", help: "Own get().", labelNames: ["r"], buckets: [1], registers });
  audited.observe({ r: "x" }, 0.5);
  const summary = new Summary({ name: "payload_bytes", help: "Someone else's summary.", labelNames: ["op"], registers });
  for (const v of [1, 2, 3, 100]) summary.observe({ op: "put" }, v);
}

/** Our OpenMetrics and text bodies for `registry`, and prom-client's / the JSON-written references. */
async function bothFormats(registry: MetricsRegistry) {
  const openMetrics = (await renderMetrics(registry, OPENMETRICS_ACCEPT)).body;
  const text = (await renderMetrics(registry, TEXT_ACCEPT)).body;
  return { openMetrics, text, expectedOpenMetrics: await registry.metrics(), expectedText: await textFromJson(registry) };
}

describe("the /metrics renderer", () => {
  it("writes an OpenMetrics registry as prom-client does, and its text format as getMetricsAsJSON gives it", async () => {
    const registry = createOpenMetricsRegistry();
    populate(registry, { exemplars: true });
    // Twice: prom-client's `metrics()` strips `_total` off counter names in place the first time.
    for (let i = 0; i < 2; i++) {
      const { openMetrics, text, expectedOpenMetrics, expectedText } = await bothFormats(registry);
      expect(openMetrics).toBe(expectedOpenMetrics);
      expect(text).toBe(expectedText);
      expect(await renderPrometheusText(registry)).toBe(expectedText);
    }
    const { openMetrics, text } = await bothFormats(registry);
    // The branches the comparison is about are there.
    expect(openMetrics).toContain(
      `latency_seconds_bucket{le="0.1",route="/a"} 2 # {trace_id="${"a".repeat(32)}",span_id="bbbbbbbbbbbbbbbb"} 0.05 `,
    );
    expect(openMetrics).toContain(`latency_seconds_bucket{le="+Inf",route="/a"} 3 # {trace_id="${"c".repeat(32)}"`);
    expect(openMetrics).toContain('jobs_total{kind="quote\\"back\\\\slash\\nnewline"} 2');
    expect(openMetrics).toContain('queue_depth{q="nan"} Nan');
    expect(openMetrics).toMatch(/# EOF\n$/);
    expect(text).toContain('queue_depth{q="nan"} NaN');
    expect(text).toContain('collected{source="collect"} 42');
    expect(openMetrics).toContain('collected_seconds_bucket{le="1",source="collect"} 1');
    expect(text).not.toContain("# {");
    expect(text).not.toContain("audited_seconds_sum");
  });

  it("puts the registry's default labels where prom-client and getMetricsAsJSON each put them", async () => {
    const registry = createOpenMetricsRegistry();
    registry.setDefaultLabels({ service: "support", region: "eu" });
    populate(registry, { exemplars: true });
    // Before anything calls getMetricsAsJSON, which writes the defaults into counter and gauge series for good.
    const first = (await renderMetrics(registry, OPENMETRICS_ACCEPT)).body;
    expect(first).toBe(await registry.metrics());
    expect(first).toContain('jobs_total{kind="blank",service="",region="eu"} 1');
    for (let i = 0; i < 2; i++) {
      const { openMetrics, text, expectedOpenMetrics, expectedText } = await bothFormats(registry);
      expect(openMetrics).toBe(expectedOpenMetrics);
      expect(text).toBe(expectedText);
    }
    const { openMetrics, text } = await bothFormats(registry);
    // prom-client: a bucket's le, the defaults the series lacks, then the series labels...
    expect(openMetrics).toContain('latency_seconds_bucket{le="1",region="eu",route="x\\"y\\\\z\\nw",service="own"} 1');
    // ...and getMetricsAsJSON: the series labels, then the defaults; a default replaces an empty value.
    expect(text).toContain('latency_seconds_bucket{le="1",route="x\\"y\\\\z\\nw",service="own",region="eu"} 1');
    expect(text).toContain('jobs_total{kind="blank",service="support",region="eu"} 1');
  });

  it("writes a default label named le as prom-client does", async () => {
    const registry = createOpenMetricsRegistry();
    registry.setDefaultLabels({ le: "odd", service: "support" });
    populate(registry, { exemplars: true });
    const { openMetrics, text, expectedOpenMetrics, expectedText } = await bothFormats(registry);
    expect(openMetrics).toBe(expectedOpenMetrics);
    expect(text).toBe(expectedText);
  });

  it("writes a text-format registry as prom-client does, with and without default labels", async () => {
    const registry = new Registry();
    populate(registry, { exemplars: false });
    expect((await renderMetrics(registry, OPENMETRICS_ACCEPT)).body).toBe(await registry.metrics());
    registry.setDefaultLabels({ service: "support" });
    for (const accept of [OPENMETRICS_ACCEPT, TEXT_ACCEPT, undefined])
      expect((await renderMetrics(registry, accept)).body).toBe(await registry.metrics());
    expect(await renderPrometheusText(registry)).toBe(await textFromJson(registry));
  });

  it("writes empty registries as prom-client does", async () => {
    for (const registry of [createOpenMetricsRegistry(), new Registry()]) {
      expect((await renderMetrics(registry, OPENMETRICS_ACCEPT)).body).toBe(await registry.metrics());
      expect(await renderPrometheusText(registry)).toBe("");
    }
  });

  it("lets a registry that renders itself differently do so", async () => {
    class Stamped extends Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE> {
      override async metrics() {
        return `# stamped\n${await super.metrics()}`;
      }
      override async getMetricsAsJSON() {
        const metrics = await super.getMetricsAsJSON();
        return metrics.map((m) => ({ ...m, help: `${m.help} (stamped)` }));
      }
    }
    const registry = new Stamped() as unknown as MetricsRegistry;
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    populate(registry, { exemplars: true });
    expect((await renderMetrics(registry, OPENMETRICS_ACCEPT)).body).toBe(await registry.metrics());
    const text = (await renderMetrics(registry, TEXT_ACCEPT)).body;
    expect(text).toBe(await textFromJson(registry));
    expect(text).toContain("(stamped)");
  });

  it("writes a handler's registry, with exemplars and a metric of another owner, as prom-client does", async () => {
    const registry = createOpenMetricsRegistry();
    registry.setDefaultLabels({ deployment: "canary" });
    new Counter({ name: "app_requests_total", help: "The app's own.", labelNames: ["path"], registers: [registry] }).inc({ path: "/" });
    const handler = new AgentWatchHandler({ registry, tracerProvider: new BasicTracerProvider(), maxLabelValues: 1000 });
    for (let i = 0; i < 3; i++) {
      await handler.handleChatModelStart({ id: ["ChatOpenAI"] } as never, [[]], `run${i}`, undefined, {
        invocation_params: { model: `model-${i}` },
      });
      await handler.handleLLMEnd(
        {
          generations: [
            [{ text: "x", message: { content: "x", usage_metadata: { input_tokens: 5, output_tokens: 7, total_tokens: 12 } } }],
          ],
        } as never,
        `run${i}`,
      );
    }
    const { openMetrics, text, expectedOpenMetrics, expectedText } = await bothFormats(registry);
    handler.shutdown();
    expect(openMetrics).toBe(expectedOpenMetrics);
    expect(text).toBe(expectedText);
    expect(openMetrics).toMatch(/_bucket\{.*\} \d+ # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} /);
    expect(openMetrics).toContain('app_requests_total{path="/",deployment="canary"} 1');
  });

  it("serves through metricsHandler the bytes of renderMetrics' body, for a body written in many pieces", async () => {
    const registry = createOpenMetricsRegistry();
    registry.setDefaultLabels({ service: "support" });
    const calls = new Counter({ name: "calls_total", help: "Many series.", labelNames: ["user"], registers: [registry] });
    const wait = new Histogram({
      name: "wait_seconds",
      help: "Many series.",
      labelNames: ["user"],
      buckets: [0.1, 1],
      registers: [registry],
      enableExemplars: true,
    });
    for (let i = 0; i < 3000; i++) {
      // Characters beyond Latin-1 and beyond the BMP: the pieces are encoded one by one, at the right offsets.
      const user = i % 7 === 0 ? `ユーザー-${i}-😀` : `user-${i}`;
      calls.inc({ user }, i);
      wait.observe({
        labels: { user },
        value: i / 1000,
        exemplarLabels: i % 3 === 0 ? { trace_id: String(i).padStart(32, "0") } : {},
      } as never);
    }
    const server = createServer((req, res) => void metricsHandler(registry)(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      for (const accept of [OPENMETRICS_ACCEPT, TEXT_ACCEPT]) {
        const { body } = await renderMetrics(registry, accept);
        expect(body.length).toBeGreaterThan(500_000);
        expect(body).toBe(accept === OPENMETRICS_ACCEPT ? await registry.metrics() : await textFromJson(registry));
        const res = await fetch(url, { headers: { accept } });
        expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
        expect(await res.text()).toBe(body);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
