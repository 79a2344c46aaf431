import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { type AIMessage, AIMessageChunk, type BaseMessage, HumanMessage, type ToolMessage } from "@langchain/core/messages";
import { Command, isInterrupted } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import {
  createInterruptingGraph,
  createSupportGraph,
  createSupportTools,
  KeywordRetriever,
  RetrieverTimeoutError,
  ScriptedChatModel,
} from "../src/index.js";

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
const types = (messages: BaseMessage[]) => messages.map((m) => m.getType());

/** Records the runs LangChain reports: kind, name and metadata. */
class RunRecorder extends BaseCallbackHandler {
  name = "run-recorder";
  runs: { kind: string; name: string; metadata: Record<string, unknown> }[] = [];
  errors: string[] = [];
  override handleChainStart(
    chain: { id: string[] },
    _i: unknown,
    _r: string,
    _p?: string,
    _t?: string[],
    metadata?: Record<string, unknown>,
    _rt?: string,
    runName?: string,
  ) {
    this.runs.push({ kind: "chain", name: runName ?? chain.id.at(-1) ?? "", metadata: metadata ?? {} });
  }
  override handleChatModelStart(
    llm: { id: string[] },
    _m: unknown,
    _r: string,
    _p?: string,
    _e?: unknown,
    _t?: string[],
    metadata?: Record<string, unknown>,
  ) {
    this.runs.push({ kind: "chat", name: llm.id.at(-1) ?? "", metadata: metadata ?? {} });
  }
  override handleRetrieverStart(
    retriever: { id: string[] },
    _q: string,
    _r: string,
    _p?: string,
    _t?: string[],
    metadata?: Record<string, unknown>,
  ) {
    this.runs.push({ kind: "retriever", name: retriever.id.at(-1) ?? "", metadata: metadata ?? {} });
  }
  override handleToolStart(
    _t: unknown,
    _i: string,
    _r: string,
    _p?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ) {
    this.runs.push({ kind: "tool", name: runName ?? "", metadata: metadata ?? {} });
  }
  override handleToolError(error: Error) {
    this.errors.push(`tool ${error.name}: ${error.message}`);
  }
  override handleChainError(error: Error, _r: string, _p?: string, _t?: string[], kwargs?: { inputs?: unknown }) {
    void kwargs;
    this.errors.push(`chain ${error.name}: ${error.message}`);
  }
}

