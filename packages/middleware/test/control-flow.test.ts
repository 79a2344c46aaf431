import { createHandoffGraph, createHumanApprovalAgent, createInterruptingGraph, createSupervisorAgents } from "@agentwatch/fixtures";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { Command, END, MessagesAnnotation, Send, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { type AgentWatchHandler, ATTR, EVENT, LINK_TYPE, METRIC } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

/** Handoff counts as "from → to", by agent. */
async function handoffs(handler: AgentWatchHandler): Promise<Record<string, number>> {
  const m = parseExposition(await handler.registry.metrics());
  const out: Record<string, number> = {};
  for (const s of find(m, METRIC.handoffs)) out[`${s.labels.agent}: ${s.labels.from} → ${s.labels.to}`] = s.value;
  return out;
}

async function interrupts(handler: AgentWatchHandler): Promise<number> {
  const m = parseExposition(await handler.registry.metrics());
  return find(m, METRIC.interrupts).reduce((sum, s) => sum + s.value, 0);
}

const errors = (spans: readonly ReadableSpan[]) => spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name);
const named = (spans: readonly ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

describe("handoffs (LangGraph Command goto, ParentCommand)", () => {
  it.each([true, false])(
    "counts a supervisor's handoffs by from and to, once each, never as interrupts or errors (awaitCallbacks %s)",
    async (awaitCallbacks) => {
      const { handler, tracing } = make({ awaitCallbacks });
      const graph = createHandoffGraph();
      for (const thread of ["s-1", "s-2"])
        await graph.invoke({ task: "summarise the refund policy" }, { callbacks: [handler], configurable: { thread_id: thread } });
      await awaitAllCallbacks();
      expect(await handoffs(handler)).toEqual({
        "acme-supervisor: supervisor → researcher": 2,
        "acme-supervisor: researcher → writer": 2,
        "acme-supervisor: writer → supervisor": 2,
      });
      expect(await interrupts(handler)).toBe(0);
      const spans = tracing.exporter.getFinishedSpans();
      expect(errors(spans)).toEqual([]);
      const m = parseExposition(await handler.registry.metrics());
      expect(find(m, "gen_ai_invoke_agent_duration_seconds_count").map((s) => [s.labels.error_type, s.value])).toEqual([["", 2]]);
      // The ParentCommand ends the inner node and the parent graph's node of the expert, both OK and both marked.
      for (const name of ["research", "researcher"]) {
        const [span] = named(spans, name);
        expect(span?.status.code, name).not.toBe(SpanStatusCode.ERROR);
        expect(span?.attributes[ATTR.controlFlow], name).toBe("ParentCommand");
        expect(span?.attributes[ATTR.handoffFrom], name).toBe("researcher");
        expect(span?.attributes[ATTR.handoffTo], name).toEqual(["writer"]);
        const event = span?.events.find((e) => e.name === EVENT.handoff);
        expect(event?.attributes, name).toEqual({ [ATTR.handoffFrom]: "researcher", [ATTR.handoffTo]: ["writer"] });
      }
      // A returned Command({ goto }) marks the node that returned it; a goto END is no handoff.
      const supervisors = named(spans, "supervisor");
      expect(supervisors.map((s) => s.attributes[ATTR.handoffTo])).toEqual([["researcher"], undefined, ["researcher"], undefined]);
      for (const root of named(spans, "invoke_agent acme-supervisor")) expect(root.attributes[ATTR.interrupted]).toBeUndefined();
      expect(handler.openRuns).toBe(0);
    },
  );

  it("counts the handoffs of a supervisor and two createReactAgent experts (handoff tools), 10 runs at once", async () => {
    const { handler, tracing } = make();
    const team = createSupervisorAgents({ seed: 7, maxDelayMs: 4 });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        team.invoke({ messages: [new HumanMessage(`Write about tide pools, part ${i}`)] }, { callbacks: [handler] }),
      ),
    );
    // The writer goes back to the supervisor by an edge, not a Command: no handoff.
    expect(await handoffs(handler)).toEqual({
      "research-team: supervisor → researcher": 10,
      "research-team: researcher → supervisor": 10,
      "research-team: supervisor → writer": 10,
    });
    expect(await interrupts(handler)).toBe(0);
    const spans = tracing.exporter.getFinishedSpans();
    expect(errors(spans)).toEqual([]);
    // The ToolNode that ran the handoff tool and the expert's node in the team graph say so.
    const marked = spans.filter((s) => s.attributes[ATTR.handoffTo] !== undefined);
    expect(
      new Set(marked.map((s) => `${s.name}: ${String(s.attributes[ATTR.handoffFrom])} → ${String(s.attributes[ATTR.handoffTo])}`)),
    ).toEqual(
      new Set([
        "tools: supervisor → researcher",
        "supervisor: supervisor → researcher",
        "tools: researcher → supervisor",
        "researcher: researcher → supervisor",
        "tools: supervisor → writer",
        "supervisor: supervisor → writer",
      ]),
    );
    expect(handler.openRuns).toBe(0);
  });

  it("counts each target of a Send fan-out", async () => {
    const { handler, tracing } = make();
    const graph = new StateGraph(MessagesAnnotation)
      .addNode(
        "fan_out",
        () =>
          new Command({
            goto: [new Send("worker", { messages: [] }), new Send("worker", { messages: [] }), new Send("checker", { messages: [] })],
          }),
        {
          ends: ["worker", "checker"],
        },
      )
      .addNode("worker", () => ({ messages: [new AIMessage("done")] }))
      .addNode("checker", () => ({ messages: [new AIMessage("checked")] }))
      .addEdge(START, "fan_out")
      .compile({ name: "map-reduce" });
    await graph.invoke({ messages: [] }, { callbacks: [handler] });
    expect(await handoffs(handler)).toEqual({ "map-reduce: fan_out → worker": 2, "map-reduce: fan_out → checker": 1 });
    expect(only(tracing.exporter.getFinishedSpans(), "fan_out").attributes[ATTR.handoffTo]).toEqual(["worker", "worker", "checker"]);
    expect(await interrupts(handler)).toBe(0);
  });

  it("counts a handoff tool's Command.PARENT (the createSupervisor form) from the agent that called it", async () => {
    const { handler, tracing } = make();
    const transfer = tool(
      async (_args, config) =>
        new Command({
          goto: "writer",
          graph: Command.PARENT,
          update: { messages: [new ToolMessage({ content: "Transferred to writer", tool_call_id: String(config.toolCall?.id) })] },
        }),
      { name: "transfer_to_writer", description: "Hand the conversation to the writer.", schema: z.object({}) },
    );
    // The supervisor agent: its model (scripted as one message) calls the handoff tool, run by a ToolNode.
    const supervisor = new StateGraph(MessagesAnnotation)
      .addNode("agent", () => ({
        messages: [new AIMessage({ content: "", tool_calls: [{ id: "call-1", name: "transfer_to_writer", args: {}, type: "tool_call" }] })],
      }))
      .addNode("tools", new ToolNode([transfer]))
      .addEdge(START, "agent")
      .addEdge("agent", "tools")
      .compile({ name: "supervisor" });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("supervisor", supervisor, { ends: ["writer"] })
      .addNode("writer", () => ({ messages: [new AIMessage("Here is the draft.")] }))
      .addEdge(START, "supervisor")
      .addEdge("writer", END)
      .compile({ name: "team" });
    const out = await graph.invoke({ messages: [] }, { callbacks: [handler] });
    expect(String(out.messages.at(-1)?.content)).toBe("Here is the draft.");
    expect(await handoffs(handler)).toEqual({ "team: supervisor → writer": 1 });
    expect(await interrupts(handler)).toBe(0);
    const spans = tracing.exporter.getFinishedSpans();
    expect(errors(spans)).toEqual([]);
    expect(named(spans, "supervisor").map((s) => s.attributes[ATTR.handoffTo])).toEqual([["writer"]]);
  });
});

