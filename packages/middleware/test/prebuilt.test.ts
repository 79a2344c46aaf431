import { ScriptedChatModel, supportTools } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { createAgent } from "langchain";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { only, tree } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make({ agentName: "support" }));
});

const question = { messages: [new HumanMessage("Where is my order AB-1234?")] };

function expectAgentTrace() {
  const spans = tracing.exporter.getFinishedSpans();
  const root = only(spans, "invoke_agent support");
  const names = spans.map((s) => s.name);
  expect(names.filter((n) => n === "chat acme-scripted-1")).toHaveLength(2);
  expect(names.filter((n) => n === "execute_tool lookup_order")).toHaveLength(1);
  expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  expect(handler.openRuns).toBe(0);
  return tree(spans, root);
}

describe("prebuilt agents and plain runnables", () => {
  it("traces langgraph's createReactAgent", async () => {
    const agent = createReactAgent({ llm: new ScriptedChatModel(), tools: supportTools });
    await agent.invoke(question, { callbacks: [handler] });
    expect(expectAgentTrace()).toBe(
      [
        "invoke_agent support",
        "  agent",
        "    chat acme-scripted-1",
        "  tools",
        "    execute_tool lookup_order",
        "  agent",
        "    chat acme-scripted-1",
      ].join("\n"),
    );
  });

  it("traces langchain's createAgent", async () => {
    const agent = createAgent({ model: new ScriptedChatModel(), tools: supportTools });
    await agent.invoke(question, { callbacks: [handler] });
    const text = expectAgentTrace();
    expect(text).toContain("    chat acme-scripted-1");
    expect(text).toContain("    execute_tool lookup_order");
  });

  it("traces a plain prompt | model | parser chain as one agent run with one chat span", async () => {
    const chain = ChatPromptTemplate.fromMessages([["human", "{question}"]])
      .pipe(new ScriptedChatModel())
      .pipe(new StringOutputParser());
    const outputs = await chain.batch([{ question: "hello" }, { question: "refund?" }], { callbacks: [handler] });
    expect(outputs).toHaveLength(2);
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual([
      "chat acme-scripted-1",
      "chat acme-scripted-1",
      "invoke_agent support",
      "invoke_agent support",
    ]);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(2);
  });

  it("traces streamEvents", async () => {
    const agent = createReactAgent({ llm: new ScriptedChatModel(), tools: supportTools });
    let events = 0;
    for await (const _ of agent.streamEvents(question, { version: "v2", callbacks: [handler] })) events++;
    expect(events).toBeGreaterThan(0);
    expectAgentTrace();
  });
});
