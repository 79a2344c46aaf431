import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import type { Counter, Histogram } from "prom-client";
import { describe, expect, it } from "vitest";

import { BUCKETS, createOpenMetricsRegistry } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition, value } from "./support/openmetrics.js";

// The hot path writes into prom-client's own series records (metrics/series-writes.ts). These
// tests hold those writes to what prom-client itself would have counted, including after the
// records were replaced under them (a registry reset, a removed series).

const make = handlerMaker();
const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 0, perTokenDelayMs: 0 }) });
const ask = () => ({ messages: [new HumanMessage("Where is my order AB-1234?")] });

const chat = {
  gen_ai_operation_name: "chat",
  gen_ai_provider_name: "scripted",
  gen_ai_request_model: "acme-scripted-1",
  gen_ai_agent_name: "acme-support",
};
const input = { ...chat, gen_ai_token_type: "input" };

describe("hot-path metric writes", () => {
  it("count every observation into the right bucket, sum and count, as prom-client would", async () => {
    const { handler, tracing } = make();
    for (let i = 0; i < 5; i++) await graph.invoke(ask(), { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const tokens = tracing.exporter
      .getFinishedSpans()
      .filter((s) => s.name === "chat acme-scripted-1")
      .map((s) => Number(s.attributes["gen_ai.usage.input_tokens"]));
    expect(tokens).toHaveLength(10);
    expect(value(m, "gen_ai_client_token_usage_count", input)).toBe(10);
    expect(value(m, "gen_ai_client_token_usage_sum", input)).toBe(tokens.reduce((a, b) => a + b, 0));
    for (const le of BUCKETS.tokenUsage) {
      expect(value(m, "gen_ai_client_token_usage_bucket", { ...input, le: String(le) })).toBe(tokens.filter((t) => t <= le).length);
    }
    expect(value(m, "gen_ai_client_token_usage_bucket", { ...input, le: "+Inf" })).toBe(10);
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { ...chat, error_type: "" })).toBe(10);
    expect(value(m, "agentwatch_model_responses_total", { provider: "scripted", request_model: "acme-scripted-1" })).toBe(10);
  });

  it("start over after the registry is reset, and after a series is removed, instead of writing to records no longer served", async () => {
    const registry = createOpenMetricsRegistry();
    const { handler } = make({ registry });
    for (let i = 0; i < 3; i++) await graph.invoke(ask(), { callbacks: [handler] });
    registry.resetMetrics();
    await graph.invoke(ask(), { callbacks: [handler] });
    let m = parseExposition(await registry.metrics());
    expect(value(m, "gen_ai_client_token_usage_count", input)).toBe(2);
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { ...chat, error_type: "" })).toBe(2);

    (registry.getSingleMetric("gen_ai_client_token_usage") as Histogram).remove(input);
    (registry.getSingleMetric("agentwatch_model_responses_total") as Counter).reset();
    await graph.invoke(ask(), { callbacks: [handler] });
    m = parseExposition(await registry.metrics());
    expect(value(m, "gen_ai_client_token_usage_count", input)).toBe(2);
    expect(value(m, "gen_ai_client_token_usage_count", { ...chat, gen_ai_token_type: "output" })).toBe(4);
    expect(value(m, "agentwatch_model_responses_total", { provider: "scripted", request_model: "acme-scripted-1" })).toBe(2);
  });

  it("share series with another handler on the same registry without losing either's writes", async () => {
    const registry = createOpenMetricsRegistry();
    const a = make({ registry }).handler;
    const b = make({ registry }).handler;
    for (let i = 0; i < 4; i++) await graph.invoke(ask(), { callbacks: [i % 2 === 0 ? a : b] });
    const m = parseExposition(await registry.metrics());
    expect(value(m, "gen_ai_client_token_usage_count", input)).toBe(8);
  });
});
