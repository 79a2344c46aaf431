import { createSupportGraph, createSupportTools, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { type RedisServer, startRedis } from "../../../test-support/redis.js";
import { AgentSpendLimitExceededError, type AgentWatchHandler, MemoryStore, RedisStore, type SharedStore } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();

function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

/** Every model call reports 10 input tokens: 0.01 USD at this price. */
const prices = { "acme-scripted-1": { input: 1000, output: 0 } };
const CALL_USD = 0.01;
const usage = { input_tokens: 10, output_tokens: 0, total_tokens: 10 };
const question = { messages: [new HumanMessage("Where is my order AB-1234?")] };

/** A support graph (model, lookup_order tool, model: two model calls per run) counting the model calls that really execute. */
function graph(delayMs = 0, loopTools = false) {
  const executed = { model: 0 };
  const g = createSupportGraph({
    model: new ScriptedChatModel({ usage, firstTokenDelayMs: delayMs, loopTools, onCall: () => void executed.model++ }),
    tools: createSupportTools(),
  });
  return { graph: g, executed };
}

function run(handler: AgentWatchHandler, g: ReturnType<typeof graph>["graph"], metadata: Record<string, string>): Promise<unknown> {
  return g.invoke(question, { callbacks: [handler], metadata, recursionLimit: 100 }).then(
    () => "ok",
    (error: unknown) => error,
  );
}

describe("spend limits (one replica, in-process store)", () => {
  it("abort: the user's next model call after the window is used up is stopped with AgentSpendLimitExceededError; other users go on", async () => {
    const { handler, tracing } = make({ guards: { perUserUsdPerHour: 0.05, action: "abort" }, prices, store: new MemoryStore() });
    const { graph: g, executed } = graph();
    expect(await run(handler, g, { user_id: "u1" })).toBe("ok");
    expect(await run(handler, g, { user_id: "u1" })).toBe("ok");
    expect(executed.model).toBe(4); // 0.04 USD
    // Run 3: its first call brings the window to 0.05, its second is stopped.
    const third = await run(handler, g, { user_id: "u1" });
    expect(third).toBeInstanceOf(AgentSpendLimitExceededError);
    expect(executed.model).toBe(5);
    const e = third as AgentSpendLimitExceededError;
    expect(e).toMatchObject({ limit: "user_usd_per_hour", limitUsd: 0.05, subject: "u1" });
    expect(e.observedUsd).toBeCloseTo(0.05, 10);
    // Run 4: stopped before its first call executes.
    expect(await run(handler, g, { user_id: "u1" })).toBeInstanceOf(AgentSpendLimitExceededError);
    expect(executed.model).toBe(5);
    // Another user, and a run with no user, are not limited.
    expect(await run(handler, g, { user_id: "u2" })).toBe("ok");
    expect(await run(handler, g, {})).toBe("ok");

    const roots = tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent acme-support");
    const stopped = roots.filter((s) => s.attributes["error.type"] === "AgentSpendLimitExceededError");
    expect(stopped).toHaveLength(2);
    for (const root of stopped) {
      const trip = root.events.find((ev) => ev.name === "agentwatch.guard.trip");
      expect(trip?.attributes).toMatchObject({ "agentwatch.guard.name": "user_usd_per_hour", "agentwatch.guard.action": "abort" });
    }
    const stoppedCalls = tracing.exporter
      .getFinishedSpans()
      .filter((s) => s.name.startsWith("chat ") && s.attributes["error.type"] === "AgentSpendLimitExceededError");
    expect(stoppedCalls).toHaveLength(2);
    const body = await handler.registry.metrics();
    const m = parseExposition(body);
    expect(value(m, "agentwatch_limit_trips_total", { agent: "acme-support", limit: "user_usd_per_hour" })).toBe(2);
    expect(body).not.toContain("u1");
    expect(handler.openRuns).toBe(0);
  });

  it("record: a run over its tenant's daily limit is counted once and goes on", async () => {
    const { handler, tracing } = make({ guards: { perTenantUsdPerDay: 0.01 }, prices });
    const { graph: g, executed } = graph();
    expect(await run(handler, g, { tenant_id: "acme" })).toBe("ok");
    expect(await run(handler, g, { tenant_id: "acme" })).toBe("ok");
    expect(executed.model).toBe(4);
    const m = parseExposition(await handler.registry.metrics());
    // Run 1's second call and run 2's first call find the window used up: once per run.
    expect(value(m, "agentwatch_limit_trips_total", { agent: "acme-support", limit: "tenant_usd_per_day" })).toBe(2);
    const roots = tracing.exporter.getFinishedSpans().filter((s) => s.name === "invoke_agent acme-support");
    expect(roots.map((r) => r.events.filter((ev) => ev.name === "agentwatch.guard.trip").length)).toEqual([1, 1]);
  });

  it("rejects a bad limit or store, naming the field and the fix", () => {
    expect(() => make({ guards: { perUserUsdPerHour: -1 } })).toThrow(/guards\.perUserUsdPerHour/);
    expect(() => make({ guards: { perTenantUsdPerDay: "5" as unknown as number } })).toThrow(/guards\.perTenantUsdPerDay/);
    expect(() => make({ store: {} as SharedStore })).toThrow(/store.*createSharedStore/);
  });
});

describe("spend limits held across replicas (Redis)", () => {
  let redis: RedisServer;
  let n = 0;
  const stores: RedisStore[] = [];
  const redisStore = async (keyPrefix: string) => {
    const store = new RedisStore({ url: redis.url, keyPrefix, reconnectMaxMs: 200 });
    stores.push(store);
    expect(await store.ready()).toBe(true);
    return store;
  };
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  it("two replicas × 20 concurrent looping runs of one user: every run is stopped, the overspend stays within three calls per run", async () => {
    const keyPrefix = `limits-${n++}:`;
    const limit = 0.5; // 50 calls
    const replicas = [
      make({ guards: { perUserUsdPerHour: limit, action: "abort" }, prices, store: await redisStore(keyPrefix) }),
      make({ guards: { perUserUsdPerHour: limit, action: "abort" }, prices, store: await redisStore(keyPrefix) }),
    ];
    // Models that keep calling tools: a run only ends when the limit stops it.
    const graphs = replicas.map(() => graph(30, true));
    const results = await Promise.all(
      replicas.flatMap(({ handler }, r) => Array.from({ length: 20 }, () => run(handler, at(graphs, r).graph, { user_id: "heavy" }))),
    );
    expect(results.filter((x) => !(x instanceof AgentSpendLimitExceededError))).toEqual([]);
    const calls = graphs.map((g) => g.executed.model);
    const reader = await redisStore(keyPrefix);
    const total = await reader.readWindow("spend:user_usd_per_hour:heavy", 3_600_000, Date.now());
    console.log(
      `2 replicas × 20 concurrent runs: ${calls.join(" + ")} model calls executed, ${total.toFixed(2)} USD of a ${limit} USD limit ` +
        `(overspend ${(total - limit).toFixed(2)} USD = ${Math.round((total - limit) / CALL_USD)} calls)`,
    );
    // Every call was counted once in the shared window.
    expect(total).toBeCloseTo((at(calls, 0) + at(calls, 1)) * CALL_USD, 10);
    expect(total).toBeGreaterThanOrEqual(limit);
    // The documented bound with Redis up (README "Scaling out"): past the limit, about two calls per
    // concurrent run (the one in flight, and one started before the store's answer arrived), up to
    // three on a loaded event loop (2.2 seen in CI): 120 here, against 130+ for replicas that each
    // counted alone and 1,150 with no limit.
    expect(total - limit).toBeLessThanOrEqual(3 * 40 * CALL_USD + 1e-9);
    // Both replicas shared the window: each executed calls, and neither ran to the limit alone.
    expect(Math.min(...calls)).toBeGreaterThan(0);
    const trips = await Promise.all(
      replicas.map(async ({ handler }) =>
        value(parseExposition(await handler.registry.metrics()), "agentwatch_limit_trips_total", { limit: "user_usd_per_hour" }),
      ),
    );
    expect(trips).toEqual([20, 20]);
    // A later run of that user is stopped before any call, on either replica.
    for (const [r, { handler }] of replicas.entries()) {
      const before = at(graphs, r).executed.model;
      expect(await run(handler, at(graphs, r).graph, { user_id: "heavy" })).toBeInstanceOf(AgentSpendLimitExceededError);
      expect(at(graphs, r).executed.model).toBe(before);
    }
  }, 60_000);

  it("a restart (a new handler and store) still sees the user's window", async () => {
    const keyPrefix = `limits-${n++}:`;
    const first = make({ guards: { perUserUsdPerHour: 0.03, action: "abort" }, prices, store: await redisStore(keyPrefix) });
    // Real models do I/O between calls (the store's answers arrive then); the scripted one waits 5 ms.
    const g1 = graph(5);
    expect(await run(first.handler, g1.graph, { user_id: "u" })).toBe("ok");
    expect(await run(first.handler, g1.graph, { user_id: "u" })).toBeInstanceOf(AgentSpendLimitExceededError);
    first.handler.shutdown();

    const restarted = make({ guards: { perUserUsdPerHour: 0.03, action: "abort" }, prices, store: await redisStore(keyPrefix) });
    const g2 = graph(5);
    // A replica that has not seen the user reads the window in the background: its first calls may go
    // through (how many depends on when the read answers: none here unless the machine is loaded).
    const firstRun = await run(restarted.handler, g2.graph, { user_id: "u" });
    expect(firstRun === "ok" || firstRun instanceof AgentSpendLimitExceededError).toBe(true);
    expect(g2.executed.model).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Once read, the window from before the restart stops the user before any call.
    const before = g2.executed.model;
    expect(await run(restarted.handler, g2.graph, { user_id: "u" })).toBeInstanceOf(AgentSpendLimitExceededError);
    expect(g2.executed.model).toBe(before);
    const reader = await redisStore(keyPrefix);
    expect(await reader.readWindow("spend:user_usd_per_hour:u", 3_600_000, Date.now())).toBeCloseTo(0.03 + before * CALL_USD, 10);
  });

  it("Redis killed mid-run: the run completes with every span, failures are counted, one warning; Redis back: windows are written again", async () => {
    const keyPrefix = `limits-${n++}:`;
    const store = await redisStore(keyPrefix);
    const { handler, tracing } = make({ guards: { perUserUsdPerHour: 100, action: "abort" }, prices, store });
    const reference = graph();
    expect(await run(handler, reference.graph, { user_id: "u" })).toBe("ok");
    const spansPerRun = tracing.exporter
      .getFinishedSpans()
      .map((s) => s.name)
      .sort();
    tracing.exporter.reset();

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const slow = graph(300);
      const running = run(handler, slow.graph, { user_id: "u" });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await redis.kill();
      expect(await running).toBe("ok");
      expect(slow.executed.model).toBe(2);
      const spans = tracing.exporter.getFinishedSpans();
      expect(spans.map((s) => s.name).sort()).toEqual(spansPerRun);
      expect(only(spans, "invoke_agent acme-support").status.code).not.toBe(2);
      expect(handler.openRuns).toBe(0);
      const m = parseExposition(await handler.registry.metrics());
      expect(value(m, "agentwatch_shared_store_errors_total", { operation: "incrementWindow" })).toBeGreaterThanOrEqual(1);
      expect(warn.mock.calls.filter(([message]) => String(message).includes("Redis is unreachable"))).toHaveLength(1);

      await redis.restart();
      expect(await store.ready(10_000)).toBe(true);
      expect(await run(handler, graph().graph, { user_id: "u" })).toBe("ok");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reader = await redisStore(keyPrefix);
      // The restarted Redis kept nothing: what it holds now is the last run's two calls.
      expect(await reader.readWindow("spend:user_usd_per_hour:u", 3_600_000, Date.now())).toBeCloseTo(2 * CALL_USD, 10);
      expect(warn.mock.calls.filter(([message]) => String(message).includes("Redis is unreachable"))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  }, 30_000);
});
