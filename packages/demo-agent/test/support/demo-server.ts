import type { AddressInfo } from "node:net";

import type { AgentWatchHandler } from "@agentwatch/middleware";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

import { createDemoHandler } from "../../src/demo-handler.js";
import { IncidentController } from "../../src/incidents.js";
import { type LabelMatch, type MetricSample, parseMetricsText, selectSamples, sumSamples } from "../../src/metrics-text.js";
import { type AppOptions, createApp } from "../../src/server.js";
import { readEventStream, type ServerSentEvent } from "../../src/sse.js";
import { TraceSummaryExporter } from "../../src/trace-summary-exporter.js";

interface Tracing {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** What the demo's console trace printer wrote. */
  summaryLines: string[];
}

let tracing: Tracing | undefined;

/** Global OpenTelemetry set-up as the demo's main does it (once per test process), spans in memory and printed as trees. */
export function globalTracing(): Tracing {
  if (tracing !== undefined) return tracing;
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter = new InMemorySpanExporter();
  const summaryLines: string[] = [];
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new SimpleSpanProcessor(exporter),
      new SimpleSpanProcessor(new TraceSummaryExporter((line) => summaryLines.push(line))),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  tracing = { provider, exporter, summaryLines };
  return tracing;
}

/** A chat answer as the JSON API returns it, with the HTTP status. */
export interface ChatReply {
  status: number;
  body: {
    answer?: string;
    trace_id?: string;
    feedback_token?: string;
    blocked?: boolean;
    error?: string;
    code?: string;
    field?: string;
  };
}

/** A demo server on 127.0.0.1 at a free port, with helpers. */
export interface DemoServer {
  base: string;
  handler: AgentWatchHandler;
  incidents: IncidentController;
  chat(message: string, headers?: Record<string, string>): Promise<ChatReply>;
  stream(
    message: string,
    init?: { query?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; events: ServerSentEvent[] }>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Scrapes /metrics (after online evaluations are done) and parses it. */
  metrics(): Promise<MetricSample[]>;
  close(): Promise<void>;
}

/** Starts the demo app (fast: speed 1000 unless given) with a demo handler that evaluates every run. */
export async function startDemo(options: Partial<AppOptions> = {}): Promise<DemoServer> {
  const { provider } = globalTracing();
  const handler = options.handler ?? createDemoHandler({ tracerProvider: provider, evaluationSampleRate: 1 });
  const incidents = options.incidents ?? new IncidentController();
  const app = createApp({ speed: 1000, ...options, handler, incidents });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    base,
    handler,
    incidents,
    post,
    async chat(message, headers = {}) {
      const res = await post("/chat", { message }, headers);
      return { status: res.status, body: (await res.json()) as ChatReply["body"] };
    },
    async stream(message, init = {}) {
      const res = await fetch(`${base}/chat${init.query ?? ""}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(init.query ? {} : { accept: "text/event-stream" }), ...init.headers },
        body: JSON.stringify({ message }),
      });
      const events: ServerSentEvent[] = [];
      if (res.body !== null) for await (const e of readEventStream(res.body)) events.push(e);
      return { status: res.status, events };
    },
    async metrics() {
      await handler.evaluationsIdle();
      return parseMetricsText(await (await fetch(`${base}/metrics`)).text());
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      handler.shutdown();
    },
  };
}

/** Sum of `name{match}` in `after` minus in `before`. */
export function delta(before: readonly MetricSample[], after: readonly MetricSample[], name: string, match: LabelMatch = {}): number {
  return sumSamples(after, name, match) - sumSamples(before, name, match);
}

/** Mean of a histogram (`_sum` / `_count`) over the observations made between two scrapes. */
export function meanDelta(
  before: readonly MetricSample[],
  after: readonly MetricSample[],
  histogram: string,
  match: LabelMatch = {},
): number {
  const count = delta(before, after, `${histogram}_count`, match);
  return count === 0 ? Number.NaN : delta(before, after, `${histogram}_sum`, match) / count;
}

export { selectSamples, sumSamples };