describe("human-in-the-loop interrupts and their resume", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("marks the interrupted run's root span, counts it once, and links the resume to it", async () => {
    const { handler, tracing } = make();
    const graph = createInterruptingGraph();
    const config = { callbacks: [handler], configurable: { thread_id: "refund-1" } };
    await graph.invoke({ request: "refund order AB-1234" }, config);
    const first = only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-refund-review");
    expect(first.status.code).toBe(SpanStatusCode.OK);
    expect(first.attributes[ATTR.interrupted]).toBe(true);
    expect(first.events.map((e) => e.name)).toContain(EVENT.interrupted);
    const m = parseExposition(await handler.registry.metrics());
    expect(find(m, METRIC.interrupts).map((s) => [s.labels.agent, s.labels.node, s.value])).toEqual([["acme-refund-review", "review", 1]]);
    expect(await handoffs(handler)).toEqual({});

    tracing.exporter.reset();
    const out = await graph.invoke(new Command({ resume: "approve" }), config);
    expect(out.outcome).toBe("refund approved");
    const second = only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-refund-review");
    expect(second.attributes[ATTR.resumed]).toBe(true);
    expect(second.attributes[ATTR.interrupted]).toBeUndefined();
    expect(second.spanContext().traceId).not.toBe(first.spanContext().traceId);
    expect(second.links).toHaveLength(1);
    expect(second.links[0]?.context.traceId).toBe(first.spanContext().traceId);
    expect(second.links[0]?.context.spanId).toBe(first.spanContext().spanId);
    expect(second.links[0]?.attributes).toEqual({ [ATTR.linkType]: LINK_TYPE.resumes });
    expect(await interrupts(handler)).toBe(1);
  });

  it("links each resume of a human-approval agent to its own interrupted run, 10 threads at once", async () => {
    const { handler, tracing } = make();
    const agent = createHumanApprovalAgent({ seed: 7, maxDelayMs: 4 });
    const config = (i: number) => ({ callbacks: [handler], configurable: { thread_id: `approval-${i}` } });
    const threads = Array.from({ length: 10 }, (_, i) => i);
    await Promise.all(threads.map((i) => agent.invoke({ messages: [new HumanMessage(`Please refund order AB-${1000 + i}`)] }, config(i))));
    const paused = new Map(
      tracing.exporter
        .getFinishedSpans()
        .filter((s) => s.attributes[ATTR.interrupted] === true)
        .map((s) => [s.attributes[ATTR.conversationId], s.spanContext().spanId]),
    );
    expect(paused.size).toBe(10);
    tracing.exporter.reset();
    await Promise.all(threads.map((i) => agent.invoke(new Command({ resume: "approve" }), config(i))));
    const resumed = tracing.exporter.getFinishedSpans().filter((s) => s.attributes[ATTR.resumed] === true);
    expect(resumed).toHaveLength(10);
    for (const root of resumed) expect(root.links.map((l) => l.context.spanId)).toEqual([paused.get(root.attributes[ATTR.conversationId])]);
    expect(await interrupts(handler)).toBe(10);
    expect(errors(tracing.exporter.getFinishedSpans())).toEqual([]);
  });

  it("keeps at most maxOpenRuns interrupted runs for their resume, the oldest going first", async () => {
    const { handler, tracing } = make({ maxOpenRuns: 2 });
    const graph = createInterruptingGraph();
    const config = (thread: string) => ({ callbacks: [handler], configurable: { thread_id: thread } });
    for (const thread of ["t-1", "t-2", "t-3"]) await graph.invoke({ request: "refund order AB-1234" }, config(thread));
    expect(await interrupts(handler)).toBe(3);
    const linksOf = async (thread: string) => {
      tracing.exporter.reset();
      await graph.invoke(new Command({ resume: "approve" }), config(thread));
      const root = only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-refund-review");
      expect(root.attributes[ATTR.resumed]).toBe(true);
      return root.links.length;
    };
    expect(await linksOf("t-1")).toBe(0); // pushed out by t-3
    expect(await linksOf("t-3")).toBe(1);
    expect(await linksOf("t-2")).toBe(1);
  });

  it("forgets an interrupted run after a day", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { handler, tracing } = make();
    const graph = createInterruptingGraph();
    const config = (thread: string) => ({ callbacks: [handler], configurable: { thread_id: thread } });
    await graph.invoke({ request: "refund order AB-1234" }, config("late"));
    await graph.invoke({ request: "refund order AB-1234" }, config("soon"));
    vi.advanceTimersByTime(23 * 3600_000);
    tracing.exporter.reset();
    await graph.invoke(new Command({ resume: "approve" }), config("soon"));
    expect(only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-refund-review").links).toHaveLength(1);
    vi.advanceTimersByTime(2 * 3600_000);
    tracing.exporter.reset();
    await graph.invoke(new Command({ resume: "approve" }), config("late"));
    expect(only(tracing.exporter.getFinishedSpans(), "invoke_agent acme-refund-review").links).toHaveLength(0);
  });
});
