import { createSupportGraph, createSupportTools, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";

import { AgentBudgetExceededError, type GuardName, type RunGuardOptions } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

/** A support graph whose model keeps calling lookup_order with the same arguments, counting what really executes. */
function loopingGraph() {
  const executed = { model: 0, tool: 0 };
  const graph = createSupportGraph({
    model: new ScriptedChatModel({ loopTools: true, onCall: () => void executed.model++ }),
    tools: createSupportTools({ onCall: () => void executed.tool++ }),
  });
  return { graph, executed };
}

const question = { messages: [new HumanMessage("Where is my order AB-1234?")] };
const prices = { "acme-scripted-1": { input: 150, output: 600 } };

/** Each guard with a limit the loop crosses, and how many model / tool calls a stopped run has executed. */
const cases: { guard: GuardName; limits: RunGuardOptions; stoppedAfter: { model: number; tool: number } }[] = [
  { guard: "llm_calls", limits: { maxLlmCalls: 3 }, stoppedAfter: { model: 3, tool: 3 } },
  { guard: "tool_calls", limits: { maxToolCalls: 2 }, stoppedAfter: { model: 3, tool: 2 } },
  { guard: "tool_repeats", limits: { maxRepeatedToolCalls: 3 }, stoppedAfter: { model: 4, tool: 3 } },
  { guard: "tokens", limits: { maxTokens: 300 }, stoppedAfter: { model: 2, tool: 1 } },
  { guard: "cost", limits: { maxCostUsd: 0.05 }, stoppedAfter: { model: 2, tool: 1 } },
];

describe("run guards", () => {
  for (const { guard, limits, stoppedAfter } of cases) {
    it(`abort: ${guard} stops a looping LangGraph run with AgentBudgetExceededError and leaves a complete trace`, async () => {
      const { handler, tracing } = make({ guards: { ...limits, action: "abort" }, prices });
      const { graph, executed } = loopingGraph();
      const error = await graph.invoke(question, { callbacks: [handler], recursionLimit: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentBudgetExceededError);
      const e = error as AgentBudgetExceededError;
      expect(e.guard).toBe(guard);
      expect(e.observed).toBeGreaterThan(e.limit);
      // Nothing ran after the breach.
      expect(executed).toEqual(stoppedAfter);
      const spans = tracing.exporter.getFinishedSpans();
      const root = only(spans, "invoke_agent acme-support");
      expect(e.runId).toBe(root.attributes["agentwatch.run.id"]);
      expect(root.status.code).toBe(SpanStatusCode.ERROR);
      expect(root.attributes["error.type"]).toBe("AgentBudgetExceededError");
      const trip = root.events.find((ev) => ev.name === "agentwatch.guard.trip");
      expect(trip?.attributes).toMatchObject({ "agentwatch.guard.name": guard, "agentwatch.guard.action": "abort" });
      expect(handler.openRuns).toBe(0);
      const m = parseExposition(await handler.registry.metrics());
      expect(value(m, "agentwatch_guard_trips_total", { agent: "acme-support", guard })).toBe(1);
    });

    it(`record: ${guard} records the breach once and lets the run go on`, async () => {
      const { handler, tracing } = make({ guards: { ...limits, action: "record" }, prices });
      const { graph, executed } = loopingGraph();
      const error = await graph.invoke(question, { callbacks: [handler], recursionLimit: 14 }).catch((e: unknown) => e);
      // The loop runs on until LangGraph's own recursion limit.
      expect((error as Error).name).toBe("GraphRecursionError");
      expect(executed.model).toBeGreaterThan(stoppedAfter.model);
      const root = only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-support");
      expect(root.events.filter((ev) => ev.name === "agentwatch.guard.trip")).toHaveLength(1);
      const m = parseExposition(await handler.registry.metrics());
      expect(value(m, "agentwatch_guard_trips_total", { guard })).toBe(1);
    });
  }

  it("counts repeated tool calls as the loop signal, with no guard configured", async () => {
    const { handler } = make();
    const { graph } = loopingGraph();
    await graph.invoke(question, { callbacks: [handler], recursionLimit: 11 }).catch(() => undefined);
    const m = parseExposition(await handler.registry.metrics());
    const calls = value(m, "agentwatch_run_tool_calls_sum", { agent: "acme-support" });
    expect(calls).toBe(5);
    expect(value(m, "agentwatch_tool_repeats_total", { agent: "acme-support", tool: "lookup_order" })).toBe(calls - 1);
  });

  it("does not count different arguments as repeats", async () => {
    const { handler } = make();
    const graph = createSupportGraph();
    for (const id of ["AB-1001", "AB-1002"])
      await graph.invoke({ messages: [new HumanMessage(`Where is order ${id}?`)] }, { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    expect(m.samples.filter((s) => s.name === "agentwatch_tool_repeats_total")).toEqual([]);
  });

  it("rejects bad guard options with the field and the fix", () => {
    expect(() => make({ guards: { maxToolCalls: 0 } })).toThrow(/guards.maxToolCalls" must be a positive integer/);
    expect(() => make({ guards: { action: "stop" as never } })).toThrow(/guards.action" must be "record" or "abort"/);
    expect(() => make({ guards: { maxLoops: 3 } as never })).toThrow(/guards.maxLoops" is not a guard/);
    expect(() => make({ budgets: { daily: 3 } as never })).toThrow(/budgets.daily" is not a budget scope/);
    expect(() => make({ prices: { m: { input: -1, output: 1 } } })).toThrow(/prices\["m"\].input" must be a USD price/);
  });
});
