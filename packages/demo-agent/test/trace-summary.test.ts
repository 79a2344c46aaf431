/**
 * What the demo prints on stdout when no OTLP endpoint is set: one tree per request, failed
 * requests marked, readable numbers.
 */
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

import { headlineMetrics } from "../src/headline-metrics.js";
import { readableNumber } from "../src/readable-number.js";
import { TraceSummaryExporter } from "../src/trace-summary-exporter.js";

function printer() {
  const lines: string[] = [];
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new TraceSummaryExporter((l) => lines.push(l)))] });
  return { lines, tracer: provider.getTracer("test") };
}

describe("the demo's trace printer", () => {
  it("prints a request's trace but not work outside a request, such as indexing the knowledge base at start-up", () => {
    const { lines, tracer } = printer();
    tracer.startSpan("embeddings acme-hashed-bow-1024").end();
    const request = tracer.startSpan("POST /chat", { kind: SpanKind.SERVER });
    tracer.startSpan("invoke_agent acme-support", {}, trace.setSpan(context.active(), request)).end();
    request.end();
    expect(lines.filter((l) => l.startsWith("trace "))).toHaveLength(1);
    expect(lines.join("\n")).not.toContain("embeddings");
    expect(lines[1]).toMatch(/^ {2}POST \/chat {2}\d+\.\dms$/);
    expect(lines[2]).toMatch(/^ {4}invoke_agent acme-support {2}\d+\.\dms$/);
  });

  it("marks a request that failed with ✗, its HTTP status and the error type of the first failed span", () => {
    const { lines, tracer } = printer();
    const request = tracer.startSpan("POST /chat", { kind: SpanKind.SERVER });
    const agent = tracer.startSpan("invoke_agent acme-support", {}, trace.setSpan(context.active(), request));
    const chat = tracer.startSpan("chat acme-scripted-1", {}, trace.setSpan(context.active(), agent));
    for (const span of [chat, agent]) {
      span.setAttribute("error.type", "429");
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    request.setAttribute("http.response.status_code", 502);
    request.setStatus({ code: SpanStatusCode.ERROR });
    request.end();
    expect(lines[1]).toMatch(/^ {2}✗ POST \/chat {2}\d+\.\dms {2}\(HTTP 502, ERROR 429\)$/);
    expect(lines[2]).toMatch(/^ {4}✗ invoke_agent acme-support .*\(ERROR 429\)$/);
    expect(lines[3]).toMatch(/^ {6}✗ chat acme-scripted-1 .*\(ERROR 429\)$/);
  });

  it("leaves a request that succeeded unmarked", () => {
    const { lines, tracer } = printer();
    const request = tracer.startSpan("POST /chat", { kind: SpanKind.SERVER });
    request.setAttribute("http.response.status_code", 200);
    request.end();
    expect(lines[1]).toMatch(/^ {2}POST \/chat {2}\d+\.\dms$/);
  });
});

describe("numbers the demo prints", () => {
  it("drops float noise and keeps six significant digits", () => {
    expect(readableNumber(0.00013237499999999998)).toBe("0.000132375");
    expect(readableNumber(0.1 + 0.2)).toBe("0.3");
    expect(readableNumber(343)).toBe("343");
    expect(readableNumber(12.3456789)).toBe("12.3457");
    expect(readableNumber(Number.POSITIVE_INFINITY)).toBe("Infinity");
  });

  it("prints the headline metrics without float noise, exemplars or other families", () => {
    const exposition = [
      "# TYPE agentwatch_cost_usd counter",
      'agentwatch_cost_usd_total{agent="acme-support",model="acme-scripted-1"} 0.00013237499999999998 # {trace_id="abc"} 0.0001 1.5',
      'gen_ai_client_token_usage_sum{gen_ai_token_type="input"} 343',
      'agentwatch_handler_errors_total{callback="x"} 0',
    ].join("\n");
    expect(headlineMetrics(exposition)).toEqual([
      'agentwatch_cost_usd_total{agent="acme-support",model="acme-scripted-1"} 0.000132375',
      'gen_ai_client_token_usage_sum{gen_ai_token_type="input"} 343',
    ]);
  });
});
