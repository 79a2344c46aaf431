import { readFileSync } from "node:fs";

import { seededRandom } from "@agentwatch/fixtures";
import { afterEach, describe, expect, it } from "vitest";

import { createDemoHandler, DEMO_DRIFT } from "../src/demo-handler.js";
import { OUTPUT_REFUSAL } from "../src/guarded-support-graph.js";
import { combineEffects, INCIDENT_NAMES, IncidentController, INCIDENTS, NORMAL_EFFECTS, parseIncidentName } from "../src/incidents.js";
import { runLoad } from "../src/load-runner.js";
import type { MetricSample } from "../src/metrics-text.js";
import { simulateFeedback, SUPPORT_QUESTIONS } from "../src/questions.js";
import { delta, type DemoServer, globalTracing, meanDelta, selectSamples, startDemo } from "./support/demo-server.js";

const BATCH = ["Where is my order AB-1234?", "What is your refund policy?", "How do I reset my password?", "How long does shipping take?"];

let server: DemoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Asks every question of `batch` (one after the other), returning the replies. */
async function ask(s: DemoServer, batch: readonly string[] = BATCH) {
  const replies = [];
  for (const message of batch) replies.push(await s.chat(message));
  return replies;
}

/**
 * Runs the batch without the incident, then with it (started through the admin API), and returns
 * the three scrapes: at the start, after the healthy batch, after the incident batch.
 */
async function beforeAndDuring(name: string, options: Parameters<typeof startDemo>[0] = {}, batch: readonly string[] = BATCH) {
  server = await startDemo(options);
  const s = server;
  const start = await s.metrics();
  const healthy = await ask(s, batch);
  const mid = await s.metrics();
  const started = await fetch(`${s.base}/admin/incidents/${name}`, { method: "POST" });
  expect(started.status).toBe(200);
  const during = await ask(s, batch);
  const end = await s.metrics();
  expect(selectSamples(end, "acme_support_incident_active", { incident: name })[0]?.value).toBe(1);
  return { start, mid, end, healthy, during };
}

describe("incident table", () => {
  it("has the twelve incidents of the issues, each with a signal and an alert", () => {
    expect(INCIDENT_NAMES).toEqual([
      "latency-spike",
      "stream-stall",
      "error-burst",
      "tool-loop",
      "cost-runaway",
      "prompt-regression",
      "prompt-drift",
      "silent-model-update",
      "guardrail-storm",
      "topic-shift",
      "retrieval-degradation",
      "poisoned-document",
      "cache-miss",
    ]);
    for (const i of INCIDENTS) {
      expect(i.signal).not.toBe("");
      expect(i.alert).toMatch(/^Agent[A-Z][A-Za-z0-9]+$/);
    }
    expect(new Set(INCIDENTS.map((i) => i.alert)).size).toBe(INCIDENTS.length);
  });

  it("is documented in INCIDENTS.md: every name, its alert and its signal metric", () => {
    const doc = readFileSync(new URL("../INCIDENTS.md", import.meta.url), "utf8");
    for (const i of INCIDENTS) {
      expect(doc).toContain(`\`${i.name}\``);
      expect(doc).toContain(i.alert);
      const metric = /[a-z_]+_(?:total|seconds|usd|chars|score|info|calls|usage|count)\b/.exec(i.signal)?.[0];
      expect(metric, i.name).toBeDefined();
      expect(doc).toContain(metric ?? "");
    }
  });

  it("combines effects in table order and leaves a healthy agent alone", () => {
    expect(combineEffects([])).toEqual({ ...NORMAL_EFFECTS, model: {} });
    const both = combineEffects(["prompt-drift", "prompt-regression", "latency-spike"]);
    expect(both.prompt).toBe("v2");
    expect(both.ttftMultiplier).toBe(10);
    expect(both.stall).toBeUndefined();
    expect(combineEffects(["stream-stall", "latency-spike"])).toMatchObject({ ttftMultiplier: 10, stall: { afterChunks: 4, ms: 2000 } });
    expect(combineEffects(["silent-model-update", "cost-runaway"]).model).toEqual({
      model: "gpt-4.1",
      provider: "openai",
      responseModel: "acme-scripted-1-2027-04-27",
      systemFingerprint: "fp_acme_0427",
    });
  });

  it("starts and stops incidents, rejecting unknown names with the valid list", () => {
    const controller = new IncidentController(["cache-miss"]);
    const seen: string[][] = [];
    controller.onChange((active) => seen.push([...active]));
    expect(controller.start("latency-spike")).toBe(true);
    expect(controller.start("latency-spike")).toBe(false);
    expect(controller.list()).toEqual(["latency-spike", "cache-miss"]);
    expect(controller.stop("cache-miss")).toBe(true);
    expect(controller.stop("cache-miss")).toBe(false);
    expect(seen).toEqual([["latency-spike", "cache-miss"], ["latency-spike"]]);
    expect(() => controller.start("meteor-strike")).toThrow(
      /unknown incident "meteor-strike"; valid incidents: latency-spike, stream-stall, error-burst/,
    );
    expect(() => parseIncidentName("nope")).toThrow(/cache-miss/);
  });
});

