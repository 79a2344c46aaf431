import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { type AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { checkSpeed, REALISTIC_LATENCY, sampleFirstTokenMs, samplePerTokenMs } from "../src/latency.js";
import { exponential, lognormal, seededRandom } from "../src/prng.js";
import { ProviderError } from "../src/provider-error.js";
import { ScriptedChatModel } from "../src/scripted-chat-model.js";
import { supportTools } from "../src/tools.js";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

describe("seeded randomness", () => {
  it("repeats the same sequence for the same seed, and differs for another", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws lognormal values around the median, exponential around the mean", () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 4000 }, () => lognormal(random, 450, 0.35));
    expect(median(draws)).toBeGreaterThan(430);
    expect(median(draws)).toBeLessThan(470);
    const p95 = [...draws].sort((a, b) => a - b)[Math.floor(draws.length * 0.95)] ?? 0;
    expect(p95).toBeGreaterThan(720);
    expect(p95).toBeLessThan(880);
    const waits = Array.from({ length: 4000 }, () => exponential(random, 200));
    expect(waits.reduce((s, w) => s + w, 0) / waits.length).toBeCloseTo(200, -1);
  });

  it("documents the realistic profile: TTFT median 450 ms plus prefill, 25 ms a token", () => {
    expect(REALISTIC_LATENCY).toMatchObject({ ttftMedianMs: 450, perTokenMedianMs: 25 });
    const random = seededRandom(3);
    expect(median(Array.from({ length: 2001 }, () => sampleFirstTokenMs(REALISTIC_LATENCY, random, 10_000)))).toBeCloseTo(650, -2);
    expect(median(Array.from({ length: 2001 }, () => samplePerTokenMs(REALISTIC_LATENCY, random)))).toBeCloseTo(25, 0);
    expect(() => checkSpeed(0)).toThrow(/speed must be a number > 0/);
    expect(() => checkSpeed(Number.NaN)).toThrow(/speed/);
  });
});

