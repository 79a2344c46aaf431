import { ScriptedChatModel, supportTools } from "@agentwatch/fixtures";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { Annotation, END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createAgent } from "langchain";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only, parentId, spanId, tree } from "./support/otel.js";

const make = handlerMaker();
afterEach(() => {
  vi.restoreAllMocks();
});

const question = { messages: [new HumanMessage("Where is my order AB-1234?")] };
const prices = {
  "acme-scripted-1": { input: 150, output: 600, cacheRead: 75 },
  "acme-scripted-2": { input: 300, output: 1200, cacheRead: 150 },
  "acme-router-1": { input: 10, output: 40, cacheRead: 5 },
};

/**
 * A supervisor in the shape of createSupervisor: its own model node `agent` routes to two prebuilt
 * experts, "researcher" added as a node (the compiled graph is the node) and "writer" invoked inside
 * a node's function, each a createReactAgent with its own `agent` and `tools` nodes.
 */
function supervisorGraph() {
  const researcher = createReactAgent({ llm: new ScriptedChatModel(), tools: supportTools, name: "researcher" });
  const writer = createReactAgent({ llm: new ScriptedChatModel({ model: "acme-scripted-2" }), tools: supportTools, name: "writer" });
  const router = new ScriptedChatModel({ model: "acme-router-1" });
  const State = Annotation.Root({ ...MessagesAnnotation.spec, turn: Annotation<number>({ reducer: (_, b) => b, default: () => 0 }) });
  return new StateGraph(State)
    .addNode("agent", async (s) => ({ messages: [await router.invoke(s.messages)], turn: s.turn + 1 }))
    .addNode("researcher", researcher)
    .addNode("writer", async (s) => {
      const out = await writer.invoke({ messages: s.messages });
      return { messages: out.messages.slice(s.messages.length) };
    })
    .addEdge(START, "agent")
    .addConditionalEdges("agent", (s) => (s.turn === 1 ? "researcher" : s.turn === 2 ? "writer" : END), ["researcher", "writer", END])
    .addEdge("researcher", "agent")
    .addEdge("writer", "agent")
    .compile({ name: "supervisor" });
}

const attr = (s: ReadableSpan, name: string) => s.attributes[name];