describe("each incident moves the metrics it claims to (measured through /metrics)", () => {
  it("latency-spike: time to first token ×10", async () => {
    const { start, mid, end } = await beforeAndDuring("latency-spike", { speed: 25 });
    const ttft = "gen_ai_client_operation_time_to_first_chunk_seconds";
    const healthy = meanDelta(start, mid, ttft);
    const spiking = meanDelta(mid, end, ttft);
    expect(healthy).toBeGreaterThan(0);
    expect(spiking / healthy).toBeGreaterThan(4);
    expect(meanDelta(mid, end, "gen_ai_invoke_agent_duration_seconds")).toBeGreaterThan(
      meanDelta(start, mid, "gen_ai_invoke_agent_duration_seconds"),
    );
  });

  it("stream-stall: streamed answers pause mid-answer; time between tokens moves, the first token does not", async () => {
    server = await startDemo({ speed: 25 }); // a stall of 2 s is 80 ms here, a healthy gap about 1 ms
    const s = server;
    /** Every question of the batch over Server-Sent Events, as the load generator and the chat page ask. */
    const streamBatch = async () => {
      for (const message of BATCH) {
        const { status, events } = await s.stream(message);
        expect(status).toBe(200);
        expect(events.at(-1)?.event, message).toBe("done");
        expect(events.filter((e) => e.event === "token").length, message).toBeGreaterThan(4);
      }
    };
    const start = await s.metrics();
    await streamBatch();
    const mid = await s.metrics();
    expect((await fetch(`${s.base}/admin/incidents/stream-stall`, { method: "POST" })).status).toBe(200);
    await streamBatch();
    const end = await s.metrics();
    const tbt = "gen_ai_client_operation_time_per_output_chunk_seconds";
    /** Share of the gaps between chunks longer than 40 ms (half the stall at this speed). */
    const stalled = (a: MetricSample[], b: MetricSample[]) =>
      1 - delta(a, b, `${tbt}_bucket`, { le: "0.04" }) / delta(a, b, `${tbt}_count`);
    expect(delta(start, mid, `${tbt}_count`)).toBeGreaterThan(50);
    expect(stalled(start, mid)).toBeLessThan(0.01);
    // One stall per answer: one gap in 14 to 29 (the batch's answers have 15 to 30 chunks).
    expect(stalled(mid, end)).toBeGreaterThan(0.02);
    expect(stalled(mid, end)).toBeLessThan(0.1);
    expect(meanDelta(mid, end, tbt)).toBeGreaterThan(2 * meanDelta(start, mid, tbt));
    const ttft = "gen_ai_client_operation_time_to_first_chunk_seconds";
    expect(meanDelta(mid, end, ttft)).toBeLessThan(2 * meanDelta(start, mid, ttft));
  });

  it("error-burst: about 30 % of model calls fail with 429 or 500, each first 429 is retried (counted); requests get 502", async () => {
    const batch = Array.from({ length: 6 }, () => BATCH).flat();
    const { start, mid, end, healthy, during } = await beforeAndDuring("error-burst", {}, batch);
    const failed = (a: MetricSample[], b: MetricSample[]) =>
      delta(a, b, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "chat", error_type: /429|500/ });
    const calls = (a: MetricSample[], b: MetricSample[]) =>
      delta(a, b, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "chat" });
    expect(failed(start, mid)).toBe(0);
    expect(healthy.every((r) => r.status === 200)).toBe(true);
    const share = failed(mid, end) / calls(mid, end);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.5);
    expect(delta(mid, end, "gen_ai_client_operation_duration_seconds_count", { error_type: "429" })).toBeGreaterThan(0);
    expect(delta(mid, end, "gen_ai_invoke_agent_duration_seconds_count", { error_type: /.+/ })).toBeGreaterThan(0);
    const errors = during.filter((r) => r.status !== 200);
    expect(errors.length).toBeGreaterThan(0);
    for (const r of errors) expect(r).toMatchObject({ status: 502, body: { code: "provider_error" } });
    // The agent retries a 429 once: every retry is counted with the failed call's error type, a
    // 500 never is, and a 429 on the retry itself is not retried again (so retries < 429s).
    const retries = (a: MetricSample[], b: MetricSample[], errorType: string) =>
      delta(a, b, "agentwatch_model_retries_total", { agent: "acme-support", error_type: errorType });
    const throttled = delta(mid, end, "gen_ai_client_operation_duration_seconds_count", {
      gen_ai_operation_name: "chat",
      error_type: "429",
    });
    expect(retries(start, mid, "429")).toBe(0);
    expect(retries(mid, end, "429")).toBeGreaterThan(0);
    expect(retries(mid, end, "429")).toBeLessThanOrEqual(throttled);
    expect(retries(mid, end, "500")).toBe(0);
    // Some requests were saved by their retry: more calls than a run without retries makes, fewer failed runs than failed calls.
    expect(delta(mid, end, "gen_ai_invoke_agent_duration_seconds_count", { error_type: /.+/ })).toBeLessThan(failed(mid, end));
    expect(throttled / calls(mid, end)).toBeGreaterThan(0.1);
  });

  it("tool-loop: the same tool call repeats until the recursion limit ends the request", async () => {
    const { start, mid, end, during } = await beforeAndDuring("tool-loop", {}, ["Where is my order AB-1234?"]);
    expect(delta(start, mid, "agentwatch_tool_repeats_total")).toBe(0);
    expect(delta(mid, end, "agentwatch_tool_repeats_total", { tool: "lookup_order" })).toBeGreaterThanOrEqual(3);
    expect(meanDelta(mid, end, "agentwatch_run_tool_calls")).toBeGreaterThan(meanDelta(start, mid, "agentwatch_run_tool_calls"));
    expect(during[0]).toMatchObject({ status: 500, body: { code: "agent_step_limit" } });
    expect(during[0]?.body.error).toContain("step limit");
  });

  it("cost-runaway: an expensive model, long contexts and many calls per run", async () => {
    const { start, mid, end } = await beforeAndDuring("cost-runaway");
    const cost = (a: MetricSample[], b: MetricSample[]) => delta(a, b, "agentwatch_cost_usd_total");
    expect(cost(start, mid)).toBeGreaterThan(0);
    expect(cost(mid, end) / cost(start, mid)).toBeGreaterThan(100);
    expect(delta(mid, end, "agentwatch_cost_usd_total", { model: "gpt-4.1", provider: "openai" })).toBeCloseTo(cost(mid, end), 12);
    expect(meanDelta(mid, end, "agentwatch_run_llm_calls")).toBe(4);
    expect(meanDelta(start, mid, "agentwatch_run_llm_calls")).toBeLessThanOrEqual(2);
    const input = { gen_ai_token_type: "input" };
    expect(meanDelta(mid, end, "gen_ai_client_token_usage", input)).toBeGreaterThan(
      10 * meanDelta(start, mid, "gen_ai_client_token_usage", input),
    );
    expect(meanDelta(mid, end, "agentwatch_agent_run_cost_usd")).toBeGreaterThan(0.01);
  });

  it("prompt-regression: prompt v2 goes live; evaluation scores, answer length and simulated feedback drop", async () => {
    const questions = SUPPORT_QUESTIONS.slice(0, 12);
    const { start, mid, end, healthy, during } = await beforeAndDuring(
      "prompt-regression",
      {},
      questions.map((q) => q.text),
    );
    expect(selectSamples(mid, "agentwatch_prompt_info", { version: "v2" })).toHaveLength(0);
    expect(selectSamples(end, "agentwatch_prompt_info", { prompt: "acme-support-system", version: "v2" })).toHaveLength(1);
    const evalV1 = meanDelta(start, mid, "agentwatch_eval_score", { prompt_version: "v1" });
    const evalV2 = meanDelta(mid, end, "agentwatch_eval_score", { prompt_version: "v2" });
    expect(evalV1).toBeGreaterThan(0.5);
    expect(evalV2).toBeLessThan(0.2);
    expect(meanDelta(mid, end, "agentwatch_response_length_chars")).toBeLessThan(
      0.7 * meanDelta(start, mid, "agentwatch_response_length_chars"),
    );

    // Simulated users rate every answer (rate 1) through POST /feedback, as the load generator does.
    const s = server as DemoServer;
    const random = seededRandom(7);
    const rate = async (replies: typeof healthy) => {
      for (const [i, r] of replies.entries()) {
        const question = questions[i];
        if (question === undefined || r.body.trace_id === undefined) continue;
        const rating = simulateFeedback(question, r.body.answer ?? "", random, { rate: 1, upWhenGood: 0.9, upWhenBad: 0.1 });
        const res = await s.post("/feedback", { trace_id: r.body.trace_id, rating });
        expect(res.status).toBe(202);
      }
      return s.metrics();
    };
    const ratedHealthy = await rate(healthy);
    const ratedDuring = await rate(during);
    const upShare = (a: MetricSample[], b: MetricSample[], version: string) =>
      delta(a, b, "agentwatch_user_feedback_total", { rating: "positive", prompt_version: version }) /
      delta(a, b, "agentwatch_user_feedback_total", { prompt_version: version });
    expect(upShare(end, ratedHealthy, "v1")).toBeGreaterThan(0.6);
    expect(upShare(ratedHealthy, ratedDuring, "v2")).toBeLessThan(0.3);
  });

  it("prompt-drift: a second template hash under the same version label", async () => {
    const { mid, end } = await beforeAndDuring("prompt-drift");
    const v1 = (m: MetricSample[]) => selectSamples(m, "agentwatch_prompt_info", { prompt: "acme-support-system", version: "v1" });
    expect(v1(mid)).toHaveLength(1);
    expect(v1(end)).toHaveLength(2);
    expect(new Set(v1(end).map((s) => s.labels.hash)).size).toBe(2);
    expect(selectSamples(end, "agentwatch_prompt_info", { version: /v[^1].*/ })).toHaveLength(0);
  });

  it("silent-model-update: same requested model, new fingerprint and response model, shorter answers", async () => {
    const { start, mid, end } = await beforeAndDuring("silent-model-update");
    const responses = "agentwatch_model_responses_total";
    expect(delta(start, mid, responses, { fingerprint: "fp_acme_0427" })).toBe(0);
    expect(
      delta(mid, end, responses, {
        request_model: "acme-scripted-1",
        fingerprint: "fp_acme_0427",
        response_model: "acme-scripted-1-2027-04-27",
      }),
    ).toBeGreaterThan(0);
    expect(delta(mid, end, responses, { fingerprint: "fp_acme_0001" })).toBe(0);
    expect(meanDelta(mid, end, "agentwatch_response_length_chars")).toBeLessThan(meanDelta(start, mid, "agentwatch_response_length_chars"));
  });

  it("guardrail-storm: the load generator's wave of jailbreaks and PII makes the input guardrails block and flag", async () => {
    server = await startDemo();
    const s = server;
    const options = { rps: 60, durationMs: 600, url: s.base, seed: 3, maxInFlight: 16, feedbackRate: 0.2, timeoutMs: 10_000 };
    const quiet = { write: () => {}, interactive: false, adminToken: undefined };
    const start = await s.metrics();
    const calm = await runLoad({ ...options, incidents: [] }, quiet);
    const mid = await s.metrics();
    const storm = await runLoad({ ...options, incidents: ["guardrail-storm"] }, quiet);
    const end = await s.metrics();
    const checks = "agentwatch_guardrail_checks_total";
    const ratio = (a: MetricSample[], b: MetricSample[]) =>
      delta(a, b, checks, { stage: "input", outcome: /block|flag/ }) / delta(a, b, checks, { stage: "input" });
    expect(ratio(mid, end)).toBeGreaterThan(0.25);
    expect(ratio(mid, end)).toBeGreaterThan(3 * ratio(start, mid));
    expect(delta(mid, end, checks, { guardrail: "prompt_injection", outcome: "block" })).toBeGreaterThan(0);
    expect(delta(mid, end, checks, { guardrail: "pii", stage: "input", outcome: "flag" })).toBeGreaterThan(0);
    expect(storm.blocked / storm.sent).toBeGreaterThan(3 * (calm.blocked / Math.max(1, calm.sent)));
    // the load generator stops the incident it started
    expect(s.incidents.list()).toEqual([]);
  });

  it("topic-shift: questions about a product the knowledge base lacks move input drift and retrieval scores", async () => {
    const { provider } = globalTracing();
    // The demo's drift settings, tested when the test says so rather than every 5 s.
    const handler = createDemoHandler({
      tracerProvider: provider,
      evaluationSampleRate: 0,
      drift: { ...DEMO_DRIFT, intervalMs: 3_600_000 },
    });
    server = await startDemo({ handler });
    const s = server;
    const options = { rps: 40, durationMs: 2_500, url: s.base, seed: 5, maxInFlight: 64, feedbackRate: 0, timeoutMs: 10_000 };
    const quiet = { write: () => {}, interactive: false, adminToken: undefined };
    const start = await s.metrics();
    await runLoad({ ...options, incidents: [] }, quiet);
    await s.handler.driftCheck(); // the first full window of each signal becomes its reference
    const mid = await s.metrics();
    const pOf = (samples: MetricSample[]) => selectSamples(samples, "agentwatch_drift_p_value", { signal: "query_embedding" })[0]?.value;
    expect(pOf(mid)).toBeUndefined(); // a reference, nothing to test against yet
    const shifted = await runLoad({ ...options, incidents: ["topic-shift"] }, quiet);
    expect(shifted.sent).toBeGreaterThanOrEqual(DEMO_DRIFT.embeddingWindowSize ?? 0);
    await s.handler.driftCheck();
    const end = await s.metrics();
    expect(pOf(end)).toBeLessThan(0.01);
    expect(selectSamples(end, "agentwatch_drift_score", { signal: "query_embedding" })[0]?.value).toBeGreaterThan(0);
    const top = "agentwatch_retrieval_top_score";
    expect(meanDelta(mid, end, top)).toBeLessThan(0.6 * meanDelta(start, mid, top));
    expect(s.incidents.list()).toEqual([]);
  });

  it("retrieval-degradation: irrelevant documents with low scores; relevance drops", async () => {
    const { start, mid, end } = await beforeAndDuring("retrieval-degradation");
    const top = "agentwatch_retrieval_top_score";
    expect(meanDelta(start, mid, top)).toBeGreaterThan(0.3);
    expect(meanDelta(mid, end, top)).toBeLessThan(0.1);
    expect(meanDelta(mid, end, "agentwatch_eval_score")).toBeLessThan(meanDelta(start, mid, "agentwatch_eval_score"));
  });

  it("poisoned-document: the two-factor answer quotes the attacker's article and the output guardrail blocks it", async () => {
    const batch = [...BATCH, "How do I turn on two-factor authentication?"];
    const { start, mid, end, healthy, during } = await beforeAndDuring("poisoned-document", {}, batch);
    const checks = "agentwatch_guardrail_checks_total";
    const blocked = { guardrail: "harmful_content", stage: "output", outcome: "block" };
    expect(delta(start, mid, checks, blocked)).toBe(0);
    expect(delta(start, mid, checks, { guardrail: "harmful_content", stage: "output", outcome: "pass" })).toBeGreaterThanOrEqual(
      batch.length,
    );
    expect(delta(mid, end, checks, blocked)).toBe(1);
    expect(healthy.at(-1)?.body.answer).toMatch(/two-factor authentication/i);
    expect(during.at(-1)?.body.answer).toBe(OUTPUT_REFUSAL);
    // The other answers are untouched (and no canary asks about two-factor authentication).
    expect(during.slice(0, -1).map((r) => r.body.answer)).toEqual(healthy.slice(0, -1).map((r) => r.body.answer));
  });

  it("cache-miss: usage reports no cache reads", async () => {
    const { start, mid, end } = await beforeAndDuring("cache-miss");
    const cacheRead = { part: "cache_read" };
    expect(delta(start, mid, "agentwatch_token_usage_parts_total", cacheRead)).toBeGreaterThan(0);
    expect(delta(mid, end, "agentwatch_token_usage_parts_total", cacheRead)).toBe(0);
    expect(delta(mid, end, "gen_ai_client_token_usage_sum", { gen_ai_token_type: "input" })).toBeGreaterThan(0);
  });
});