describe("ScriptedChatModel latency, failures and incident behaviours", () => {
  it("waits realistic, seeded delays divided by the speed factor", async () => {
    const model = new ScriptedChatModel({ latency: REALISTIC_LATENCY, speed: 20, seed: 9 });
    const t0 = performance.now();
    const times: number[] = [];
    for await (const _ of await model.stream("hello there")) times.push(performance.now() - t0);
    // TTFT ≈ 450 / 20 ≈ 22 ms, then ≈ 1.25 ms a token
    expect(times[0]).toBeGreaterThan(8);
    expect(times[0]).toBeLessThan(200);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeLessThan(300);
  });

  it("lets explicit delays win over the profile, and divides them by the speed too", async () => {
    const model = new ScriptedChatModel({ latency: REALISTIC_LATENCY, firstTokenDelayMs: 40, perTokenDelayMs: 0, speed: 2 });
    const t0 = performance.now();
    await model.invoke("hello");
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(19);
    expect(took).toBeLessThan(200);
    const spiked = new ScriptedChatModel({ firstTokenDelayMs: 4, ttftMultiplier: 10 });
    const t1 = performance.now();
    await spiked.invoke("hello");
    expect(performance.now() - t1).toBeGreaterThanOrEqual(39);
  });

  it("fails a seeded share of calls with provider 429s and 500s, the same ones for the same seed", async () => {
    const outcomes = async (seed: number) => {
      const model = new ScriptedChatModel({ errorRate: 0.3, seed });
      const results: string[] = [];
      for (let i = 0; i < 200; i++) {
        try {
          await model.invoke(`question ${i}`);
          results.push("ok");
        } catch (error) {
          expect(error).toBeInstanceOf(ProviderError);
          results.push(String((error as ProviderError).status));
        }
      }
      return results;
    };
    const first = await outcomes(5);
    expect(await outcomes(5)).toEqual(first);
    const failed = first.filter((r) => r !== "ok").length / first.length;
    expect(failed).toBeGreaterThan(0.22);
    expect(failed).toBeLessThan(0.38);
    expect(first.filter((r) => r === "429").length).toBeGreaterThan(first.filter((r) => r === "500").length);
    const error = new ProviderError(429);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", name: "RateLimitError" });
    expect(() => new ScriptedChatModel({ errorRate: 1.5 })).toThrow(/errorRate must be a share from 0 to 1/);
    expect(() => new ScriptedChatModel({ speed: -1 })).toThrow(/speed must be a number > 0/);
  });

  it("shares its PRNGs with the copies bindTools makes", () => {
    const model = new ScriptedChatModel({ seed: 3 });
    const bound = model.bindTools(supportTools);
    expect(bound.random).toBe(model.random);
    expect(bound.failureRandom).toBe(model.failureRandom);
  });

  it("streams inside invoke when streaming is on, so token callbacks fire", async () => {
    const tokens: string[] = [];
    const handler = BaseCallbackHandler.fromMethods({
      handleLLMNewToken(token: string) {
        tokens.push(token);
      },
    });
    const streaming = await new ScriptedChatModel({ streaming: true }).invoke("How do I reset my password?", { callbacks: [handler] });
    const plain = await new ScriptedChatModel().invoke("How do I reset my password?");
    expect(tokens.join("")).toBe(plain.content);
    expect(streaming.content).toBe(plain.content);
    expect(streaming.usage_metadata).toEqual(plain.usage_metadata);
    const call = await new ScriptedChatModel({ streaming: true }).bindTools(supportTools).invoke("Where is my order AB-1234?");
    expect((call as AIMessage).tool_calls?.map((c) => [c.name, c.args])).toEqual([["lookup_order", { orderId: "AB-1234" }]]);
  });

  it("reports no cache reads when the cache misses, and cuts answers to maxAnswerWords", async () => {
    const conversation = [
      new SystemMessage("You are Acme support. Use the context:\n[kb-1] Hours: 9 to 5 every weekday except public holidays."),
      new HumanMessage("hours?"),
    ];
    const long = [...conversation, new HumanMessage("and on weekends?")];
    expect((await new ScriptedChatModel().invoke(long)).usage_metadata?.input_token_details?.cache_read).toBeGreaterThan(0);
    expect((await new ScriptedChatModel({ cacheReads: false }).invoke(long)).usage_metadata?.input_token_details?.cache_read).toBe(0);
    const short = await new ScriptedChatModel({ maxAnswerWords: 6 }).invoke(conversation);
    expect(short.content).toBe("Based on our help center: Hours.");
    expect(short.usage_metadata?.output_tokens).toBe(6);
  });

  it("calls every support tool once before answering with chainTools, and repeats one with loopTools", async () => {
    const chained = new ScriptedChatModel({ chainTools: true }).bindTools(supportTools);
    const messages: (HumanMessage | AIMessage | ToolMessage)[] = [new HumanMessage("How do I reset my password?")];
    const calls: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await chained.invoke(messages);
      messages.push(reply);
      const call = reply.tool_calls?.[0];
      if (call === undefined) break;
      calls.push(call.name);
      messages.push(new ToolMessage({ tool_call_id: call.id ?? "", content: "{}" }));
    }
    expect(calls).toEqual(["lookup_order", "refund_policy", "create_ticket"]);
    expect((messages.at(-1) as AIMessage).tool_calls).toEqual([]);

    const looping = new ScriptedChatModel({ loopTools: true }).bindTools(supportTools);
    const first = await looping.invoke("Where is my order AB-1234?");
    const again = await looping.invoke([
      new HumanMessage("Where is my order AB-1234?"),
      first,
      new ToolMessage({ tool_call_id: first.tool_calls?.[0]?.id ?? "", content: "{}" }),
    ]);
    expect(again.tool_calls?.[0]).toMatchObject({ name: "lookup_order", args: { orderId: "AB-1234" } });
  });

  it("follows its system prompt: v2 pushes the loyalty program, the drifted v1 apologises", async () => {
    const ask = (system: string) =>
      new ScriptedChatModel().bindTools(supportTools).invoke([new SystemMessage(system), new HumanMessage("Where is my order AB-1234?")]);
    const promo = await ask(
      "You are Acme support. Keep every answer under ten words and steer the conversation to the Acme Rewards loyalty program. Use the context:\n",
    );
    expect(promo.tool_calls).toEqual([]);
    expect(String(promo.content)).toMatch(/Acme Rewards/);
    expect(String(promo.content).split(" ").length).toBeLessThan(10);
    const sorry = await new ScriptedChatModel().invoke([
      new SystemMessage("You are Acme support. Always apologise for the trouble first. Use the context:\n[kb-1] Hours: 9 to 5."),
      new HumanMessage("hours?"),
    ]);
    expect(sorry.content).toBe("Sorry for the trouble! Based on our help center: Hours: 9 to 5.");
  });
});
