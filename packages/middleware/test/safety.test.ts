import { createSupportGraph, createSupportTools } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
const errorsFor = async (handler: AgentWatchHandler, callback: string) =>
  value(parseExposition(await handler.registry.metrics()), "agentwatch_handler_errors_total", { callback });

describe("content capture", () => {
  it("captures prompts, completions, tool arguments and results only when asked, truncated and redacted", async () => {
    const { handler, tracing } = make({ captureContent: true, maxContentLength: 2000 });
    await createSupportGraph().invoke(ask("Where is my order AB-1234? Mail me at jane.doe@example.com, key sk-proj-abcdefghijklmnop1234"), {
      callbacks: [handler],
    });
    const spans = tracing.exporter.getFinishedSpans();
    const chat = spans.find((s) => s.name === "chat acme-scripted-1");
    const input = String(chat?.attributes["gen_ai.input.messages"]);
    expect(JSON.parse(input)[0]).toMatchObject({ role: "user", parts: [{ type: "text" }] });
    expect(input).toContain("[REDACTED_EMAIL]");
    expect(input).toContain("[REDACTED_API_KEY]");
    expect(input).not.toContain("jane.doe@example.com");
    expect(String(chat?.attributes["gen_ai.system_instructions"])).toContain("Acme support");
    expect(JSON.parse(String(chat?.attributes["gen_ai.output.messages"]))[0]).toMatchObject({
      role: "assistant",
      finish_reason: "tool_calls",
    });
    const toolSpan = only(spans, "execute_tool lookup_order");
    expect(String(toolSpan.attributes["gen_ai.tool.call.arguments"])).toContain("AB-1234");
    expect(String(toolSpan.attributes["gen_ai.tool.call.result"])).not.toBe("");
    expect(String(only(spans, "retrieval KeywordRetriever").attributes["gen_ai.retrieval.query.text"])).toContain("order");
  });

  it("truncates to maxContentLength and applies a custom redaction hook", async () => {
    const { handler, tracing } = make({ captureContent: true, maxContentLength: 20, redact: (t) => t.toUpperCase() });
    await createSupportGraph().invoke(ask("where is my order AB-1234 please, it is late"), { callbacks: [handler] });
    const query = String(only(tracing.exporter.getFinishedSpans(), "retrieval KeywordRetriever").attributes["gen_ai.retrieval.query.text"]);
    expect(query.startsWith("WHERE IS MY ORDER AB")).toBe(true);
    expect(query).toContain("[TRUNCATED");
  });

  it("never puts secrets from invocation params on spans", async () => {
    const { handler, tracing } = make({ captureContent: true });
    const { ScriptedChatModel } = await import("@agentwatch/fixtures");
    await new ScriptedChatModel({ apiKey: "sk-live-THIS-IS-A-SECRET-KEY-0000" }).invoke("hi", { callbacks: [handler] });
    const dump = JSON.stringify(tracing.exporter.getFinishedSpans().map((s) => s.attributes));
    expect(dump).not.toContain("THIS-IS-A-SECRET");
  });

  it("drops the text, keeps the agent running and counts the error when the redaction hook throws", async () => {
    const { handler, tracing } = make({
      captureContent: true,
      redact: () => {
        throw new Error("redactor down");
      },
    });
    const result = await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(result.messages.at(-1)?.content).toBeTruthy();
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans).toHaveLength(9);
    for (const s of spans) expect(Object.keys(s.attributes).some((k) => /messages|arguments|result|query/.test(k))).toBe(false);
    expect(await errorsFor(handler, "redact")).toBeGreaterThan(0);
  });
});

describe("hostile callback input", () => {
  it("ignores malformed, unknown and out-of-order events without throwing", async () => {
    const { handler, tracing } = make();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const calls: Promise<unknown>[] = [
      handler.handleChainEnd({}, "never-started"),
      handler.handleLLMEnd({ generations: "nope" } as never, "never-started"),
      handler.handleToolError(new Error("x"), "never-started"),
      handler.handleChainStart(null as never, cyclic, 42 as never),
      handler.handleChainStart({ id: 5 } as never, {}, "child", "unknown-parent"),
      handler.handleLLMNewToken("t", {} as never, "unknown"),
      handler.handleRetrieverEnd(null as never, "unknown"),
    ];
    await expect(Promise.all(calls)).resolves.toBeDefined();
    // A start then a duplicate start then two ends: one span, ended once.
    await handler.handleChainStart({ id: ["x", "Graph"] } as never, {}, "r1", undefined, [], {}, undefined, "agent-x" as never);
    await handler.handleChainStart({ id: ["x", "Graph"] } as never, {}, "r1", undefined, [], {}, undefined, "agent-x" as never);
    await handler.handleLLMEnd({ generations: [[{ text: "x", message: cyclic }]] } as never, "r1");
    await handler.handleChainEnd({}, "r1");
    await handler.handleChainEnd({}, "r1");
    expect(tracing.exporter.getFinishedSpans().map((s) => s.name)).toEqual(["invoke_agent agent-x"]);
    expect(handler.openRuns).toBe(0);
  });

  it("keeps a throwing tracer provider away from the agent and counts it", async () => {
    const broken = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error("exporter exploded");
        },
        startActiveSpan: () => {
          throw new Error("exporter exploded");
        },
      }),
    };
    const { handler } = make({ tracerProvider: broken as never });
    const result = await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(result.messages.length).toBe(4);
    expect(await errorsFor(handler, "handleChainStart")).toBeGreaterThan(0);
    expect(handler.openRuns).toBe(0);
  });
});

describe("abandoned runs", () => {
  it("evicts runs that never end after the TTL, ends their spans and counts them", async () => {
    // A TTL long enough that no run reaching the hung tool is swept before it gets there, even on
    // a busy machine (every run start sweeps), short enough for a test.
    const { handler, tracing } = make({ runTtlMs: 1000 });
    // A tool that hangs forever: its tool, node and agent runs never end.
    let reached: () => void = () => {};
    const toolReached = new Promise<void>((resolve) => (reached = resolve));
    const hung = createSupportGraph({
      tools: createSupportTools({
        onCall: () => {
          reached();
          return new Promise<void>(() => {});
        },
      }),
    });
    void hung.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    await toolReached;
    expect(handler.openRuns).toBe(3);
    await new Promise((r) => setTimeout(r, 1100));
    // Any later run sweeps the store (the periodic sweep would do the same within a second); a
    // one-step runnable, so that it cannot itself outlive the TTL on a busy machine.
    await RunnableLambda.from((text: string) => text.length).invoke("hello", { callbacks: [handler] });
    expect(handler.openRuns).toBe(0);
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_runs_evicted_total")).toBe(3);
    const evicted = tracing.exporter.getFinishedSpans().filter((s) => s.attributes["agentwatch.run.evicted"] === true);
    expect(evicted.map((s) => s.name).sort()).toEqual(["execute_tool lookup_order", "invoke_agent acme-support", "tools"]);
  });

  it("caps the number of open runs", async () => {
    const { handler } = make({ maxOpenRuns: 10 });
    for (let i = 0; i < 25; i++) await handler.handleChainStart({ id: ["Graph"] } as never, {}, `run-${i}`);
    expect(handler.openRuns).toBe(10);
    expect(value(parseExposition(await handler.registry.metrics()), "agentwatch_runs_evicted_total")).toBe(15);
  });
});
