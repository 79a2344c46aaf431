/**
 * Token metrics never count a token twice, checked in a real Prometheus scraping a real
 * AgentWatchHandler: `sum(gen_ai_client_token_usage_sum)` over every series equals the input +
 * output tokens the model calls reported, and the parts of them (cache reads, cache writes,
 * reasoning) are in `agentwatch_token_usage_parts_total` (with `semconvDrafts`, the histogram
 * splits input and output by the drafts' cache and phase labels, and the sum still holds).
 */
import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { HumanMessage, type UsageMetadata } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { type Prometheus, startMetricsServer, startPrometheus } from "../../../../test-support/prometheus.js";
import { AgentWatchHandler } from "../../src/index.js";

/** Adds up the usage every model call reported, as the handler receives it. */
class UsageTotals extends BaseCallbackHandler {
  name = "usage-totals";
  input = 0;
  output = 0;
  cacheRead = 0;
  cacheWrite = 0;
  reasoning = 0;
  calls = 0;

  override handleLLMEnd(output: LLMResult): void {
    const generation = output.generations[0]?.[0] as { message?: { usage_metadata?: UsageMetadata } } | undefined;
    const usage = generation?.message?.usage_metadata;
    if (usage === undefined) throw new Error("a model call reported no usage");
    this.calls++;
    this.input += usage.input_tokens;
    this.output += usage.output_tokens;
    this.cacheRead += usage.input_token_details?.cache_read ?? 0;
    this.cacheWrite += usage.input_token_details?.cache_creation ?? 0;
    this.reasoning += usage.output_token_details?.reasoning ?? 0;
  }
}

const usage = (input: number, cacheRead: number, cacheWrite: number, output: number, reasoning: number): UsageMetadata => ({
  input_tokens: input,
  output_tokens: output,
  total_tokens: input + output,
  input_token_details: { cache_read: cacheRead, cache_creation: cacheWrite },
  output_token_details: { reasoning },
});

describe.each([false, true])("token usage in a real Prometheus (semconvDrafts: %s)", { timeout: 60_000 }, (semconvDrafts) => {
  const handler = new AgentWatchHandler({ tracerProvider: new BasicTracerProvider(), agentName: "acme-support", semconvDrafts });
  const totals = new UsageTotals();
  const callbacks = [handler, totals];
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let prometheus: Prometheus | undefined;

  /** Set up once, inside a test: if Prometheus will not start, every test fails with that error. */
  let setup: Promise<Prometheus> | undefined;
  const ready = () => (setup ??= start());
  async function start() {
    server = await startMetricsServer((req, res) => handler.metricsHandler()(req, res));
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${server.port}`] });
    const question = [new HumanMessage("Where is my order AB-1234?")];
    // input 100 (cache_read 40, cache_creation 10), output 50 (reasoning 20), invoked and streamed.
    const reasoner = new ScriptedChatModel({ model: "acme-reasoner-1", usage: usage(100, 40, 10, 50, 20) });
    for (let i = 0; i < 3; i++) await reasoner.invoke(question, { callbacks });
    for await (const chunk of await reasoner.stream(question, { callbacks })) void chunk;
    // Another model with other parts, and whole support-graph runs with the computed usage (cache reads on later turns).
    await new ScriptedChatModel({ model: "acme-cacher-1", usage: usage(300, 250, 0, 7, 0) }).invoke(question, { callbacks });
    const graph = createSupportGraph();
    for (const q of ["Where is my order AB-1234?", "How do I reset my password?"]) {
      await graph.invoke({ messages: [new HumanMessage(q)] }, { callbacks });
    }
    return prometheus;
  }

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    handler.shutdown();
  }, 20_000);

  it("drives calls that report every part", async () => {
    await ready();
    expect(totals.calls).toBeGreaterThanOrEqual(7);
    expect(totals.cacheRead).toBeGreaterThan(4 * 40 + 250);
    expect(totals.cacheWrite).toBe(4 * 10);
    expect(totals.reasoning).toBe(4 * 20);
  });

  it("sum(gen_ai_client_token_usage_sum) over everything equals input + output", async () => {
    const prom = await ready();
    const expected = totals.input + totals.output;
    const [sample] = await prom.waitFor("sum(gen_ai_client_token_usage_sum)", (s) => s[0]?.value === expected, 15_000);
    expect(sample?.value).toBe(expected);
    const split = await prom.query(
      'count(gen_ai_client_token_usage_sum{gen_ai_token_cache!=""} or gen_ai_client_token_usage_sum{gen_ai_token_phase!=""})',
    );
    expect(split.samples.length > 0).toBe(semconvDrafts);
    const byType = await prom.query("sum by (gen_ai_token_type) (gen_ai_client_token_usage_sum)");
    expect(Object.fromEntries(byType.samples.map((s) => [s.metric.gen_ai_token_type, s.value]))).toEqual({
      input: totals.input,
      output: totals.output,
    });
  });

  it("keeps cache reads, cache writes and reasoning queryable in agentwatch_token_usage_parts_total", async () => {
    const prom = await ready();
    const want = { cache_read: totals.cacheRead, cache_write: totals.cacheWrite, reasoning: totals.reasoning };
    const parts = await prom.waitFor(
      "sum by (part) (agentwatch_token_usage_parts_total)",
      (s) => s.length === 3 && s.every((x) => want[x.metric.part as keyof typeof want] === x.value),
      15_000,
    );
    expect(Object.fromEntries(parts.map((s) => [s.metric.part, s.value]))).toEqual(want);
    const reasoner = await prom.query(
      'sum by (part) (agentwatch_token_usage_parts_total{gen_ai_request_model="acme-reasoner-1", gen_ai_agent_name="acme-support"})',
    );
    expect(Object.fromEntries(reasoner.samples.map((s) => [s.metric.part, s.value]))).toEqual({
      cache_read: 160,
      cache_write: 40,
      reasoning: 80,
    });
    const input = await prom.query('sum(gen_ai_client_token_usage_sum{gen_ai_request_model="acme-reasoner-1", gen_ai_token_type="input"})');
    expect(input.samples[0]?.value).toBe(400);
  });
});
