/**
 * Synthetic traffic (canary probes): a root run with metadata `agentwatch_synthetic: true` is marked
 * on its `invoke_agent` span, its cost goes to feature "synthetic", it is never sampled for online
 * evaluation, and feedback on it is refused. A run without the marker (or with a truthy non-boolean)
 * is the app's ordinary traffic.
 */
import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";

import { ATTR, type Evaluator, SYNTHETIC } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition } from "./support/openmetrics.js";
import { only, traceId } from "./support/otel.js";

const make = handlerMaker();
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

describe("synthetic runs (agentwatch_synthetic metadata)", () => {
  it("are marked on the invoke_agent span and cost feature synthetic; ordinary runs are not", async () => {
    const { handler, tracing } = make({ prices: { "acme-scripted-1": { input: 1, output: 1 } } });
    const graph = createSupportGraph();
    await graph.invoke(ask("Where is my order AB-1234?"), {
      callbacks: [handler],
      metadata: { [SYNTHETIC.metadataKey]: true, feature: "orders" },
    });
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler], metadata: { feature: "orders" } });
    // A string "true" is not the marker: only the boolean is (what the prober and the demo's header mapping send).
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler], metadata: { [SYNTHETIC.metadataKey]: "true" } });
    const roots = tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent acme-support");
    expect(roots).toHaveLength(3);
    expect(roots.map((s) => s.attributes[ATTR.synthetic])).toEqual([true, undefined, undefined]);
    const cost = parseExposition(await handler.registry.metrics()).samples.filter((s) => s.name === "agentwatch_cost_usd_total");
    const features = new Set(cost.filter((s) => s.value > 0).map((s) => s.labels.feature));
    expect(features).toEqual(new Set(["synthetic", "orders", ""]));
  });

  it("are never sampled for online evaluation, even at sampleRate 1", async () => {
    const judged: string[] = [];
    const probe: Evaluator = { name: "probe", evaluate: (s) => (judged.push(s.question), { score: 1 }) };
    const { handler } = make({ evaluation: { evaluators: [probe], sampleRate: 1 } });
    const graph = createSupportGraph();
    await graph.invoke(ask("synthetic question"), { callbacks: [handler], metadata: { [SYNTHETIC.metadataKey]: true } });
    await graph.invoke(ask("user question"), { callbacks: [handler] });
    await handler.evaluationsIdle();
    expect(judged).toEqual(["user question"]);
  });

  it("refuse feedback (recordFeedback returns false, nothing counted) while ordinary runs accept it", async () => {
    const { handler, tracing } = make({ evaluation: { evaluators: [{ name: "x", evaluate: () => ({ score: 1 }) }], sampleRate: 0 } });
    const graph = createSupportGraph();
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler], metadata: { [SYNTHETIC.metadataKey]: true } });
    const synthetic = only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-support");
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const ordinary = tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent acme-support")[1];
    expect(handler.recordFeedback({ traceId: traceId(synthetic), score: 0 })).toBe(false);
    expect(handler.recordFeedback({ traceId: traceId(ordinary as typeof synthetic), score: 0 })).toBe(true);
    const feedback = parseExposition(await handler.registry.metrics()).samples.filter((s) => s.name === "agentwatch_user_feedback_total");
    expect(feedback.reduce((sum, s) => sum + s.value, 0)).toBe(1);
  });
});
