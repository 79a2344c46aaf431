import { createInterruptingGraph, createSupportGraph, createSupportTools, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { only, parentId, spanId, traceId, tree } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

describe("span tree of a LangGraph agent", () => {
  it("is exactly agent → nodes → retrieval / chat / tool, with plumbing collapsed", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    const root = only(spans, "invoke_agent acme-support");
    expect(tree(spans, root)).toBe(
      [
        "invoke_agent acme-support",
        "  retrieve",
        "    retrieval KeywordRetriever",
        "  agent",
        "    chat acme-scripted-1",
        "  tools",
        "    execute_tool lookup_order",
        "  agent",
        "    chat acme-scripted-1",
      ].join("\n"),
    );
    // No span for RunnableSequence, ChatPromptTemplate, __start__, ChannelWrite, branch runs.
    expect(spans).toHaveLength(9);
    expect(new Set(spans.map(traceId)).size).toBe(1);
    expect(handler.openRuns).toBe(0);
  });

  it("shows every LangChain run with showAllRuns, still as one tree", async () => {
    const all = make({ showAllRuns: true });
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [all.handler] });
    const spans = all.tracing.exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(8);
    expect(spans.map((s) => s.name)).toContain("chain ChatPromptTemplate");
    const root = only(spans, "invoke_agent acme-support");
    const ids = new Set(spans.map(spanId));
    for (const s of spans) if (s !== root) expect(ids.has(parentId(s) as string)).toBe(true);
  });

  it("puts the GenAI attributes on root, node, chat, tool and retrieval spans", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), {
      callbacks: [handler],
      configurable: { thread_id: "thread-42" },
      metadata: { user_id: "user-7", session_id: "session-9" },
    });
    const spans = tracing.exporter.getFinishedSpans();
    const root = only(spans, "invoke_agent acme-support");
    expect(root.kind).toBe(SpanKind.INTERNAL);
    expect(root.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "acme-support",
      "gen_ai.conversation.id": "thread-42",
      "user.id": "user-7",
      "session.id": "session-9",
    });

    const retrieveNode = only(spans, "retrieve");
    expect(retrieveNode.attributes).toMatchObject({ "langgraph.node": "retrieve", "langgraph.step": 1 });
    expect(only(spans, "retrieval KeywordRetriever").attributes["gen_ai.request.top_k"]).toBe(3);

    const chats = spans.filter((s) => s.name === "chat acme-scripted-1");
    expect(chats).toHaveLength(2);
    const [first, second] = chats as [(typeof chats)[0], (typeof chats)[0]];
    expect(first.kind).toBe(SpanKind.CLIENT);
    expect(first.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "scripted",
      "gen_ai.request.model": "acme-scripted-1",
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 512,
      "gen_ai.request.top_p": 1,
      "gen_ai.response.model": "acme-scripted-1-2026-11-01",
      "gen_ai.response.finish_reasons": ["tool_calls"],
    });
    expect(String(first.attributes["gen_ai.response.id"])).toMatch(/^chatcmpl-/);
    expect(second.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    for (const chat of chats) {
      const input = chat.attributes["gen_ai.usage.input_tokens"] as number;
      expect(input).toBeGreaterThan(0);
      expect(chat.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
      expect(chat.attributes["gen_ai.usage.reasoning.output_tokens"]).toBeUndefined(); // zero is not reported
    }
    // The second call has a longer conversation: the scripted model reports cache reads, part of input.
    const cached = second.attributes["gen_ai.usage.cache_read.input_tokens"] as number;
    expect(cached).toBeGreaterThan(0);
    expect(cached).toBeLessThanOrEqual(second.attributes["gen_ai.usage.input_tokens"] as number);

    const toolSpan = only(spans, "execute_tool lookup_order");
    expect(toolSpan.kind).toBe(SpanKind.INTERNAL);
    expect(toolSpan.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "lookup_order",
      "gen_ai.tool.type": "function",
    });
    expect(String(toolSpan.attributes["gen_ai.tool.call.id"])).not.toBe("");

    const retrieval = only(spans, "retrieval KeywordRetriever");
    expect(retrieval.attributes).toMatchObject({
      "gen_ai.operation.name": "retrieval",
      "gen_ai.data_source.id": "KeywordRetriever",
    });
    const docs = JSON.parse(String(retrieval.attributes["gen_ai.retrieval.documents"])) as { id: string; score: number }[];
    expect(docs.length).toBe(retrieval.attributes["agentwatch.retrieval.document_count"]);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      expect(d.id).toMatch(/^kb-/);
      expect(typeof d.score).toBe("number");
    }
    // Content is off by default: no query, messages, arguments or results on any span.
    for (const s of spans) {
      for (const key of Object.keys(s.attributes)) {
        expect(key).not.toMatch(/messages|query\.text|call\.arguments|call\.result|system_instructions/);
      }
    }
  });

  it("marks a failing tool and a failing node as errors with a low-cardinality error.type", async () => {
    await createSupportGraph().invoke(ask("Where is my order ERR-500?"), { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    const toolSpan = only(spans, "execute_tool lookup_order");
    expect(toolSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(toolSpan.attributes["error.type"]).toBe("OrderServiceError");
    expect(toolSpan.events.map((e) => e.name)).toContain("exception");

    tracing.exporter.reset();
    await expect(createSupportGraph({ failNode: "retrieve" }).invoke(ask("hello"), { callbacks: [handler] })).rejects.toThrow(
      "vector store timeout",
    );
    const failed = tracing.exporter.getFinishedSpans();
    const node = only(failed, "retrieve");
    expect(node.status.code).toBe(SpanStatusCode.ERROR);
    expect(node.attributes["error.type"]).toBe("RetrieverTimeoutError");
    const root = only(failed, "invoke_agent acme-support");
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes["error.type"]).toBe("RetrieverTimeoutError");
    expect(handler.openRuns).toBe(0);
  });

  it("treats a human-in-the-loop interrupt as control flow, not an error", async () => {
    const graph = createInterruptingGraph();
    const config = { callbacks: [handler], configurable: { thread_id: "hitl-1" } };
    await graph.invoke({ request: "refund order AB-1234" }, config);
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR)).toEqual([]);
    const review = only(spans, "review");
    expect(review.attributes["agentwatch.control_flow"]).toBe("GraphInterrupt");
    expect(review.events.map((e) => e.name)).toContain("agentwatch.control_flow");
    expect(review.events.map((e) => e.name)).not.toContain("exception");
    // Resuming continues the conversation in a new, clean run.
    tracing.exporter.reset();
    await graph.invoke(new Command({ resume: "approved" }), config);
    const resumed = tracing.exporter.getFinishedSpans();
    expect(resumed.filter((s) => s.status.code === SpanStatusCode.ERROR)).toEqual([]);
    expect(resumed.map((s) => s.name)).toContain("finish");
    expect(handler.openRuns).toBe(0);
  });
});

