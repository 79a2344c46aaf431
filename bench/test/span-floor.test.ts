import { AgentWatchHandler } from "@agentwatch/middleware";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

import { benchAgent } from "../src/agent.js";
import { SpanFloorHandler } from "../src/span-floor.js";

/** The bench's `otel spans only` line is only a floor if it makes the spans agentwatch makes: held here. */

function tracing() {
  const exporter = new InMemorySpanExporter();
  return { exporter, provider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) };
}

/** A span's step: its operation for GenAI operations (`chat x` → `chat`), `root` for the trace's root, else its name (a node). */
function step(span: ReadableSpan): string {
  if (span.parentSpanContext === undefined) return "root";
  const operation = span.name.split(" ")[0] as string;
  return ["chat", "execute_tool", "retrieval"].includes(operation) ? operation : span.name;
}

/** Every span as `step < parent's step`, sorted: the shape of the trace, whatever the spans are named. */
function shape(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  return spans
    .map((s) => {
      const parent = s.parentSpanContext === undefined ? undefined : byId.get(s.parentSpanContext.spanId);
      return `${step(s)} < ${parent === undefined ? "-" : step(parent)}`;
    })
    .sort();
}

describe("the bench's span floor", () => {
  for (const guardrails of [false, true]) {
    it(`makes one span for each span agentwatch makes, under the same parent (${guardrails ? "guardrail" : "plain"} graph)`, async () => {
      const agent = benchAgent({ guardrails });
      const ours = tracing();
      const floor = tracing();
      const handler = new AgentWatchHandler({ tracerProvider: ours.provider, agentName: "bench" });
      const spanFloor = new SpanFloorHandler(floor.provider.getTracer("span-floor"));
      try {
        await agent.invoke([handler]);
        await agent.invoke([spanFloor]);
      } finally {
        handler.shutdown();
      }
      // agentwatch's own guardrail check spans (apply_guardrail) are not steps of the graph.
      const agentwatchSteps = ours.exporter.getFinishedSpans().filter((s) => !s.name.startsWith("apply_guardrail"));
      expect(shape(floor.exporter.getFinishedSpans())).toEqual(shape(agentwatchSteps));
      expect(agentwatchSteps.length).toBeGreaterThanOrEqual(9);
      expect(spanFloor.open).toBe(0);
    });
  }
});
