import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";

import { type AgentWatchHandler, MemoryStore, type SharedStore } from "../../src/index.js";
import { handlerMaker } from "../support/handlers.js";
import { find, parseExposition } from "../support/openmetrics.js";
import { only, traceId } from "../support/otel.js";

const make = handlerMaker();

/** A cheap agent: one root run per call. */
const echo = RunnableLambda.from(async (q: string) => `You asked: ${q}`).withConfig({ runName: "echo" });

/** One turn of conversation `thread` (metadata as LangGraph copies `configurable.thread_id`). */
async function turn(handler: AgentWatchHandler, thread: string | undefined, metadata: Record<string, unknown> = {}): Promise<void> {
  await echo.invoke("hello", { callbacks: [handler], metadata: { ...(thread !== undefined ? { thread_id: thread } : {}), ...metadata } });
}

/** Conversations counted, by outcome (summed over agents). */
async function outcomes(registry: Registry | AgentWatchHandler["registry"]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of find(parseExposition(await registry.metrics()), "agentwatch_conversation_outcomes_total")) {
    const key = s.labels.outcome ?? "";
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

/** Sum and count of the turns histogram for `outcome`. */
async function turns(handler: AgentWatchHandler, outcome: string): Promise<{ sum: number; count: number }> {
  const m = parseExposition(await handler.registry.metrics());
  const total = (name: string) => find(m, name, { outcome }).reduce((a, s) => a + s.value, 0);
  return { sum: total("agentwatch_conversation_turns_sum"), count: total("agentwatch_conversation_turns_count") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("recordOutcome", () => {
  it("counts a conversation found by thread id once, with its turns and agent", async () => {
    const { handler } = make({ agentName: "support", outcomes: {} });
    for (let i = 0; i < 3; i++) await turn(handler, "t-1");
    await handler.outcomesIdle();
    await expect(handler.recordOutcome({ threadId: "t-1", outcome: "resolved" })).resolves.toEqual({
      status: "counted",
      conversation: "t-1",
    });
    await expect(handler.recordOutcome({ threadId: "t-1", outcome: "converted" })).resolves.toMatchObject({ status: "already-decided" });
    expect(await outcomes(handler.registry)).toEqual({ resolved: 1 });
    expect(await turns(handler, "resolved")).toEqual({ sum: 3, count: 1 });
    const m = parseExposition(await handler.registry.metrics());
    expect(find(m, "agentwatch_conversation_outcomes_total", { agent: "support", outcome: "resolved" })).toHaveLength(1);
  });

  it("finds the conversation by the trace id of one of its answers, and a run without a thread as a one-turn conversation", async () => {
    const { handler, tracing } = make({ outcomes: {} });
    await turn(handler, "t-2");
    await turn(handler, "t-2");
    const [first] = tracing.exporter.getFinishedSpans().filter((s) => s.name.startsWith("invoke_agent"));
    if (first === undefined) throw new Error("no invoke_agent span");
    const firstTrace = traceId(first);
    tracing.exporter.reset();
    await turn(handler, undefined);
    const lone = traceId(only(tracing.exporter.getFinishedSpans(), "invoke_agent echo"));
    await handler.outcomesIdle();
    await expect(handler.recordOutcome({ traceId: firstTrace.toUpperCase(), outcome: "converted" })).resolves.toEqual({
      status: "counted",
      conversation: "t-2",
    });
    await expect(handler.recordOutcome({ traceId: lone, outcome: "resolved" })).resolves.toMatchObject({ status: "counted" });
    expect(await outcomes(handler.registry)).toEqual({ converted: 1, resolved: 1 });
    expect(await turns(handler, "converted")).toEqual({ sum: 2, count: 1 });
    expect(await turns(handler, "resolved")).toEqual({ sum: 1, count: 1 });
  });

  it("says unknown for a conversation or trace it never saw, and counts nothing", async () => {
    const { handler } = make({ outcomes: {} });
    await expect(handler.recordOutcome({ threadId: "never", outcome: "resolved" })).resolves.toEqual({
      status: "unknown",
      conversation: "never",
    });
    await expect(handler.recordOutcome({ traceId: "a".repeat(32), outcome: "resolved" })).resolves.toEqual({ status: "unknown" });
    expect(await outcomes(handler.registry)).toEqual({});
  });

  it("accepts configured names and refuses others, naming the field and the option", async () => {
    const { handler } = make({ outcomes: { names: ["refunded"] } });
    await turn(handler, "t-3");
    await handler.outcomesIdle();
    expect(() => handler.recordOutcome({ threadId: "t-3", outcome: "delighted" })).toThrow(
      /field "outcome" must be one of resolved, escalated, abandoned, converted, refunded, got "delighted".*option "outcomes.names"/,
    );
    expect(() => handler.recordOutcome({ threadId: "", outcome: "resolved" })).toThrow(/field "threadId" must be a non-empty string/);
    expect(() => handler.recordOutcome({ traceId: "xyz", outcome: "resolved" })).toThrow(/field "traceId" must be 32 hex characters/);
    expect(() => handler.recordOutcome({ outcome: "resolved" } as never)).toThrow(/exactly one of threadId and traceId/);
    await expect(handler.recordOutcome({ threadId: "t-3", outcome: "refunded" })).resolves.toMatchObject({ status: "counted" });
    expect(await outcomes(handler.registry)).toEqual({ refunded: 1 });
  });

  it("needs the outcomes option, and rejects bad outcome options naming the field", () => {
    const { handler } = make();
    expect(() => handler.recordOutcome({ threadId: "t", outcome: "resolved" })).toThrow(/needs option "outcomes"/);
    expect(() => make({ outcomes: { names: ["Bad Name"] } })).toThrow(/option "outcomes.names" has "Bad Name"/);
    expect(() => make({ outcomes: { abandonAfterMs: -1 } })).toThrow(/option "outcomes.abandonAfterMs" must be a positive integer/);
    expect(() => make({ outcomes: { escalationTools: "create_ticket" as never } })).toThrow(
      /option "outcomes.escalationTools" must be a list/,
    );
    expect(() => make({ outcomes: { store: {} as never } })).toThrow(/option "outcomes.store" is not a SharedStore/);
    expect(() => make({ outcomes: { abandonAfter: 5 } as never })).toThrow(/option "outcomes.abandonAfter" is not an outcome option/);
  });
});

describe("escalation", () => {
  it("is decided when a tool marked as escalation succeeds, and a later resolution is not counted again", async () => {
    const { handler } = make({ outcomes: { escalationTools: ["create_ticket"] } });
    const graph = createSupportGraph();
    const config = (thread: string) => ({ callbacks: [handler], configurable: { thread_id: thread } });
    await graph.invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, config("esc"));
    await graph.invoke({ messages: [new HumanMessage("Please open a ticket, I want a human")] }, config("esc"));
    await graph.invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, config("calm"));
    await handler.outcomesIdle();
    expect(await outcomes(handler.registry)).toEqual({ escalated: 1 });
    expect(await turns(handler, "escalated")).toEqual({ sum: 2, count: 1 });
    await expect(handler.recordOutcome({ threadId: "esc", outcome: "resolved" })).resolves.toMatchObject({ status: "already-decided" });
    await expect(handler.recordOutcome({ threadId: "calm", outcome: "resolved" })).resolves.toMatchObject({ status: "counted" });
    expect(await outcomes(handler.registry)).toEqual({ escalated: 1, resolved: 1 });
  });
});

describe("abandonment", () => {
  it("counts a conversation idle past abandonAfterMs without an outcome, and not one that got an outcome", async () => {
    const { handler } = make({ outcomes: { abandonAfterMs: 150, sweepIntervalMs: 20 } });
    await turn(handler, "left");
    await turn(handler, "left");
    await turn(handler, "done");
    await handler.outcomesIdle();
    await handler.recordOutcome({ threadId: "done", outcome: "resolved" });
    expect(await outcomes(handler.registry)).toEqual({ resolved: 1 });
    for (let i = 0; i < 100 && (await outcomes(handler.registry)).abandoned === undefined; i++) await sleep(20);
    await sleep(100); // more sweeps: nothing is counted twice
    await handler.outcomesIdle();
    expect(await outcomes(handler.registry)).toEqual({ resolved: 1, abandoned: 1 });
    expect(await turns(handler, "abandoned")).toEqual({ sum: 2, count: 1 });
  });

  it("keeps an active conversation from being abandoned", async () => {
    const { handler } = make({ outcomes: { abandonAfterMs: 200, sweepIntervalMs: 20 } });
    for (let i = 0; i < 8; i++) {
      await turn(handler, "busy");
      await sleep(50);
    }
    await handler.outcomesIdle();
    expect(await outcomes(handler.registry)).toEqual({});
  });

  it("stops sweeping on shutdown", async () => {
    const { handler } = make({ outcomes: { abandonAfterMs: 50, sweepIntervalMs: 10 } });
    await turn(handler, "late");
    await handler.outcomesIdle();
    handler.shutdown();
    await sleep(200);
    expect(await outcomes(handler.registry)).toEqual({});
  });
});

describe("replicas sharing one store", () => {
  it("count each conversation once, whichever replica decides it", async () => {
    const store = new MemoryStore();
    const settings = { abandonAfterMs: 150, sweepIntervalMs: 15, escalationTools: ["create_ticket"], store };
    const a = make({ registry: new Registry(), agentName: "support", outcomes: settings }).handler;
    const b = make({ registry: new Registry(), agentName: "support", outcomes: settings }).handler;
    // Turns of one conversation land on both replicas.
    await turn(a, "shared");
    await turn(b, "shared");
    await turn(a, "shared");
    await turn(b, "resolved-twice");
    await Promise.all([a.outcomesIdle(), b.outcomesIdle()]);
    const both = await Promise.all([
      a.recordOutcome({ threadId: "resolved-twice", outcome: "resolved" }),
      b.recordOutcome({ threadId: "resolved-twice", outcome: "resolved" }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["already-decided", "counted"]);
    const sum = async () => {
      const [x, y] = [await outcomes(a.registry), await outcomes(b.registry)];
      const out: Record<string, number> = {};
      for (const [k, v] of [...Object.entries(x), ...Object.entries(y)]) out[k] = (out[k] ?? 0) + v;
      return out;
    };
    for (let i = 0; i < 100 && (await sum()).abandoned === undefined; i++) await sleep(20);
    await sleep(100);
    expect(await sum()).toEqual({ resolved: 1, abandoned: 1 });
    const abandonedTurns = (await turns(a, "abandoned")).sum + (await turns(b, "abandoned")).sum;
    expect(abandonedTurns).toBe(3);
  });
});

describe("synthetic traffic", () => {
  it("has no turns, no escalation and no abandonment", async () => {
    const { handler } = make({ outcomes: { abandonAfterMs: 60, sweepIntervalMs: 10, escalationTools: ["create_ticket"] } });
    await turn(handler, "canary", { agentwatch_synthetic: true });
    await createSupportGraph().invoke(
      { messages: [new HumanMessage("Please open a ticket, I want a human")] },
      { callbacks: [handler], configurable: { thread_id: "canary-2" }, metadata: { agentwatch_synthetic: true } },
    );
    await handler.outcomesIdle();
    await sleep(200);
    await handler.outcomesIdle();
    expect(await outcomes(handler.registry)).toEqual({});
    await expect(handler.recordOutcome({ threadId: "canary", outcome: "resolved" })).resolves.toMatchObject({ status: "unknown" });
  });
});

/** A store whose every call throws, or never answers. */
function brokenStore(mode: "throws" | "hangs"): SharedStore {
  const fail = () => (mode === "throws" ? Promise.reject(new Error("store down")) : new Promise<never>(() => {}));
  return {
    kind: "redis",
    incrementWindow: fail,
    readWindow: fail,
    getJson: fail,
    setJson: fail,
    delete: fail,
    claim: fail,
    touch: fail,
    idle: fail,
    forget: fail,
    close: () => Promise.resolve(),
  };
}

describe("a failing store", () => {
  for (const mode of ["throws", "hangs"] as const) {
    it(`never breaks a run when it ${mode}, and is counted`, async () => {
      const { handler } = make({
        outcomes: {
          store: brokenStore(mode),
          storeTimeoutMs: 30,
          sweepIntervalMs: 10,
          abandonAfterMs: 20,
          escalationTools: ["create_ticket"],
        },
      });
      const answer = await createSupportGraph().invoke(
        { messages: [new HumanMessage("Please open a ticket, I want a human")] },
        { callbacks: [handler], configurable: { thread_id: "t" } },
      );
      expect(answer.messages.length).toBeGreaterThan(1);
      await expect(handler.recordOutcome({ threadId: "t", outcome: "resolved" })).resolves.toEqual({
        status: "unknown",
        conversation: "t",
      });
      await handler.outcomesIdle();
      const m = parseExposition(await handler.registry.metrics());
      const reason = mode === "throws" ? "error" : "timeout";
      expect(find(m, "agentwatch_outcome_store_errors_total", { reason })[0]?.value ?? 0).toBeGreaterThan(0);
      expect(find(m, "agentwatch_handler_errors_total")).toEqual([]);
      expect(await outcomes(handler.registry)).toEqual({});
    });
  }

  it("drops store calls past maxPendingStoreCalls instead of queueing without bound", async () => {
    const { handler } = make({ outcomes: { store: brokenStore("hangs"), storeTimeoutMs: 200, maxPendingStoreCalls: 3 } });
    for (let i = 0; i < 10; i++) await turn(handler, `c-${i}`);
    const m = parseExposition(await handler.registry.metrics());
    expect(find(m, "agentwatch_outcome_store_errors_total", { reason: "overflow" })[0]?.value ?? 0).toBeGreaterThan(0);
    await handler.outcomesIdle();
  });
});