describe("context", () => {
  it("parents the root under the caller's active span and user spans under the tool / chat span", async () => {
    const user = tracing.provider.getTracer("user-code");
    const tools = createSupportTools({
      onCall: () => user.startActiveSpan("db.query orders", (s) => s.end()),
    });
    const model = new ScriptedChatModel({
      onCall: () => user.startSpan("POST /v1/chat/completions", { kind: SpanKind.CLIENT }).end(),
    });
    const outer = user.startSpan("POST /chat", { kind: SpanKind.SERVER });
    await context.with(trace.setSpan(context.active(), outer), () =>
      createSupportGraph({ model, tools }).invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] }),
    );
    outer.end();
    const spans = tracing.exporter.getFinishedSpans();
    expect(tree(spans, only(spans, "POST /chat"))).toBe(
      [
        "POST /chat",
        "  invoke_agent acme-support",
        "    retrieve",
        "      retrieval KeywordRetriever",
        "    agent",
        "      chat acme-scripted-1",
        "        POST /v1/chat/completions",
        "    tools",
        "      execute_tool lookup_order",
        "        db.query orders",
        "    agent",
        "      chat acme-scripted-1",
        "        POST /v1/chat/completions",
      ].join("\n"),
    );
  });

  it("leaks no context into the caller or the next request", async () => {
    const graph = createSupportGraph();
    expect(trace.getActiveSpan()).toBeUndefined();
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(trace.getActiveSpan()).toBeUndefined();
    await graph.invoke(ask("What is your refund policy?"), { callbacks: [handler] });
    expect(trace.getActiveSpan()).toBeUndefined();
    const roots = tracing.exporter.getFinishedSpans().filter((s) => s.name.startsWith("invoke_agent"));
    expect(roots).toHaveLength(2);
    for (const r of roots) expect(r.parentSpanContext).toBeUndefined();
    expect(traceId(roots[0] as never)).not.toBe(traceId(roots[1] as never));
  });
});

describe("subgraphs", () => {
  it("nests a subgraph's nodes under its own invoke_agent span, under the node that runs it", async () => {
    const { Annotation, END, START, StateGraph } = await import("@langchain/langgraph");
    const State = Annotation.Root({ steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const inner = new StateGraph(State)
      .addNode("search", async () => ({ steps: ["search"] }))
      .addNode("summarize", async () => ({ steps: ["summarize"] }))
      .addEdge(START, "search")
      .addEdge("search", "summarize")
      .addEdge("summarize", END)
      .compile();
    const outer = new StateGraph(State)
      .addNode("plan", async () => ({ steps: ["plan"] }))
      .addNode("research", inner)
      .addEdge(START, "plan")
      .addEdge("plan", "research")
      .addEdge("research", END)
      .compile({ name: "planner" });
    await outer.invoke({ steps: [] }, { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    expect(tree(spans, only(spans, "invoke_agent planner"))).toBe(
      ["invoke_agent planner", "  plan", "  research", "    invoke_agent research", "      search", "      summarize"].join("\n"),
    );
  });
});
