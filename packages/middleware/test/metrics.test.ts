import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it, vi } from "vitest";

import { type AgentWatchHandler, BUCKETS, createOpenMetricsRegistry, type MetricsRegistry } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

async function scrape(handler: AgentWatchHandler) {
  const server = createServer((req, res) => void handler.metricsHandler()(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    // As Prometheus asks: OpenMetrics first (without that, /metrics answers the text format).
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" },
    });
    return { contentType: res.headers.get("content-type") ?? "", body: await res.text() };
  } finally {
    server.close();
  }
}

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

describe("metrics", () => {
  it("serves the GenAI and agentwatch series with exemplars, as OpenMetrics", async () => {
    const { handler, tracing } = make();
    const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 5 }) });
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const { contentType, body } = await scrape(handler);
    expect(contentType).toContain("application/openmetrics-text");
    expect(body.trimEnd().endsWith("# EOF")).toBe(true);
    const m = parseExposition(body);

    const chat = {
      gen_ai_operation_name: "chat",
      gen_ai_provider_name: "scripted",
      gen_ai_request_model: "acme-scripted-1",
      gen_ai_agent_name: "acme-support",
    };
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { ...chat, error_type: "" })).toBe(2);
    expect(m.types.get("gen_ai_client_operation_duration_seconds")).toBe("histogram");

    const spans = tracing.exporter.getFinishedSpans();
    const chats = spans.filter((s) => s.name === "chat acme-scripted-1");
    const sumOf = (key: string) => chats.reduce((acc, s) => acc + Number(s.attributes[key] ?? 0), 0);
    expect(value(m, "gen_ai_client_token_usage_sum", { ...chat, gen_ai_token_type: "input" })).toBe(sumOf("gen_ai.usage.input_tokens"));
    expect(value(m, "gen_ai_client_token_usage_sum", { ...chat, gen_ai_token_type: "output" })).toBe(sumOf("gen_ai.usage.output_tokens"));
    expect(value(m, "agentwatch_token_usage_parts_total", { ...chat, part: "cache_read" })).toBe(
      sumOf("gen_ai.usage.cache_read.input_tokens"),
    );

    expect(value(m, "gen_ai_invoke_agent_duration_seconds_count", { gen_ai_agent_name: "acme-support", error_type: "" })).toBe(1);
    expect(
      value(m, "gen_ai_execute_tool_duration_seconds_count", {
        gen_ai_tool_name: "lookup_order",
        gen_ai_agent_name: "acme-support",
        error_type: "",
      }),
    ).toBe(1);
    for (const node of ["retrieve", "tools"]) {
      expect(value(m, "agentwatch_node_duration_seconds_count", { agent: "acme-support", node, error_type: "" })).toBe(1);
    }
    expect(value(m, "agentwatch_node_duration_seconds_count", { agent: "acme-support", node: "agent", error_type: "" })).toBe(2);
    expect(value(m, "agentwatch_run_llm_calls_sum", { agent: "acme-support" })).toBe(2);
    expect(value(m, "agentwatch_run_tool_calls_sum", { agent: "acme-support" })).toBe(1);
    expect(value(m, "agentwatch_retrieval_documents_count", { agent: "acme-support", gen_ai_data_source_id: "KeywordRetriever" })).toBe(1);
    const top = value(m, "agentwatch_retrieval_top_score_sum", { agent: "acme-support", gen_ai_data_source_id: "KeywordRetriever" });
    const docs = JSON.parse(String(only(spans, "retrieval KeywordRetriever").attributes["gen_ai.retrieval.documents"])) as {
      score: number;
    }[];
    expect(top).toBe(Math.max(...docs.map((d) => d.score)));
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "retrieval", error_type: "" })).toBe(1);
    expect(value(m, "agentwatch_open_runs")).toBe(0);

    // Exemplars link the duration histograms to the trace.
    const root = only(spans, "invoke_agent acme-support");
    const agentExemplars = find(m, "gen_ai_invoke_agent_duration_seconds_bucket").flatMap((s) => (s.exemplar ? [s.exemplar] : []));
    expect(agentExemplars).toHaveLength(1);
    expect(agentExemplars[0]?.labels).toEqual({ trace_id: root.spanContext().traceId, span_id: root.spanContext().spanId });
    const chatExemplars = find(m, "gen_ai_client_operation_duration_seconds_bucket", chat).filter((s) => s.exemplar);
    expect(chatExemplars.length).toBeGreaterThan(0);
    const chatSpanIds = new Set(chats.map((s) => s.spanContext().spanId));
    for (const s of chatExemplars) expect(chatSpanIds.has(s.exemplar?.labels.span_id ?? "")).toBe(true);
  });

  describe("exemplars", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("writes a bucket's exemplar at most once a second, and still counts every observation", async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-23T12:00:00Z") });
      const { handler, tracing } = make();
      const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 0, perTokenDelayMs: 0 }) });
      const agentExemplar = async () => {
        const m = parseExposition(await handler.registry.metrics());
        const withExemplar = find(m, "gen_ai_invoke_agent_duration_seconds_bucket").filter((s) => s.exemplar);
        return { m, traceIds: withExemplar.map((s) => s.exemplar?.labels.trace_id) };
      };
      const roots = () => tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent acme-support");
      const rootTraceIds = () => roots().map((s) => s.spanContext().traceId);

      for (let i = 0; i < 5; i++) await graph.invoke(ask("How do I reset my password?"), { callbacks: [handler] });
      const { m } = await agentExemplar();
      expect(value(m, "gen_ai_invoke_agent_duration_seconds_count", { error_type: "" })).toBe(5);
      expect(value(m, "agentwatch_node_duration_seconds_count", { node: "agent", error_type: "" })).toBe(5);
      expect(find(m, "agentwatch_handler_errors_total").reduce((sum, s) => sum + s.value, 0)).toBe(0);
      // Within one second, each bucket keeps the exemplar of the first run that reached it (which
      // bucket a run lands in depends on how busy the machine is, so it is read off its span).
      const firstInBucket = new Map<string, string>();
      for (const root of roots()) {
        const seconds = root.duration[0] + root.duration[1] / 1e9;
        const le = String(BUCKETS.invokeAgentDuration.find((bound) => seconds <= bound) ?? "+Inf");
        if (!firstInBucket.has(le)) firstInBucket.set(le, root.spanContext().traceId);
      }
      const exemplars = find(m, "gen_ai_invoke_agent_duration_seconds_bucket").filter((s) => s.exemplar);
      expect(exemplars.length).toBeGreaterThan(0);
      expect(exemplars).toHaveLength(firstInBucket.size);
      for (const bucket of exemplars) expect(bucket.exemplar?.labels.trace_id).toBe(firstInBucket.get(bucket.labels.le ?? ""));

      // A second later the next run writes it again.
      vi.setSystemTime(Date.now() + 1001);
      await graph.invoke(ask("How do I reset my password?"), { callbacks: [handler] });
      const later = await agentExemplar();
      expect(value(later.m, "gen_ai_invoke_agent_duration_seconds_count", { error_type: "" })).toBe(6);
      expect(later.traceIds).toContain(rootTraceIds().at(-1));
    });
  });

  it("records streamed time to first chunk and time per chunk", async () => {
    const { handler } = make();
    const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 30, perTokenDelayMs: 3 }) });
    for await (const _ of await graph.stream(ask("How do I reset my password?"), { callbacks: [handler], streamMode: "messages" })) {
      // drain
    }
    const m = parseExposition(await handler.registry.metrics());
    const labels = { gen_ai_operation_name: "chat", gen_ai_request_model: "acme-scripted-1" };
    expect(value(m, "gen_ai_client_operation_time_to_first_chunk_seconds_count", labels)).toBe(1);
    const ttft = value(m, "gen_ai_client_operation_time_to_first_chunk_seconds_sum", labels);
    expect(ttft).toBeGreaterThanOrEqual(0.029);
    expect(ttft).toBeLessThan(0.1);
    expect(value(m, "gen_ai_client_operation_time_per_output_chunk_seconds_count", labels)).toBeGreaterThan(1);
  });

  it("counts errors by error type and interrupts apart from errors", async () => {
    const { handler } = make();
    await createSupportGraph().invoke(ask("Where is my order ERR-500?"), { callbacks: [handler] });
    await createSupportGraph({ failNode: "retrieve" })
      .invoke(ask("hi"), { callbacks: [handler] })
      .catch(() => undefined);
    const m = parseExposition(await handler.registry.metrics());
    expect(
      value(m, "gen_ai_execute_tool_duration_seconds_count", { gen_ai_tool_name: "lookup_order", error_type: "OrderServiceError" }),
    ).toBe(1);
    expect(value(m, "agentwatch_node_duration_seconds_count", { node: "retrieve", error_type: "RetrieverTimeoutError" })).toBe(1);
    expect(value(m, "gen_ai_invoke_agent_duration_seconds_count", { error_type: "RetrieverTimeoutError" })).toBe(1);
    expect(value(m, "gen_ai_invoke_agent_duration_seconds_count", { error_type: "" })).toBe(1);
  });

  it("collapses label values past the cap into 'other' and counts the overflow", async () => {
    const { handler } = make({ maxLabelValues: 2 });
    for (const model of ["m-1", "m-2", "m-3", "m-4"]) {
      await new ScriptedChatModel({ model }).invoke("hello", { callbacks: [handler] });
    }
    const m = parseExposition(await handler.registry.metrics());
    const models = find(m, "gen_ai_client_operation_duration_seconds_count").map((s) => s.labels.gen_ai_request_model);
    expect(models.sort()).toEqual(["m-1", "m-2", "other"]);
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_request_model: "other" })).toBe(2);
    expect(
      value(m, "agentwatch_label_values_overflow_total", {
        metric: "gen_ai_client_operation_duration_seconds",
        label: "gen_ai_request_model",
      }),
    ).toBe(2);
  });

  it("uses a registry it is given, in Prometheus format without exemplars, and never the global one", async () => {
    const registry = new Registry();
    const { handler } = make({ registry });
    expect(handler.registry).toBe(registry);
    await new ScriptedChatModel().invoke("hello", { callbacks: [handler] });
    const { contentType, body } = await scrape(handler);
    expect(contentType).toContain("text/plain");
    const m = parseExposition(body);
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { error_type: "" })).toBe(1);
    expect(m.samples.every((s) => s.exemplar === undefined)).toBe(true);
    const { register } = await import("prom-client");
    expect(register.getSingleMetric("gen_ai_client_operation_duration_seconds")).toBeUndefined();
    // A second handler on the same registry shares the series instead of throwing.
    const second = make({ registry }).handler;
    await new ScriptedChatModel().invoke("hello", { callbacks: [second] });
    expect(value(parseExposition(await registry.metrics()), "gen_ai_client_operation_duration_seconds_count", { error_type: "" })).toBe(2);
  });

  describe("handlers sharing one registry", () => {
    const openRuns = async (registry: MetricsRegistry) => value(parseExposition(await registry.metrics()), "agentwatch_open_runs");
    const prompts = async (registry: MetricsRegistry) =>
      find(parseExposition(await registry.metrics()), "agentwatch_prompt_info").map((s) => s.labels.version);
    const openRun = (handler: AgentWatchHandler, id: string) => handler.handleChainStart({ id: ["Graph"] } as never, {}, id);
    const promptedRun = (handler: AgentWatchHandler, version: string) =>
      createSupportGraph({ promptMetadata: { prompt_name: "acme-support-system", prompt_version: version } }).invoke(ask("hello"), {
        callbacks: [handler],
      });

    it("shows the prompts of every handler in agentwatch_prompt_info, not only the first one's", async () => {
      const registry = createOpenMetricsRegistry();
      const first = make({ registry }).handler;
      const second = make({ registry }).handler;
      await promptedRun(second, "v2");
      expect(await prompts(registry)).toEqual(["v2"]);
      await promptedRun(first, "v1");
      expect((await prompts(registry)).sort()).toEqual(["v1", "v2"]);
    });

    it("forgets a handler's open runs and prompts once it is shut down, however many came and went", async () => {
      const registry = createOpenMetricsRegistry();
      for (let i = 0; i < 20; i++) {
        const { handler } = make({ registry });
        await openRun(handler, `gone-${i}`);
        await promptedRun(handler, `gone-${i}`);
        handler.shutdown();
      }
      expect(await openRuns(registry)).toBe(0);
      expect(await prompts(registry)).toEqual([]);
      const live = make({ registry }).handler;
      await openRun(live, "live-1");
      await openRun(live, "live-2");
      await promptedRun(live, "live");
      expect(await openRuns(registry)).toBe(2);
      expect(await prompts(registry)).toEqual(["live"]);
      live.shutdown();
      live.shutdown(); // twice is harmless
      expect(await openRuns(registry)).toBe(0);
    });
  });
});
