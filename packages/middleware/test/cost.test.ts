import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only, parentId, spanId } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

/** One chat-model run driven through the handler's public callbacks, as LangChain would. */
async function chat(h: AgentWatchHandler, runId: string, model: string, lsProvider: string, usage: Record<string, unknown>) {
  const serialized = { lc: 1, type: "not_implemented", id: ["langchain", "chat_models", "X"] };
  await h.handleChatModelStart(serialized as never, [[]], runId, undefined, { invocation_params: { model } }, [], {
    ls_provider: lsProvider,
  });
  const message = new AIMessage({ content: "ok", usage_metadata: usage as never });
  await h.handleLLMEnd({ generations: [[{ text: "ok", message }]] }, runId);
}

/** USD from published per-1M-token rates, computed here independently of the library. */
const usd = (parts: [tokens: number, ratePerMillion: number][]) => parts.reduce((acc, [t, r]) => acc + (t * r) / 1e6, 0);

describe("pricing", () => {
  it.each([
    {
      name: "OpenAI gpt-4o with cache reads and reasoning",
      model: "gpt-4o",
      provider: "openai",
      usage: {
        input_tokens: 10_000,
        output_tokens: 2_000,
        total_tokens: 12_000,
        input_token_details: { cache_read: 4_000 },
        output_token_details: { reasoning: 500 },
      },
      // $2.50 input, $1.25 cached input, $10 output (reasoning is output) per 1M tokens
      expected: usd([
        [6_000, 2.5],
        [4_000, 1.25],
        [2_000, 10],
      ]),
    },
    {
      name: "Anthropic claude-sonnet-4-5 with cache reads and writes",
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      usage: {
        input_tokens: 10_000,
        output_tokens: 1_000,
        total_tokens: 11_000,
        input_token_details: { cache_read: 2_000, cache_creation: 3_000 },
      },
      // $3 input, $0.30 cache read, $3.75 cache write, $15 output per 1M tokens (under 200k tokens)
      expected: usd([
        [5_000, 3],
        [2_000, 0.3],
        [3_000, 3.75],
        [1_000, 15],
      ]),
    },
    {
      name: "Google gemini-2.5-flash via ls_provider google_genai",
      model: "gemini-2.5-flash",
      provider: "google_genai",
      usage: { input_tokens: 100_000, output_tokens: 10_000, total_tokens: 110_000, input_token_details: { cache_read: 50_000 } },
      // $0.30 input, $0.03 cached input, $2.50 output per 1M tokens
      expected: usd([
        [50_000, 0.3],
        [50_000, 0.03],
        [10_000, 2.5],
      ]),
    },
  ])("prices $name at the published rates", async ({ model, provider, usage, expected }) => {
    await chat(handler, "r", model, provider, usage);
    const span = tracing.exporter.getFinishedSpans()[0];
    expect(span?.attributes["agentwatch.cost.usd"]).toBeCloseTo(expected, 10);
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_cost_usd_total", { model })).toBeCloseTo(expected, 10);
  });

  it("lets overrides win, by model or provider/model, with their own cache and reasoning rates", async () => {
    const { handler: h, tracing: t } = make({
      prices: {
        "openai/gpt-4o": { input: 1, output: 2 },
        "ft:acme-support": { input: 4, output: 8, cacheRead: 0.5, reasoning: 16 },
      },
    });
    await chat(h, "a", "gpt-4o", "openai", { input_tokens: 1_000_000, output_tokens: 1_000_000, total_tokens: 2_000_000 });
    await chat(h, "b", "ft:acme-support", "openai", {
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      total_tokens: 2_000_000,
      input_token_details: { cache_read: 500_000 },
      output_token_details: { reasoning: 250_000 },
    });
    const [a, b] = t.exporter.getFinishedSpans();
    expect(a?.attributes["agentwatch.cost.usd"]).toBeCloseTo(3, 10);
    expect(b?.attributes["agentwatch.cost.usd"]).toBeCloseTo(
      usd([
        [500_000, 4],
        [500_000, 0.5],
        [750_000, 8],
        [250_000, 16],
      ]),
      10,
    );
  });

  it("does not price an unknown model as $0: it counts it and marks the span", async () => {
    await chat(handler, "u", "acme-private-llm", "openai", { input_tokens: 10, output_tokens: 5, total_tokens: 15 });
    const span = tracing.exporter.getFinishedSpans()[0];
    expect(span?.attributes["agentwatch.cost.priced"]).toBe(false);
    expect(span?.attributes["agentwatch.cost.usd"]).toBeUndefined();
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_unpriced_calls_total", { provider: "openai", model: "acme-private-llm" })).toBe(1);
    expect(find(m, "agentwatch_cost_usd_total")).toEqual([]);
  });

  it("estimates tokens with a tokenizer when the provider reports none, and says so", async () => {
    const model = new ScriptedChatModel({ reportUsage: false });
    await model.invoke("Where is my order AB-1234? It has not arrived yet.", { callbacks: [handler] });
    const span = only(tracing.exporter.getFinishedSpans(), "chat acme-scripted-1");
    expect(span.attributes["agentwatch.usage.estimated"]).toBe(true);
    // "Where is my order AB-1234? It has not arrived yet." is 15 o200k tokens.
    expect(span.attributes["gen_ai.usage.input_tokens"]).toBe(15);
    expect(span.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(3);
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_estimated_usage_calls_total", { model: "acme-scripted-1" })).toBe(1);
  });
});

describe("attribution", () => {
  const priced = { prices: { "acme-scripted-1": { input: 150, output: 600, cacheRead: 75 } } };

  it("rolls model costs up onto their node span and the root span", async () => {
    const { handler: h, tracing: t } = make(priced);
    await createSupportGraph().invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, { callbacks: [h] });
    const spans = t.exporter.getFinishedSpans();
    const chats = spans.filter((s) => s.name === "chat acme-scripted-1");
    const costs = chats.map((c) => c.attributes["agentwatch.cost.usd"] as number);
    for (const c of costs) expect(c).toBeGreaterThan(0);
    for (const c of chats) {
      const node = spans.find((s) => spanId(s) === parentId(c));
      expect(node?.name).toBe("agent");
      expect(node?.attributes["agentwatch.cost.usd"]).toBe(c.attributes["agentwatch.cost.usd"]);
    }
    expect(only(spans, "tools").attributes["agentwatch.cost.usd"]).toBe(0);
    expect(only(spans, "invoke_agent acme-support").attributes["agentwatch.cost.usd"]).toBeCloseTo((costs[0] ?? 0) + (costs[1] ?? 0), 12);
  });

  it("counts cost by agent, model and feature across concurrent runs, and observes each run's total", async () => {
    const { handler: h, tracing: t } = make({ ...priced, attributionLabels: ["tenant"] });
    const graph = createSupportGraph();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        graph.invoke(
          { messages: [new HumanMessage(i % 2 ? "Where is my order AB-1234?" : "What is your refund policy?")] },
          { callbacks: [h], metadata: { feature: i % 4 < 2 ? "orders" : "refunds", tenant: `t${i % 3}`, user_id: `u${i}` } },
        ),
      ),
    );
    const roots = t.exporter.getFinishedSpans().filter((s) => s.name.startsWith("invoke_agent"));
    const total = roots.reduce((acc, r) => acc + (r.attributes["agentwatch.cost.usd"] as number), 0);
    const m = parseExposition(await h.registry.metrics());
    const series = find(m, "agentwatch_cost_usd_total");
    expect(series.reduce((acc, s) => acc + s.value, 0)).toBeCloseTo(total, 10);
    expect(new Set(series.map((s) => s.labels.feature))).toEqual(new Set(["orders", "refunds"]));
    expect(new Set(series.map((s) => s.labels.tenant))).toEqual(new Set(["t0", "t1", "t2"]));
    for (const s of series) expect(Object.keys(s.labels).sort()).toEqual(["agent", "feature", "model", "provider", "tenant"]);
    expect(value(m, "agentwatch_agent_run_cost_usd_count", { agent: "acme-support" })).toBe(20);
    expect(value(m, "agentwatch_agent_run_cost_usd_sum", { agent: "acme-support" })).toBeCloseTo(total, 10);
  });

  it("exposes daily budgets as gauges", async () => {
    const { handler: h } = make({ budgets: { global: 100, agents: { "acme-support": 40 }, features: { orders: 5 } } });
    const m = parseExposition(await h.registry.metrics());
    expect(value(m, "agentwatch_budget_usd", { scope: "global", name: "global" })).toBe(100);
    expect(value(m, "agentwatch_budget_usd", { scope: "agent", name: "acme-support" })).toBe(40);
    expect(value(m, "agentwatch_budget_usd", { scope: "feature", name: "orders" })).toBe(5);
  });
});
