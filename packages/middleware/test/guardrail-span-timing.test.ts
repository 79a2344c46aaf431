import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";

import { type Guardrail, guardrailRunnable } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

/** A guardrail that takes `ms` (an awaited moderation call, say) before it passes the text. */
function slowGuardrail(ms: number): Guardrail {
  return { name: "moderation", check: () => new Promise((resolve) => setTimeout(() => resolve({ outcome: "pass" }), ms)) };
}

describe("apply_guardrail spans", () => {
  it("time the check itself: they start before the guardrail runs and end after it answered", async () => {
    const { handler, tracing } = make();
    const before = Date.now();
    await guardrailRunnable({ stage: "input", guardrails: [slowGuardrail(60)] }).invoke("hello", { callbacks: [handler] });
    const span = only(tracing.exporter.getFinishedSpans(), "apply_guardrail moderation");
    const start = hrTimeToMilliseconds(span.startTime);
    const duration = hrTimeToMilliseconds(span.duration);
    expect(start).toBeGreaterThanOrEqual(before - 1);
    expect(duration).toBeGreaterThanOrEqual(55); // timers may fire a little early, never 55 ms early
    expect(hrTimeToMilliseconds(span.events[0]?.time ?? [0, 0])).toBeCloseTo(start + duration, 0);
  });

  it("of a recorded result time the check when it says when it ran, and are instantaneous otherwise", () => {
    const { handler, tracing } = make();
    const endTime = Date.now() - 1000;
    handler.recordGuardrail({ guardrail: "timed", stage: "input", outcome: "pass", startTime: endTime - 250, endTime });
    handler.recordGuardrail({ guardrail: "untimed", stage: "input", outcome: "pass" });
    // Nonsense timing (end before start) is ignored rather than making a negative span.
    handler.recordGuardrail({ guardrail: "backwards", stage: "input", outcome: "pass", startTime: endTime, endTime: endTime - 5 });
    const spans = tracing.exporter.getFinishedSpans();
    expect(hrTimeToMilliseconds(only(spans, "apply_guardrail timed").duration)).toBeCloseTo(250, 0);
    expect(hrTimeToMilliseconds(only(spans, "apply_guardrail timed").endTime)).toBeCloseTo(endTime, 0);
    expect(hrTimeToMilliseconds(only(spans, "apply_guardrail untimed").duration)).toBeLessThan(50);
    expect(hrTimeToMilliseconds(only(spans, "apply_guardrail backwards").duration)).toBeGreaterThanOrEqual(0);
    expect(hrTimeToMilliseconds(only(spans, "apply_guardrail backwards").duration)).toBeLessThan(50);
  });
});
