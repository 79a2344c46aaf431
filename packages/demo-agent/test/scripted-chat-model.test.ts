import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { ScriptedChatModel, supportTools } from "../src/index.js";

/** A handler that, like LangGraph's "messages" stream mode, makes `invoke` stream. */
class PrefersStreaming extends BaseCallbackHandler {
  name = "prefers-streaming";
  lc_prefer_streaming = true;
  tokens: string[] = [];
  override handleLLMNewToken(token: string) {
    this.tokens.push(token);
  }
}

const order = [new HumanMessage("Where is my order AB-1234?")];

describe("ScriptedChatModel", () => {
  it("answers invoke with OpenAI-shaped usage and response metadata", async () => {
    const reply = await new ScriptedChatModel().invoke([
      new SystemMessage("You are Acme support. Use the context:\n[kb-1] Hours: 9 to 5."),
      new HumanMessage("hours?"),
    ]);
    expect(reply.content).toBe("Based on our help center: Hours: 9 to 5.");
    expect(reply.id).toMatch(/^chatcmpl-[0-9a-f]+$/);
    expect(reply.response_metadata).toMatchObject({
      model_name: "acme-scripted-1-2026-11-01",
      system_fingerprint: "fp_acme_0001",
      finish_reason: "stop",
    });
    const usage = reply.usage_metadata;
    expect(usage?.input_tokens).toBeGreaterThan(0);
    expect(usage?.output_tokens).toBe(9); // one per streamed word
    expect(usage?.total_tokens).toBe((usage?.input_tokens ?? 0) + 9);
    expect(usage?.input_token_details).toEqual({ cache_read: 0 });
    expect(usage?.output_token_details).toEqual({ reasoning: 0 });
  });

  it("is deterministic", async () => {
    const [a, b] = await Promise.all([new ScriptedChatModel().invoke("hello"), new ScriptedChatModel().invoke("hello")]);
    expect(a.id).toBe(b.id);
    expect(a.content).toBe(b.content);
    expect(a.usage_metadata).toEqual(b.usage_metadata);
  });

  it("streams word by word; the chunks concatenate to the invoke result, usage included", async () => {
    const model = new ScriptedChatModel();
    const input = "How do I reset my password?";
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream(input)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks.slice(0, -1)) expect(c.usage_metadata).toBeUndefined();
    const all = chunks.reduce((acc, c) => acc.concat(c));
    const invoked = await model.invoke(input);
    expect(all.content).toBe(invoked.content);
    expect(all.id).toBe(invoked.id);
    expect(all.usage_metadata).toEqual(invoked.usage_metadata);
    expect(all.usage_metadata?.output_tokens).toBe(chunks.length);
    expect(all.response_metadata).toMatchObject(invoked.response_metadata);
  });

  it("streams inside invoke when a handler prefers streaming, with the same result", async () => {
    const bound = new ScriptedChatModel().bindTools(supportTools);
    for (const input of [order, [new HumanMessage("hello there")]]) {
      const handler = new PrefersStreaming();
      const streamed = await bound.invoke(input, { callbacks: [handler] });
      const plain = await bound.invoke(input);
      expect(handler.tokens.length).toBeGreaterThan(0);
      expect(streamed.content).toBe(plain.content);
      expect(streamed.tool_calls).toEqual(plain.tool_calls);
      expect(streamed.usage_metadata).toEqual(plain.usage_metadata);
      expect(streamed.response_metadata).toEqual(plain.response_metadata);
      expect(streamed.id).toBe(plain.id);
    }
  });

  it("calls tools only once they are bound, and picks them by intent", async () => {
    const plain = new ScriptedChatModel();
    expect((await plain.invoke(order)).tool_calls).toEqual([]);

    const bound = plain.bindTools(supportTools);
    expect(bound).not.toBe(plain);
    expect(bound.toolNames).toEqual(["lookup_order", "refund_policy", "create_ticket"]);
    const call = await bound.invoke(order);
    expect(call.content).toBe("");
    expect(call.tool_calls).toEqual([
      { type: "tool_call", id: expect.stringMatching(/^call_/), name: "lookup_order", args: { orderId: "AB-1234" } },
    ]);
    expect(call.response_metadata.finish_reason).toBe("tool_calls");
    expect(call.usage_metadata?.output_tokens).toBe(12);

    const argsFor = async (text: string) => (await bound.invoke(text)).tool_calls?.map((c) => [c.name, c.args]);
    expect(await argsFor("my order number 98765 never came")).toEqual([["lookup_order", { orderId: "98765" }]]);
    expect(await argsFor("order ERR-500 status?")).toEqual([["lookup_order", { orderId: "ERR-500" }]]);
    expect(await argsFor("Can I get a refund?")).toEqual([["refund_policy", { topic: "refund" }]]);
    const long = `I want to talk to a human about my broken blender, ${"it really is broken ".repeat(5)}`;
    expect(await argsFor(long)).toEqual([["create_ticket", { summary: long.slice(0, 80) }]]);
    expect(await argsFor("How do I reset my password?")).toEqual([]);
  });

  it("answers a tool result with text, reports cache reads and keeps tool call ids unique", async () => {
    const bound = new ScriptedChatModel().bindTools(supportTools);
    const first = await bound.invoke(order);
    const id = first.tool_calls?.[0]?.id ?? "";
    const conversation = [...order, first, new ToolMessage({ tool_call_id: id, content: '{"orderId":"AB-1234","status":"shipped"}' })];
    const answer = await bound.invoke(conversation);
    expect(answer.content).toBe("Here is what I found: orderId: AB-1234, status: shipped");
    expect(answer.response_metadata.finish_reason).toBe("stop");
    const input = answer.usage_metadata?.input_tokens ?? 0;
    expect(answer.usage_metadata?.input_token_details?.cache_read).toBe(Math.floor(input * 0.5));

    const again = await bound.invoke([...conversation, answer, new HumanMessage("And order CD-5678?")]);
    expect(again.tool_calls?.[0]?.id).toMatch(/^call_/);
    expect(again.tool_calls?.[0]?.id).not.toBe(id);
    expect(again.id).not.toBe(first.id);
  });

  it("exposes invocation params (with the api key, like real providers) and LangSmith params", () => {
    const model = new ScriptedChatModel({ apiKey: "sk-test", model: "m-1", temperature: 0, maxTokens: 64, topP: 0.5, provider: "acme" });
    expect(model.invocationParams()).toEqual({ model: "m-1", temperature: 0, max_tokens: 64, top_p: 0.5, apiKey: "sk-test" });
    expect(new ScriptedChatModel().invocationParams()).toEqual({ model: "acme-scripted-1", temperature: 0.2, max_tokens: 512, top_p: 1 });
    expect(model.getLsParams({})).toEqual({
      ls_provider: "acme",
      ls_model_name: "m-1",
      ls_model_type: "chat",
      ls_temperature: 0,
      ls_max_tokens: 64,
    });
    expect(model._llmType()).toBe("scripted");
    expect(model.responseModel).toBe("m-1-2026-11-01");
    expect(model.bindTools(supportTools).invocationParams().apiKey).toBe("sk-test");
  });

  it("omits usage when reportUsage is false", async () => {
    const model = new ScriptedChatModel({ reportUsage: false });
    expect((await model.invoke("hello")).usage_metadata).toBeUndefined();
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream("hello")) chunks.push(chunk);
    expect(chunks.some((c) => c.usage_metadata !== undefined)).toBe(false);
  });

  it("waits for real: first token delay, then per-token delays", async () => {
    const model = new ScriptedChatModel({ firstTokenDelayMs: 40, perTokenDelayMs: 5 });
    const start = performance.now();
    const stream = await model.stream("hello");
    const times: number[] = [];
    for await (const _ of stream) times.push(performance.now() - start);
    expect(times[0]).toBeGreaterThanOrEqual(39);
    expect(times.at(-1) ?? 0).toBeGreaterThanOrEqual(39 + 5 * (times.length - 1) - 1);

    const t0 = performance.now();
    const reply = await model.invoke("hello");
    const words = reply.usage_metadata?.output_tokens ?? 0;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40 + 5 * words - 1);
  });

  it("fails on demand after the first token delay, and calls onCall inside every call", async () => {
    const seen: string[] = [];
    const model = new ScriptedChatModel({
      firstTokenDelayMs: 20,
      failWith: () => Object.assign(new Error("rate limited"), { name: "RateLimitError" }),
      onCall: (messages) => {
        seen.push(String(messages.at(-1)?.content));
      },
    });
    const start = performance.now();
    await expect(model.invoke("hello")).rejects.toThrow("rate limited");
    expect(performance.now() - start).toBeGreaterThanOrEqual(19);
    await expect(
      (async () => {
        for await (const _ of await model.stream("again")) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ name: "RateLimitError" });
    expect(seen).toEqual(["hello", "again"]);
  });

  it("stops waiting when aborted", async () => {
    const controller = new AbortController();
    const pending = new ScriptedChatModel({ firstTokenDelayMs: 5_000 }).invoke("hello", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("caller gave up")), 10);
    await expect(pending).rejects.toThrow();
  });

  it("returns an AIMessage from _generate", async () => {
    const result = await new ScriptedChatModel()._generate([new HumanMessage("hi")], {});
    const generation = result.generations[0];
    expect(generation?.message).toBeInstanceOf(AIMessage);
    expect(generation?.generationInfo).toEqual({ finish_reason: "stop" });
  });
});
