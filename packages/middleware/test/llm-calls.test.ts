import { ScriptedChatModel } from "@agentwatch/fixtures";
import { AIMessage } from "@langchain/core/messages";
import { SpanStatusCode } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

/** Drives one chat-model run through the handler's public callbacks, as LangChain would. */
async function chatRun(
  runId: string,
  opts: { cls?: string; metadata?: Record<string, unknown>; params?: Record<string, unknown>; output: unknown },
) {
  const serialized = { lc: 1, type: "not_implemented", id: ["langchain", "chat_models", opts.cls ?? "ChatOpenAI"] };
  await handler.handleChatModelStart(
    serialized as never,
    [[]],
    runId,
    undefined,
    { invocation_params: opts.params ?? { model: "gpt-4o" } },
    [],
    opts.metadata ?? {},
  );
  await handler.handleLLMEnd(opts.output as never, runId);
}

const result = (message: AIMessage, llmOutput?: Record<string, unknown>) => ({ generations: [[{ text: "", message }]], llmOutput });

describe("model calls", () => {
  it("reads every token type, and input includes the cached tokens", async () => {
    const message = new AIMessage({
      content: "hi",
      id: "chatcmpl-1",
      usage_metadata: {
        input_tokens: 1000,
        output_tokens: 300,
        total_tokens: 1300,
        input_token_details: { cache_read: 600, cache_creation: 100 },
        output_token_details: { reasoning: 200 },
      },
      response_metadata: { model_name: "gpt-4o-2024-08-06", finish_reason: "stop" },
    });
    await chatRun("r1", { output: result(message) });
    const span = only(tracing.exporter.getFinishedSpans(), "chat gpt-4o");
    expect(span.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 600,
      "gen_ai.usage.cache_creation.input_tokens": 100,
      "gen_ai.usage.reasoning.output_tokens": 200,
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.provider.name": "openai",
    });
    const m = parseExposition(await handler.registry.metrics());
    const sum = (type: string) => value(m, "gen_ai_client_token_usage_sum", { gen_ai_token_type: type });
    expect([sum("input"), sum("output")]).toEqual([1000, 300]);
    const part = (p: string) => value(m, "agentwatch_token_usage_parts_total", { part: p });
    expect([part("cache_read"), part("cache_write"), part("reasoning")]).toEqual([600, 100, 200]);
  });

  it("keeps the token usage histogram to input and output: a sum over every series is input + output", async () => {
    const message = new AIMessage({
      content: "hi",
      usage_metadata: {
        input_tokens: 100,
        output_tokens: 50,
        total_tokens: 150,
        input_token_details: { cache_read: 40, cache_creation: 10 },
        output_token_details: { reasoning: 20 },
      },
    });
    await chatRun("parts", { output: result(message) });
    const m = parseExposition(await handler.registry.metrics());
    const usage = find(m, "gen_ai_client_token_usage_sum");
    expect(usage.map((s) => s.labels.gen_ai_token_type).sort()).toEqual(["input", "output"]);
    expect(usage.reduce((acc, s) => acc + s.value, 0)).toBe(150);
    expect(m.types.get("agentwatch_token_usage_parts")).toBe("counter");
    const parts = find(m, "agentwatch_token_usage_parts_total");
    expect(Object.fromEntries(parts.map((s) => [s.labels.part, s.value]))).toEqual({ cache_read: 40, cache_write: 10, reasoning: 20 });
    expect(parts[0]?.labels).toMatchObject({
      gen_ai_operation_name: "chat",
      gen_ai_provider_name: "openai",
      gen_ai_request_model: "gpt-4o",
    });
  });

  it("with semconvDrafts, splits input by gen_ai_token_cache and output by gen_ai_token_phase, each token once", async () => {
    ({ tracing, handler } = make({ semconvDrafts: true }));
    const parts = new AIMessage({
      content: "hi",
      usage_metadata: {
        input_tokens: 100,
        output_tokens: 50,
        total_tokens: 150,
        input_token_details: { cache_read: 40, cache_creation: 10 },
        output_token_details: { reasoning: 20 },
      },
    });
    await chatRun("drafts", { output: result(parts) });
    await chatRun("bare", {
      output: result(new AIMessage({ content: "y", usage_metadata: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } })),
    });
    const m = parseExposition(await handler.registry.metrics());
    const usage = find(m, "gen_ai_client_token_usage_sum");
    expect(usage.reduce((acc, s) => acc + s.value, 0)).toBe(160);
    const key = (s: { labels: Record<string, string> }) =>
      [s.labels.gen_ai_token_type, s.labels.gen_ai_token_cache ?? s.labels.gen_ai_token_phase ?? ""].join("/");
    expect(Object.fromEntries(usage.map((s) => [key(s), s.value]))).toEqual({
      "input/read": 40,
      "input/write": 10,
      "input/uncached": 50,
      "input/": 7,
      "output/reasoning": 20,
      "output/response": 30,
      "output/": 3,
    });
    const partsTotal = find(m, "agentwatch_token_usage_parts_total");
    expect(Object.fromEntries(partsTotal.map((s) => [s.labels.part, s.value]))).toEqual({ cache_read: 40, cache_write: 10, reasoning: 20 });
  });

  it("falls back to llmOutput.tokenUsage and never counts usage twice", async () => {
    await chatRun("legacy", {
      output: result(new AIMessage("x"), { tokenUsage: { promptTokens: 40, completionTokens: 7, totalTokens: 47 } }),
    });
    const both = new AIMessage({ content: "y", usage_metadata: { input_tokens: 10, output_tokens: 2, total_tokens: 12 } });
    await chatRun("both", { output: result(both, { tokenUsage: { promptTokens: 10, completionTokens: 2, totalTokens: 12 } }) });
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "gen_ai_client_token_usage_sum", { gen_ai_token_type: "input" })).toBe(50);
    expect(value(m, "gen_ai_client_token_usage_sum", { gen_ai_token_type: "output" })).toBe(9);
    expect(value(m, "gen_ai_client_token_usage_count", { gen_ai_token_type: "input" })).toBe(2);
  });

  it.each([
    ["ChatOpenAI", {}, "openai"],
    ["AzureChatOpenAI", { ls_provider: "azure" }, "azure.ai.openai"],
    ["ChatAnthropic", { ls_provider: "anthropic" }, "anthropic"],
    ["ChatBedrockConverse", { ls_provider: "amazon_bedrock" }, "aws.bedrock"],
    ["ChatVertexAI", { ls_provider: "google_vertexai" }, "gcp.vertex_ai"],
    ["ChatGoogleGenerativeAI", {}, "gcp.gemini"],
    ["ChatMistralAI", { ls_provider: "mistralai" }, "mistral_ai"],
    ["ChatOllama", { ls_provider: "ollama" }, "ollama"],
    ["MyCustomModel", {}, "unknown"],
  ])("maps %s %j to gen_ai.provider.name %s", async (cls, metadata, provider) => {
    await chatRun("p", { cls, metadata, output: result(new AIMessage("x")) });
    expect(tracing.exporter.getFinishedSpans()[0]?.attributes["gen_ai.provider.name"]).toBe(provider);
  });

  it("names the model from ls_model_name, then invocation params, and keeps only known request parameters", async () => {
    await chatRun("params", {
      metadata: { ls_model_name: "claude-sonnet-4-5" },
      params: {
        model: "ignored",
        temperature: 0.7,
        max_tokens: 256,
        top_p: 0.9,
        top_k: 40,
        stop: ["\n\n"],
        seed: 7,
        apiKey: "sk-secret-123456789012345678",
      },
      output: result(new AIMessage("x")),
    });
    const span = only(tracing.exporter.getFinishedSpans(), "chat claude-sonnet-4-5");
    expect(span.attributes).toMatchObject({
      "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.request.temperature": 0.7,
      "gen_ai.request.max_tokens": 256,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.stop_sequences": ["\n\n"],
      "gen_ai.request.seed": 7,
    });
    expect(JSON.stringify(span.attributes)).not.toContain("sk-secret");
  });

  it("traces text-completion models as text_completion", async () => {
    await handler.handleLLMStart({ id: ["llms", "OpenAI"] } as never, ["Say hi"], "c1", undefined, {
      invocation_params: { model: "gpt-3.5-turbo-instruct" },
    });
    await handler.handleLLMEnd(
      { generations: [[{ text: "hi" }]], llmOutput: { tokenUsage: { promptTokens: 3, completionTokens: 1 } } },
      "c1",
    );
    const span = only(tracing.exporter.getFinishedSpans(), "text_completion gpt-3.5-turbo-instruct");
    expect(span.attributes["gen_ai.operation.name"]).toBe("text_completion");
    expect(span.attributes["gen_ai.usage.input_tokens"]).toBe(3);
  });

  it("marks a failing model call with the HTTP status as error.type", async () => {
    const model = new ScriptedChatModel({ failWith: () => Object.assign(new Error("Rate limit reached"), { status: 429 }) });
    await expect(model.invoke("hi", { callbacks: [handler] })).rejects.toThrow("Rate limit");
    const span = only(tracing.exporter.getFinishedSpans(), "chat acme-scripted-1");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes["error.type"]).toBe("429");
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { error_type: "429" })).toBe(1);
  });
});