describe("nested agents", () => {
  it("gives each expert of a supervisor its own invoke_agent span under the node it runs in", async () => {
    const { handler, tracing } = make({ prices });
    await supervisorGraph().invoke(question, { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    const root = only(spans, "invoke_agent supervisor");
    for (const expert of ["researcher", "writer"]) {
      const agentSpan = only(spans, `invoke_agent ${expert}`);
      expect(attr(agentSpan, "gen_ai.agent.name")).toBe(expert);
      expect(attr(agentSpan, "gen_ai.operation.name")).toBe("invoke_agent");
      expect(attr(agentSpan, "gen_ai.provider.name")).toBe("scripted");
      const node = only(spans, expert);
      expect(parentId(agentSpan)).toBe(spanId(node));
      expect(parentId(node)).toBe(spanId(root));
      // Everything the expert does is under its span.
      expect(tree(spans, agentSpan)).toBe(
        [
          `invoke_agent ${expert}`,
          "  agent",
          `    chat ${expert === "writer" ? "acme-scripted-2" : "acme-scripted-1"}`,
          "  tools",
          "    execute_tool lookup_order",
          "  agent",
          `    chat ${expert === "writer" ? "acme-scripted-2" : "acme-scripted-1"}`,
        ].join("\n"),
      );
    }
    expect(handler.openRuns).toBe(0);
  });

  it("labels the metrics of every run inside an expert with the expert, and counts whole runs once", async () => {
    const { handler, tracing } = make({ prices });
    await supervisorGraph().invoke(question, { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const nodes = (agent: string, node: string) => value(m, "agentwatch_node_duration_seconds_count", { agent, node, error_type: "" });
    expect(nodes("supervisor", "agent")).toBe(3);
    expect(nodes("supervisor", "researcher")).toBe(1);
    expect(nodes("supervisor", "writer")).toBe(1);
    for (const expert of ["researcher", "writer"]) {
      expect(nodes(expert, "agent")).toBe(2);
      expect(nodes(expert, "tools")).toBe(1);
      expect(value(m, "gen_ai_execute_tool_duration_seconds_count", { gen_ai_agent_name: expert, gen_ai_tool_name: "lookup_order" })).toBe(
        1,
      );
      expect(value(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_agent_name: expert })).toBe(2);
      expect(
        value(m, "agentwatch_nested_agent_duration_seconds_count", { agent: expert, parent_agent: "supervisor", error_type: "" }),
      ).toBe(1);
    }
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_agent_name: "supervisor" })).toBe(3);
    // One request: the whole-run metrics see the supervisor only, once.
    expect(find(m, "gen_ai_invoke_agent_duration_seconds_count").map((s) => s.labels.gen_ai_agent_name)).toEqual(["supervisor"]);
    expect(value(m, "gen_ai_invoke_agent_duration_seconds_count")).toBe(1);

    // Cost is counted at the innermost agent only: the sum over agents is the run's cost.
    const spans = tracing.exporter.getFinishedSpans();
    const total = attr(only(spans, "invoke_agent supervisor"), "agentwatch.cost.usd") as number;
    const byAgent = new Map(find(m, "agentwatch_cost_usd_total").map((s) => [s.labels.agent, s.value]));
    expect([...byAgent.keys()].sort()).toEqual(["researcher", "supervisor", "writer"]);
    for (const expert of ["researcher", "writer"]) {
      expect(byAgent.get(expert)).toBeCloseTo(attr(only(spans, `invoke_agent ${expert}`), "agentwatch.cost.usd") as number, 12);
    }
    const sum = [...byAgent.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(sum).toBeCloseTo(total, 12);
    expect(value(m, "agentwatch_agent_run_cost_usd_sum")).toBeCloseTo(total, 12);
  });

  it("names an expert built with langchain's createAgent, and a default-named graph called from a tool after the tool", async () => {
    const { handler, tracing } = make();
    const expert = createAgent({ model: new ScriptedChatModel(), tools: supportTools, name: "order-expert" });
    const helper = new StateGraph(MessagesAnnotation)
      .addNode("answer", async () => ({ messages: [new AIMessage("checked")] }))
      .addEdge(START, "answer")
      .addEdge("answer", END)
      .compile();
    const ask = tool(async () => JSON.stringify(await helper.invoke({ messages: [new HumanMessage("check")] })), {
      name: "ask_helper",
      description: "Asks the helper graph.",
      schema: z.object({}),
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("expert", async (s) => ({ messages: (await expert.invoke({ messages: s.messages })).messages.slice(s.messages.length) }))
      .addNode("helper", async () => {
        await ask.invoke({});
        return {};
      })
      .addEdge(START, "expert")
      .addEdge("expert", "helper")
      .addEdge("helper", END)
      .compile({ name: "front-desk" });
    await graph.invoke(question, { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    const expertSpan = only(spans, "invoke_agent order-expert");
    expect(parentId(expertSpan)).toBe(spanId(only(spans, "expert")));
    const helperSpan = only(spans, "invoke_agent ask_helper");
    expect(parentId(helperSpan)).toBe(spanId(only(spans, "execute_tool ask_helper")));
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_agent_name: "order-expert" })).toBe(2);
    expect(value(m, "agentwatch_node_duration_seconds_count", { agent: "ask_helper", node: "answer" })).toBe(1);
    expect(value(m, "agentwatch_nested_agent_duration_seconds_count", { agent: "ask_helper", parent_agent: "front-desk" })).toBe(1);
  });

  it("keeps a subgraph node and an inner node of the same name in different series", async () => {
    const { handler, tracing } = make();
    const answer = async () => ({ messages: [new AIMessage("found it")] });
    const inner = new StateGraph(MessagesAnnotation)
      .addNode("search", answer)
      .addNode("rank", answer)
      .addEdge(START, "search")
      .addEdge("search", "rank")
      .addEdge("rank", END)
      .compile();
    const named = new StateGraph(MessagesAnnotation)
      .addNode("search", answer)
      .addEdge(START, "search")
      .addEdge("search", END)
      .compile({ name: "archive" });
    const pipeline = new StateGraph(MessagesAnnotation)
      .addNode("search", inner)
      .addNode("archive_search", named)
      .addEdge(START, "search")
      .addEdge("search", "archive_search")
      .addEdge("archive_search", END)
      .compile({ name: "pipeline" });
    await pipeline.invoke(question, { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const nodes = (agent: string) =>
      find(m, "agentwatch_node_duration_seconds_count", { agent })
        .map((s) => `${s.labels.node}=${s.value}`)
        .sort();
    expect(nodes("pipeline")).toEqual(["archive_search=1", "search=1"]);
    // A subgraph left with the default name is named for the node it runs in.
    expect(nodes("search")).toEqual(["rank=1", "search=1"]);
    expect(nodes("archive")).toEqual(["search=1"]);
    const spans = tracing.exporter.getFinishedSpans();
    expect(tree(spans, only(spans, "invoke_agent pipeline"))).toBe(
      [
        "invoke_agent pipeline",
        "  search",
        "    invoke_agent search",
        "      search",
        "      rank",
        "  archive_search",
        "    invoke_agent archive",
        "      search",
      ].join("\n"),
    );
  });
});

describe("the default agent name", () => {
  const defaultAgent = () => createReactAgent({ llm: new ScriptedChatModel(), tools: supportTools });

  it("warns once per handler, naming the fix, for a graph left with LangGraph's generic name, and not for a named one", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const ours = () => warn.mock.calls.filter((c) => String(c[0]).startsWith("agentwatch:"));
    // Named: by the graph, the agentName option, run metadata agent_name, or runName.
    const named = createReactAgent({ llm: new ScriptedChatModel(), tools: supportTools, name: "support" });
    await named.invoke(question, { callbacks: [make().handler] });
    await defaultAgent().invoke(question, { callbacks: [make({ agentName: "support" }).handler] });
    await defaultAgent().invoke(question, { callbacks: [make().handler], metadata: { agent_name: "support" } });
    await defaultAgent()
      .withConfig({ runName: "support" })
      .invoke(question, { callbacks: [make().handler] });
    expect(ours()).toHaveLength(0);

    const { handler, tracing } = make();
    await defaultAgent().invoke(question, { callbacks: [handler] });
    await defaultAgent().invoke(question, { callbacks: [handler] });
    expect(ours()).toHaveLength(1);
    const message = String(ours()[0]?.[0]);
    expect(message).toContain('"LangGraph"');
    expect(message).toContain("agentName");
    expect(message).toContain("compile({ name");
    expect(message).toContain("runName");
    expect(message).toContain("agent_name");
    expect(tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent LangGraph")).toHaveLength(2);
    // Another handler warns again, once.
    await defaultAgent().invoke(question, { callbacks: [make().handler] });
    expect(ours()).toHaveLength(2);
  });
});
