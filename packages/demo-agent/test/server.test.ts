import type { AddressInfo } from "node:net";
import { AgentWatchHandler } from "@agentwatch/middleware";
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDemoArgs } from "../src/demo-cli.js";
import { createApp } from "../src/server.js";
import { TraceSummaryExporter } from "../src/trace-summary-exporter.js";

const manager = new AsyncLocalStorageContextManager();
manager.enable();
context.setGlobalContextManager(manager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const exporter = new InMemorySpanExporter();
const lines: string[] = [];
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(new TraceSummaryExporter((l) => lines.push(l)))],
});
const handler = new AgentWatchHandler({ tracerProvider: provider, agentName: "acme-support" });
let base = "";
let close: () => void = () => {};

beforeAll(async () => {
  const { trace } = await import("@opentelemetry/api");
  trace.setGlobalTracerProvider(provider);
  const server = createApp({ handler }).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => {
  close();
  handler.shutdown();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("demo server", () => {
  it("answers POST /chat with the trace id, the agent trace under the request span, continuing the caller's traceparent", async () => {
    exporter.reset();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await post({ message: "Where is my order AB-1234?", user_id: "u-1" }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { answer: string; trace_id: string };
    expect(body.answer).toContain("AB-1234");
    expect(body.trace_id).toBe(traceId);
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === "POST /chat");
    const root = spans.find((s) => s.name === "invoke_agent acme-support");
    expect(root?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(root?.attributes["user.id"]).toBe("u-1");
    expect(spans.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    expect(lines.some((l) => l.includes("execute_tool lookup_order"))).toBe(true);
  });

  it.each([
    ["not json", "body"],
    [[1, 2], "body"],
    [{}, "message"],
    [{ message: "" }, "message"],
    [{ message: "x".repeat(4001) }, "message"],
    [{ message: "hi", thread_id: "a b" }, "thread_id"],
    [{ message: "hi", user_id: 7 }, "user_id"],
  ])("rejects %j with 400 naming the field %s", async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; field: string };
    expect(json.field).toBe(field);
    expect(json.error).toContain(field === "body" ? "JSON" : `"${field}"`);
  });

  it("serves /metrics as OpenMetrics and /healthz", async () => {
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("application/openmetrics-text");
    expect(await metrics.text()).toContain('gen_ai_invoke_agent_duration_seconds_count{gen_ai_agent_name="acme-support",error_type=""}');
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", openRuns: 0 });
  });
});

describe("demo command line", () => {
  it("reads flags over the environment", () => {
    expect(parseDemoArgs(["--port", "0", "--once"], { PORT: "8080" })).toEqual({ port: 0, host: "127.0.0.1", once: true });
    expect(parseDemoArgs([], { PORT: "8080", HOST: "0.0.0.0" })).toEqual({ port: 8080, host: "0.0.0.0", once: false });
  });

  it.each([
    [["--port", "http"], /--port must be a port number/],
    [["--port"], /--port must be a port number/],
    [["--host"], /--host needs an address/],
    [["--verbose"], /unknown flag "--verbose"/],
  ])("rejects %j naming the flag and the usage", (argv, message) => {
    expect(() => parseDemoArgs(argv, {})).toThrow(message);
    expect(() => parseDemoArgs(argv, {})).toThrow(/usage: npm run demo/);
  });

  it("rejects a bad PORT variable", () => {
    expect(() => parseDemoArgs([], { PORT: "99999" })).toThrow(/PORT must be a port number/);
  });
});