describe("createSupportGraph", () => {
  it("answers an order question after one tools round trip", async () => {
    const result = await createSupportGraph().invoke(ask("Where is my order AB-1234?"));
    expect(types(result.messages)).toEqual(["human", "ai", "tool", "ai"]);
    const [, call, toolResult, answer] = result.messages as [HumanMessage, AIMessage, ToolMessage, AIMessage];
    expect(call.tool_calls?.map((c) => [c.name, c.args])).toEqual([["lookup_order", { orderId: "AB-1234" }]]);
    expect(toolResult.tool_call_id).toBe(call.tool_calls?.[0]?.id);
    expect(toolResult.status).toBe("success");
    expect(answer.content).toContain("Here is what I found: orderId: AB-1234, status: shipped");
    expect(answer.tool_calls).toEqual([]);
    expect(result.docs.length).toBeGreaterThan(0);
    expect(result.docs[0]?.metadata.id).toBe("kb-order-1");
  });

  it("answers from the knowledge base without tools when no intent matches", async () => {
    const result = await createSupportGraph().invoke(ask("How do I reset my password?"));
    expect(types(result.messages)).toEqual(["human", "ai"]);
    expect(result.messages[1]?.content).toMatch(/^Based on our help center: Reset your password: To reset your password/);
  });

  it("turns a failing tool into an error ToolMessage (ToolNode's default) and still answers", async () => {
    const recorder = new RunRecorder();
    const result = await createSupportGraph().invoke(ask("Where is my order ERR-500?"), { callbacks: [recorder] });
    expect(types(result.messages)).toEqual(["human", "ai", "tool", "ai"]);
    const toolMessage = result.messages[2] as ToolMessage;
    expect(toolMessage.status).toBe("error");
    expect(toolMessage.content).toBe("Error: order service unavailable\n Please fix your mistakes.");
    expect(recorder.errors).toEqual(["tool OrderServiceError: order service unavailable"]);
    expect(result.messages[3]?.content).toContain("order service unavailable");
  });

  it("rejects when the retrieve node fails", async () => {
    const recorder = new RunRecorder();
    const failing = createSupportGraph({ failNode: "retrieve" }).invoke(ask("hello"), { callbacks: [recorder] });
    await expect(failing).rejects.toThrow("vector store timeout");
    await expect(createSupportGraph({ failNode: "retrieve" }).invoke(ask("hello"))).rejects.toBeInstanceOf(RetrieverTimeoutError);
    expect(recorder.errors).toContain("chain RetrieverTimeoutError: vector store timeout");
    expect(recorder.runs.some((r) => r.kind === "retriever")).toBe(false);
  });

  it("is named acme-support and tags child runs with LangGraph and prompt metadata", async () => {
    const recorder = new RunRecorder();
    const graph = createSupportGraph();
    expect(graph.getName()).toBe("acme-support");
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [recorder], configurable: { thread_id: "t-1" } });
    const root = recorder.runs[0];
    expect(root).toMatchObject({ kind: "chain", name: "acme-support" });
    const nodes = recorder.runs.filter(
      (r) => r.kind === "chain" && typeof r.metadata.langgraph_node === "string" && r.name === r.metadata.langgraph_node,
    );
    expect(nodes.map((n) => [n.name, n.metadata.langgraph_step])).toEqual([
      ["__start__", 0],
      ["retrieve", 1],
      ["agent", 2],
      ["tools", 3],
      ["agent", 4],
    ]);
    const retriever = recorder.runs.find((r) => r.kind === "retriever");
    expect(retriever).toMatchObject({ name: "KeywordRetriever", metadata: { langgraph_node: "retrieve", thread_id: "t-1" } });
    const chats = recorder.runs.filter((r) => r.kind === "chat");
    expect(chats).toHaveLength(2);
    for (const chat of chats) {
      expect(chat.name).toBe("ScriptedChatModel");
      expect(chat.metadata).toMatchObject({
        langgraph_node: "agent",
        prompt_name: "acme-support-system",
        prompt_version: "v1",
        ls_provider: "scripted",
        ls_model_name: "acme-scripted-1",
        ls_model_type: "chat",
        ls_temperature: 0.2,
        ls_max_tokens: 512,
        thread_id: "t-1",
      });
    }
    expect(recorder.runs.find((r) => r.kind === "tool")).toMatchObject({
      name: "lookup_order",
      metadata: { langgraph_node: "tools", langgraph_step: 3 },
    });
  });

  it("streams model tokens with streamMode messages", async () => {
    const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 5, perTokenDelayMs: 1 }) });
    const chunks: [BaseMessage, Record<string, unknown>][] = [];
    for await (const chunk of await graph.stream(ask("How do I reset my password?"), { streamMode: "messages" })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    const fromModel = chunks.filter(([m, meta]) => meta.langgraph_node === "agent" && m instanceof AIMessageChunk);
    expect(fromModel.length).toBe(chunks.length);
    const whole = fromModel.map(([m]) => m as AIMessageChunk).reduce((acc, c) => acc.concat(c));
    expect(whole.content).toMatch(/^Based on our help center: /);
    expect(whole.usage_metadata?.output_tokens).toBe(fromModel.length);
    expect(whole.response_metadata).toMatchObject({ finish_reason: "stop", model_name: "acme-scripted-1-2026-11-01" });
  });

  it("produces the same final state streamed or not", async () => {
    const graph = createSupportGraph();
    const invoked = await graph.invoke(ask("Can I get a refund?"));
    let streamed: typeof invoked | undefined;
    for await (const [mode, value] of await graph.stream(ask("Can I get a refund?"), { streamMode: ["messages", "values"] })) {
      if (mode === "values") streamed = value as typeof invoked;
    }
    expect(types(streamed?.messages ?? [])).toEqual(types(invoked.messages));
    expect(streamed?.messages.map((m) => m.content)).toEqual(invoked.messages.map((m) => m.content));
    const usage = (messages: BaseMessage[]) => messages.map((m) => (m as AIMessage).usage_metadata);
    expect(usage(streamed?.messages ?? [])).toEqual(usage(invoked.messages));
  });

  it("uses the model, tools and retriever it is given", async () => {
    const calls: string[] = [];
    const graph = createSupportGraph({
      model: new ScriptedChatModel({ model: "other-model" }),
      tools: createSupportTools({ onCall: (name) => void calls.push(name) }),
      retriever: new KeywordRetriever({ k: 1 }),
      name: "custom",
    });
    expect(graph.getName()).toBe("custom");
    const result = await graph.invoke(ask("I need a human, please open a ticket"));
    expect(calls).toEqual(["create_ticket"]);
    expect(result.docs.length).toBeLessThanOrEqual(1);
    expect(String(result.messages.at(-1)?.content)).toMatch(/^Here is what I found: ticketId: T-\d{4}$/);
  });

  it("rejects a model without bindTools", () => {
    const model = new ScriptedChatModel();
    Object.defineProperty(model, "bindTools", { value: undefined });
    expect(() => createSupportGraph({ model })).toThrow(/bindTools/);
  });
});

describe("createInterruptingGraph", () => {
  it("interrupts for review, then finishes when resumed on the same thread", async () => {
    const graph = createInterruptingGraph();
    const config = { configurable: { thread_id: "hitl-test" } };
    const first = await graph.invoke({ request: "refund order AB-1234" }, config);
    if (!isInterrupted(first)) throw new Error("expected an interrupt");
    // LangGraph 1.x reports the pending interrupt in the invoke result, under __interrupt__.
    expect(first.__interrupt__).toEqual([{ id: expect.any(String), value: { question: "approve refund?" } }]);
    expect((first as { outcome?: string }).outcome).toBeUndefined();
    const state = await graph.getState(config);
    expect(state.next).toEqual(["review"]);

    const resumed = await graph.invoke(new Command({ resume: "approved" }), config);
    expect(resumed).toEqual({ request: "refund order AB-1234", decision: "approved", outcome: "refund approved" });
    expect("__interrupt__" in resumed).toBe(false);
  });

  it("declines for any other answer", async () => {
    const graph = createInterruptingGraph();
    const config = { configurable: { thread_id: "hitl-no" } };
    await graph.invoke({ request: "refund order CD-5678" }, config);
    expect((await graph.invoke(new Command({ resume: "no" }), config)).outcome).toBe("refund declined");
  });
});
